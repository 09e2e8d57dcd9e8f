using System.ComponentModel.DataAnnotations;
using Bandits.Grains.Storage;

namespace Bandits.Server.Hosting;

/// <summary>Where experiments are stored (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Embedded</c> (a SQLite file, the default) or <c>Postgres</c>.</summary>
    [RegularExpression("^(Embedded|Postgres)$", ErrorMessage = "Storage:Provider must be Embedded or Postgres.")]
    public string Provider { get; set; } = "Embedded";

    /// <summary>Directory of the embedded database and of the generated development key.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>PostgreSQL connection string (required with the Postgres provider).</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>Flush</c> (the default: every acknowledged write survives a power cut) or <c>Process</c> (it survives kill -9 of any server process).</summary>
    public Durability Durability { get; set; } = Durability.Flush;
}

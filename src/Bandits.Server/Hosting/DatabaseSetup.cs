using Bandits.Grains.Storage;

namespace Bandits.Server.Hosting;

/// <summary>Chooses the database from configuration and prepares it: schema and signing key.</summary>
public static class DatabaseSetup
{
    /// <summary>The database that <paramref name="configuration"/> names, with clear errors for bad settings.</summary>
    public static BanditsDatabase Resolve(IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        return options.Provider switch
        {
            "Embedded" => BanditsDatabase.Embedded(options.DataDirectory, options.Durability),
            "Postgres" when !string.IsNullOrWhiteSpace(options.ConnectionString) => BanditsDatabase.Postgres(options.ConnectionString, options.Durability),
            "Postgres" => throw new InvalidOperationException("Storage:Provider is Postgres but Storage:ConnectionString is not set."),
            _ => throw new InvalidOperationException($"Storage:Provider must be Embedded or Postgres; got '{options.Provider}'."),
        };
    }

    /// <summary>Applies the schema (idempotent) and loads the decision-signing key.</summary>
    public static async Task<byte[]> PrepareAsync(BanditsDatabase database, ILogger logger, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> applied = await SchemaMigrator.ApplyAsync(database, cancellationToken);
        if (applied.Count > 0) logger.LogInformation("Applied schema scripts {Scripts} to the {Kind} database", applied, database.Kind);
        return await SigningKeys.LoadOrCreateAsync(database, cancellationToken);
    }
}

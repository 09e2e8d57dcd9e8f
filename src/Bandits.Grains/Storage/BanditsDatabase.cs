using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bandits.Grains.Storage;

/// <summary>Which database holds the grain snapshots and the event log.</summary>
public enum DatabaseKind
{
    /// <summary>One SQLite file: the embedded, zero set-up default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server.</summary>
    Postgres,
}

/// <summary>What a commit survives before it is acknowledged (configuration key <c>Storage:Durability</c>).</summary>
public enum Durability
{
    /// <summary>Each group commit waits until the database has flushed it to disk: it survives a power cut.</summary>
    Flush,

    /// <summary>
    /// A commit is acknowledged once the database server or file holds it, before the flush:
    /// it survives kill -9 of any Bandits process, not a power cut, an OS crash or (on PostgreSQL)
    /// a crash of the database server (SQLite <c>synchronous=NORMAL</c> in WAL mode; PostgreSQL
    /// <c>synchronous_commit=off</c>, for every session of the service, Orleans' included).
    /// </summary>
    Process,
}

/// <summary>How to reach the database; the same for the log, the schema and the signing key.</summary>
public sealed record BanditsDatabase(DatabaseKind Kind, string ConnectionString, Durability Durability = Durability.Flush)
{
    /// <summary>The ADO.NET invariant that Orleans' ADO.NET providers expect for this database.</summary>
    public string OrleansInvariant => Kind == DatabaseKind.Postgres ? "Npgsql" : "System.Data.SQLite";

    private DbProviderFactory Factory => Kind == DatabaseKind.Postgres ? NpgsqlFactory.Instance : SqliteFactory.Instance;

    /// <summary>
    /// A PostgreSQL database; with <see cref="Durability.Process"/> its sessions commit without
    /// waiting for the flush. Statements run often are prepared (Npgsql's automatic preparation,
    /// unless the connection string sets it): with a thousand experiments each writing every few
    /// seconds, planning the fenced decision append each time was a third of the server's CPU.
    /// </summary>
    public static BanditsDatabase Postgres(string connectionString, Durability durability = Durability.Flush)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Max Auto Prepare")) builder.MaxAutoPrepare = 32;
        if (durability == Durability.Process) builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        return new BanditsDatabase(DatabaseKind.Postgres, builder.ToString(), durability);
    }

    /// <summary>The embedded database in <paramref name="dataDirectory"/>, created if missing.</summary>
    public static BanditsDatabase Embedded(string dataDirectory, Durability durability = Durability.Flush)
    {
        Directory.CreateDirectory(dataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(dataDirectory), "bandits.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new BanditsDatabase(DatabaseKind.Sqlite, builder.ToString(), durability);
    }

    /// <summary>Opens a connection.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Factory.CreateConnection()!;
        connection.ConnectionString = ConnectionString;
        await connection.OpenAsync(cancellationToken);
        // A per-connection setting that the connection string cannot carry; no I/O, so cheap.
        if (Kind == DatabaseKind.Sqlite && Durability == Durability.Process)
        {
            await using DbCommand pragma = connection.Command("PRAGMA synchronous=NORMAL");
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        return connection;
    }
}

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

/// <summary>How to reach the database; the same for the log, the schema and the signing key.</summary>
public sealed record BanditsDatabase(DatabaseKind Kind, string ConnectionString)
{
    /// <summary>The ADO.NET invariant that Orleans' ADO.NET providers expect for this database.</summary>
    public string OrleansInvariant => Kind == DatabaseKind.Postgres ? "Npgsql" : "System.Data.SQLite";

    private DbProviderFactory Factory => Kind == DatabaseKind.Postgres ? NpgsqlFactory.Instance : SqliteFactory.Instance;

    /// <summary>The embedded database in <paramref name="dataDirectory"/>, created if missing.</summary>
    public static BanditsDatabase Embedded(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(dataDirectory), "bandits.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new BanditsDatabase(DatabaseKind.Sqlite, builder.ToString());
    }

    /// <summary>Opens a connection.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Factory.CreateConnection()!;
        connection.ConnectionString = ConnectionString;
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}

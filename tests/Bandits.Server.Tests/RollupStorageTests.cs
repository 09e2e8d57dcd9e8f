using Bandits.Grains.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace Bandits.Server.Tests;

/// <summary>
/// What the statistics over time cost on disk: a year of hour buckets (and the minute buckets of
/// the last 48 hours) for a 10-arm experiment, written as the log writes them, measured in the
/// database's own accounting. The bound is the one documented (docs/operations.md).
/// </summary>
public sealed class RollupStorageTests(ITestOutputHelper output)
{
    private const int Arms = 10, Days = 365;

    [Fact]
    public async Task AYearOfATenArmExperimentTakesAboutFiveMegabytesInSqlite()
    {
        string data = Directory.CreateTempSubdirectory("bandits-rollup-size-").FullName;
        BanditsDatabase database = BanditsDatabase.Embedded(data);
        await SchemaMigrator.ApplyAsync(database);
        long before = await SqliteBytesAsync(data);
        await HistorySeed.WriteAsync("a-year", Arms, Days, data);
        long bytes = await SqliteBytesAsync(data) - before;

        output.WriteLine($"SQLite: {bytes:N0} bytes");
        Assert.InRange(bytes, 1_000_000, 6_000_000);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task AYearOfATenArmExperimentTakesAboutSeventeenMegabytesInPostgres()
    {
        string connectionString = await PostgresDatabases.CreateAsync();
        await SchemaMigrator.ApplyAsync(BanditsDatabase.Postgres(connectionString));
        await HistorySeed.WriteAsync("a-year", Arms, Days, "", connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE bandits_rollups", connection)) await vacuum.ExecuteNonQueryAsync();
        await using var size = new NpgsqlCommand("SELECT pg_total_relation_size('bandits_rollups')", connection);
        long bytes = (long)(await size.ExecuteScalarAsync())!;

        output.WriteLine($"PostgreSQL: {bytes:N0} bytes");
        // Each PostgreSQL row carries a 24-byte header and its key is stored again in a separate
        // index, where SQLite's WITHOUT ROWID table is its own key: about 4× SQLite's size.
        Assert.InRange(bytes, 1_000_000, 20_000_000);
    }

    /// <summary>The file's pages in use, after a checkpoint of the write-ahead log.</summary>
    private static async Task<long> SqliteBytesAsync(string data)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "bandits.db")}");
        await connection.OpenAsync();
        foreach (string statement in new[] { "PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM" })
        {
            await using var step = connection.CreateCommand();
            step.CommandText = statement;
            await step.ExecuteNonQueryAsync();
        }
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

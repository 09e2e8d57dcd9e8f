using System.Data.Common;
using System.Reflection;

namespace Bandits.Grains.Storage;

/// <summary>
/// Applies the embedded schema scripts (Orleans' storage and clustering tables, the event log)
/// in name order, once each, recording them in <c>bandits_schema_version</c>. Every script is
/// idempotent as well, so a crash half-way is repaired by the next run. Several silos may run
/// it at once: PostgreSQL takes an advisory lock, SQLite an immediate transaction.
/// </summary>
public static class SchemaMigrator
{
    private const long AdvisoryLockKey = 0x42616e6469747331; // "Bandits1"

    /// <summary>The scripts for a database, in the order they apply.</summary>
    public static IReadOnlyList<string> Scripts(DatabaseKind kind)
    {
        string prefix = $"Bandits.Schema.{kind}/";
        return typeof(SchemaMigrator).Assembly.GetManifestResourceNames()
            // MSBuild's %(RecursiveDir) gives '\' on Windows and '/' elsewhere.
            .Where(name => name.Replace('\\', '/').StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Brings the schema up to date and returns the scripts it applied now.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(BanditsDatabase database, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Postgres)
            await connection.Command("SELECT pg_advisory_lock(@key)").With("@key", AdvisoryLockKey).ScalarAsync(cancellationToken);
        else
            // Write-ahead logging lets readers and the writer proceed at once; it is a
            // property of the file, so setting it once is enough.
            await connection.Command("PRAGMA journal_mode=WAL").ScalarAsync(cancellationToken);
        try
        {
            await connection.Command("""
                CREATE TABLE IF NOT EXISTS bandits_schema_version (
                    script VARCHAR(200) NOT NULL PRIMARY KEY,
                    applied_at BIGINT NOT NULL)
                """).NonQueryAsync(cancellationToken);
            var applied = new List<string>();
            string prefix = $"Bandits.Schema.{database.Kind}/";
            foreach (string resource in Scripts(database.Kind))
            {
                string script = resource.Replace('\\', '/')[(prefix.Length)..];
                await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
                object? done = await connection.Command("SELECT 1 FROM bandits_schema_version WHERE script = @script", transaction)
                    .With("@script", script).ScalarAsync(cancellationToken);
                if (done is not null) continue;
                await connection.Command(Read(resource), transaction).NonQueryAsync(cancellationToken);
                await connection.Command("INSERT INTO bandits_schema_version (script, applied_at) VALUES (@script, @at)", transaction)
                    .With("@script", script).With("@at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).NonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                applied.Add(script);
            }
            return applied;
        }
        finally
        {
            if (database.Kind == DatabaseKind.Postgres)
                await connection.Command("SELECT pg_advisory_unlock(@key)").With("@key", AdvisoryLockKey).ScalarAsync(CancellationToken.None);
        }
    }

    private static string Read(string resource)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

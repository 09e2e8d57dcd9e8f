using System.Data.Common;
using Bandits.Grains.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bandits.Server.Hosting;

/// <summary>
/// Ready only when the database answers and accepts writes. Writes are not tried on every probe:
/// the experiments' own writes report their outcome (<see cref="StorageWriteHealth"/>), and only
/// after one failed does the probe write (one row of its own, rewritten unchanged) to find out
/// whether the database takes writes again, with or without traffic. A SQLite write can still
/// fit in room its log file already has on a full disk, so the embedded database is ready again
/// only once its disk also has <see cref="MinimumFreeBytes"/> free.
/// </summary>
public sealed class DatabaseHealthCheck(BanditsDatabase database, StorageWriteHealth writes) : IHealthCheck
{
    public const long MinimumFreeBytes = 16L << 20;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        DbConnection connection;
        try
        {
            connection = await database.OpenAsync(timeout.Token);
            await using DbCommand select = connection.CreateCommand();
            select.CommandText = "SELECT 1";
            await select.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"The {database.Kind} database is unreachable.", e);
        }
        await using (connection)
        {
            if (writes.Failure is not { } failed) return HealthCheckResult.Healthy();
            try
            {
                await using DbCommand write = connection.CreateCommand();
                write.CommandText = "UPDATE bandits_signing_key SET key_bytes = key_bytes WHERE id = 1";
                await write.ExecuteNonQueryAsync(timeout.Token);
                if (database.Kind == DatabaseKind.Sqlite && FreeBytes() is long free and < MinimumFreeBytes)
                    return HealthCheckResult.Unhealthy(
                        $"The {database.Kind} database does not accept writes since {failed.Since:O}: its disk has {free / 1024} KiB free, under the {MinimumFreeBytes >> 20} MiB it needs to be ready again.");
                writes.Succeeded();
                return HealthCheckResult.Healthy();
            }
            catch (Exception e)
            {
                if (e is not OperationCanceledException) writes.Failed(e);
                StorageWriteFailure failure = writes.Failure ?? failed;
                return HealthCheckResult.Unhealthy($"The {database.Kind} database does not accept writes since {failure.Since:O}: {failure.Reason}", e);
            }
        }
    }

    /// <summary>Free bytes on the embedded database's disk, or null if they cannot be read.</summary>
    private long? FreeBytes()
    {
        try
        {
            string file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            return new DriveInfo(Path.GetDirectoryName(file)!).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Ready only between the silo's start and the beginning of shutdown.</summary>
public sealed class SiloHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The silo is starting or stopping."));
}

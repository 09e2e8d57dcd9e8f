using System.Data.Common;
using Bandits.Grains.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bandits.Server.Hosting;

/// <summary>Ready only when the database answers.</summary>
public sealed class DatabaseHealthCheck(BanditsDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using DbConnection connection = await database.OpenAsync(timeout.Token);
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"The {database.Kind} database is unreachable.", e);
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

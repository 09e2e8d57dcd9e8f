using Bandits.Abstractions;

namespace Bandits.Server.Analytics;

/// <summary>An experiment's statistics over time, from the rollups the log writes (GET …/history).</summary>
public sealed class HistoryService
{
    /// <summary>The history between <paramref name="from"/> and <paramref name="to"/>, or null if the experiment does not exist.</summary>
    public Task<ExperimentHistory?> GetAsync(string experimentId, DateTimeOffset from, DateTimeOffset to, HistoryStep step, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}

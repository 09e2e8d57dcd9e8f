using Bandits.Abstractions;

namespace Bandits.Server.Analytics;

/// <summary>An experiment's statistics as they change, pushed by its grain (GET …/stats/stream, the dashboard).</summary>
public sealed class StatisticsFeed
{
    /// <summary>
    /// The present statistics, then each change (at most one a second); ends when the experiment
    /// is deleted or <paramref name="cancellationToken"/> fires. Empty if it does not exist.
    /// </summary>
    public IAsyncEnumerable<ExperimentStatistics> WatchAsync(string experimentId, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}

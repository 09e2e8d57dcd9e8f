using Orleans.Concurrency;

namespace Bandits.Abstractions;

/// <summary>Receives an experiment's statistics as they change (the live stream of the dashboard and of GET …/stats/stream).</summary>
public interface IExperimentObserver : IGrainObserver
{
    [OneWay]
    Task StatisticsChanged(ExperimentStatistics statistics);

    /// <summary>The experiment was deleted: nothing more will come.</summary>
    [OneWay]
    Task Deleted();
}

/// <summary>How observers stay subscribed.</summary>
public static class ExperimentObservers
{
    /// <summary>A subscription not renewed for this long is dropped (its silo may be gone).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Subscribers renew this often.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(20);

    /// <summary>Statistics are sent at most this often.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
}

using Bandits.Abstractions;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Bandits.Grains;

/// <summary>
/// The observers of one experiment's statistics (live figures for the dashboard and the SSE
/// stream, on any silo): sends them the statistics when they changed, at most once per call
/// (the grain calls it once a second while anyone listens). Subscriptions lapse unless renewed.
/// </summary>
internal sealed class StatisticsBroadcast(ILogger logger)
{
    private readonly ObserverManager<IExperimentObserver> observers = new(ExperimentObservers.Lease, logger);
    private long sentVersion = -1;

    public bool HasObservers
    {
        get
        {
            observers.ClearExpired();
            return observers.Count > 0;
        }
    }

    public void Subscribe(IExperimentObserver observer) => observers.Subscribe(observer, observer);

    public void Unsubscribe(IExperimentObserver observer) => observers.Unsubscribe(observer);

    /// <summary>Sends the statistics if anything changed since they were last sent.</summary>
    public void SendIfChanged(ExperimentModel model)
    {
        long version = model.Revision + model.Tally;
        if (version == sentVersion || observers.Count == 0) return;
        sentVersion = version;
        ExperimentStatistics statistics = model.Statistics();
        observers.Notify(o => o.StatisticsChanged(statistics));
    }

    public void SendDeleted()
    {
        observers.Notify(o => o.Deleted());
        observers.Clear();
    }
}

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

    /// <summary>
    /// Adds (or renews) an observer. A first observer reads the present statistics itself, so
    /// they count as sent; later ones may be owed a change the others have not been sent yet.
    /// </summary>
    public void Subscribe(IExperimentObserver observer, ExperimentModel model)
    {
        if (observers.Count == 0) sentVersion = Version(model);
        observers.Subscribe(observer, observer);
    }

    public void Unsubscribe(IExperimentObserver observer) => observers.Unsubscribe(observer);

    /// <summary>Sends the statistics if anything changed since they were last sent.</summary>
    public void SendIfChanged(ExperimentModel model)
    {
        long version = Version(model);
        if (version == sentVersion || observers.Count == 0) return;
        sentVersion = version;
        ExperimentStatistics statistics = model.Statistics();
        observers.Notify(o => o.StatisticsChanged(statistics));
    }

    private static long Version(ExperimentModel model) => model.Revision + model.Tally;

    public void SendDeleted()
    {
        observers.Notify(o => o.Deleted());
        observers.Clear();
    }
}

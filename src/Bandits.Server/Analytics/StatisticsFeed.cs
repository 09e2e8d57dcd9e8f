using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bandits.Abstractions;

namespace Bandits.Server.Analytics;

/// <summary>
/// An experiment's statistics as they change, pushed by its grain to an observer on this silo
/// (GET …/stats/stream, the dashboard): wherever the grain lives, no database polling.
/// </summary>
public sealed class StatisticsFeed(IGrainFactory grains)
{
    /// <summary>
    /// The present statistics, then each change (at most one a second); ends when the experiment
    /// is deleted or <paramref name="cancellationToken"/> fires. Empty if it does not exist.
    /// </summary>
    public async IAsyncEnumerable<ExperimentStatistics> WatchAsync(string experimentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IExperimentGrain grain = grains.GetGrain<IExperimentGrain>(experimentId);
        var observer = new Observer();
        IExperimentObserver reference = grains.CreateObjectReference<IExperimentObserver>(observer);
        try
        {
            if (!await grain.SubscribeAsync(reference) || await grain.GetStatisticsAsync() is not { } first) yield break;
            yield return first;
            DateTimeOffset renewAt = DateTimeOffset.UtcNow + ExperimentObservers.Renewal;
            while (!cancellationToken.IsCancellationRequested)
            {
                ExperimentStatistics? next;
                using (var renewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    renewal.CancelAfter(Max(renewAt - DateTimeOffset.UtcNow, TimeSpan.Zero));
                    try
                    {
                        if (!await observer.Updates.Reader.WaitToReadAsync(renewal.Token)) yield break; // deleted
                        observer.Updates.Reader.TryRead(out next);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        next = null; // time to renew
                    }
                }
                if (next is not null) yield return next;
                if (DateTimeOffset.UtcNow >= renewAt)
                {
                    // Also re-subscribes with a new activation, should the grain have moved.
                    if (!await grain.SubscribeAsync(reference)) yield break;
                    renewAt = DateTimeOffset.UtcNow + ExperimentObservers.Renewal;
                }
            }
        }
        finally
        {
            grains.DeleteObjectReference<IExperimentObserver>(reference);
            _ = grain.UnsubscribeAsync(reference).ContinueWith(static _ => { }, TaskScheduler.Default); // best effort: the lease lapses anyway
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Keeps only the latest statistics: a slow reader skips to the present.</summary>
    private sealed class Observer : IExperimentObserver
    {
        public Channel<ExperimentStatistics> Updates { get; } = Channel.CreateBounded<ExperimentStatistics>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public Task StatisticsChanged(ExperimentStatistics statistics)
        {
            Updates.Writer.TryWrite(statistics);
            return Task.CompletedTask;
        }

        public Task Deleted()
        {
            Updates.Writer.TryComplete();
            return Task.CompletedTask;
        }
    }
}

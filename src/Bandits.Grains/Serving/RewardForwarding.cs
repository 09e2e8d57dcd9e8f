using System.Collections.Concurrent;
using Bandits.Abstractions;

namespace Bandits.Grains.Serving;

/// <summary>
/// Carries this silo's reward requests to their experiment's grain in batches: while calls are
/// in flight, the requests that arrive wait and go together in the next, so a hot experiment
/// gets about one call per commit from each silo, not one per request. Two calls may be in
/// flight, so that one batch already waits at the grain while the one before commits. Each request is
/// still answered with its own receipt, once its rewards are committed. Thread-safe.
/// </summary>
public sealed class RewardForwarding(IGrainFactory grains)
{
    private const int MaxInFlight = 2;

    // By experiment and incarnation: a batch is for one incarnation (the grain refuses others).
    private readonly ConcurrentDictionary<(string ExperimentId, long Incarnation), Lane> lanes = new();

    /// <summary>Commits the rewards; null if the experiment (of this incarnation) does not exist.</summary>
    public Task<RewardReceipt?> SendAsync(string experimentId, long incarnation, IReadOnlyList<RewardRecord> rewards)
    {
        var request = new Request(rewards);
        while (true)
        {
            Lane lane = lanes.GetOrAdd((experimentId, incarnation), static _ => new Lane());
            bool start;
            lock (lane)
            {
                if (lane.Closed) continue; // emptied and removed meanwhile: use a new lane
                lane.Waiting.Add(request);
                start = lane.InFlight < MaxInFlight;
                if (start) lane.InFlight++;
            }
            if (start) _ = PumpAsync(experimentId, incarnation, lane);
            return request.Completion.Task;
        }
    }

    /// <summary>Sends what waits, one call after another, until nothing does.</summary>
    private async Task PumpAsync(string experimentId, long incarnation, Lane lane)
    {
        while (true)
        {
            List<Request> batch;
            lock (lane)
            {
                if (lane.Waiting.Count == 0)
                {
                    if (--lane.InFlight == 0)
                    {
                        lane.Closed = true;
                        lanes.TryRemove(new KeyValuePair<(string, long), Lane>((experimentId, incarnation), lane));
                    }
                    return;
                }
                (batch, lane.Waiting) = (lane.Waiting, []);
            }
            try
            {
                RewardReceipt?[] receipts = await grains.GetGrain<IExperimentGrain>(experimentId)
                    .RewardBatchAsync(batch.Select(r => r.Rewards).ToList(), incarnation);
                for (int i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(receipts[i]);
            }
            catch (Exception e)
            {
                // Nothing of this call was acknowledged: every request in it fails the same way.
                foreach (Request request in batch) request.Completion.TrySetException(e);
            }
        }
    }

    private sealed class Request(IReadOnlyList<RewardRecord> rewards)
    {
        public IReadOnlyList<RewardRecord> Rewards { get; } = rewards;
        public TaskCompletionSource<RewardReceipt?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lane
    {
        public List<Request> Waiting = [];
        public int InFlight;
        public bool Closed;
    }
}

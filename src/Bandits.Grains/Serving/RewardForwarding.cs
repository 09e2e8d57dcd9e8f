using System.Collections.Concurrent;
using Bandits.Abstractions;

namespace Bandits.Grains.Serving;

/// <summary>
/// Carries this silo's reward requests to their experiment's grain in batches: while a call is
/// in flight, the requests that arrive wait and go together in the next (one cycle of a
/// <see cref="BatchWorker"/> per experiment, as the grain's own commits are), so a hot
/// experiment gets about one call per commit from each silo, not one per request. Each request
/// is still answered with its own receipt, once its rewards are committed. Thread-safe.
/// </summary>
public sealed class RewardForwarding(IGrainFactory grains)
{
    // By experiment and incarnation: a batch is for one incarnation (the grain refuses others).
    private readonly ConcurrentDictionary<(string ExperimentId, long Incarnation), Lane> lanes = new();
    private readonly IGrainFactory grains = grains;

    /// <summary>Commits the rewards; null if the experiment (of this incarnation) does not exist.</summary>
    public Task<RewardReceipt?> SendAsync(string experimentId, long incarnation, IReadOnlyList<RewardRecord> rewards)
    {
        var request = new Request(rewards);
        while (true)
        {
            Lane lane = lanes.GetOrAdd((experimentId, incarnation), key => new Lane(this, key));
            if (!lane.TryAdd(request)) continue; // emptied and removed meanwhile: use a new lane
            return request.Completion.Task;
        }
    }

    private sealed class Request(IReadOnlyList<RewardRecord> rewards)
    {
        public IReadOnlyList<RewardRecord> Rewards { get; } = rewards;
        public TaskCompletionSource<RewardReceipt?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The requests of one experiment waiting to be sent; removed once a cycle finds none.</summary>
    private sealed class Lane(RewardForwarding owner, (string ExperimentId, long Incarnation) key) : BatchWorker
    {
        private readonly Lock gate = new();
        private List<Request> waiting = [];
        private bool closed;

        public bool TryAdd(Request request)
        {
            lock (gate)
            {
                if (closed) return false;
                waiting.Add(request);
            }
            Notify();
            return true;
        }

        protected override async Task Work()
        {
            List<Request> batch;
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    closed = true;
                    owner.lanes.TryRemove(new KeyValuePair<(string, long), Lane>(key, this));
                    return;
                }
                (batch, waiting) = (waiting, []);
            }
            try
            {
                RewardReceipt?[] receipts = await owner.grains.GetGrain<IExperimentGrain>(key.ExperimentId)
                    .RewardBatchAsync(batch.Select(r => r.Rewards).ToList(), key.Incarnation);
                for (int i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(receipts[i]);
            }
            catch (Exception e)
            {
                // Nothing of this call was acknowledged: every request in it fails the same way.
                foreach (Request request in batch) request.Completion.TrySetException(e);
            }
            // Once more after the call: a cycle that finds nothing waiting closes the lane.
            Notify();
        }
    }
}

using System.Collections.Concurrent;
using Bandits.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bandits.Grains.Serving;

/// <summary>
/// Decisions this silo's choosers issued that their experiments' grains have not taken yet.
/// Shared by the choosers of the silo: each renewal of a copy carries the experiment's
/// decisions along; what is left when choices stop is handed back every
/// <see cref="ExperimentGrainOptions.DecisionFlushInterval"/>, and everything once more when the
/// silo stops, before its grains are deactivated. Thread-safe: choosers run on any thread.
/// </summary>
public sealed class DecisionOutbox(IGrainFactory grains, IOptions<ExperimentGrainOptions> options, ILogger<DecisionOutbox> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    // Keyed by experiment and incarnation: decisions of a deleted experiment must never be
    // counted by a new one of the same id.
    private readonly ConcurrentDictionary<(string ExperimentId, long Incarnation), Entry> entries = new();
    private readonly CancellationTokenSource stopping = new();
    private Task? flushLoop;

    public void Add(string experimentId, long incarnation, LoggedDecision decision)
    {
        while (true)
        {
            Entry entry = entries.GetOrAdd((experimentId, incarnation), static _ => new Entry());
            lock (entry)
            {
                if (entry.Closed) continue; // emptied and removed meanwhile: use a new entry
                entry.Decisions.Add(decision);
                return;
            }
        }
    }

    /// <summary>Takes every decision waiting for the experiment (an empty list if none).</summary>
    public List<LoggedDecision> Take(string experimentId, long incarnation)
    {
        if (!entries.TryGetValue((experimentId, incarnation), out Entry? entry)) return [];
        lock (entry)
        {
            List<LoggedDecision> taken = entry.Decisions;
            entry.Decisions = [];
            return taken;
        }
    }

    /// <summary>Puts back decisions the grain may not have taken, to go with the next hand-back.</summary>
    public void Return(string experimentId, long incarnation, List<LoggedDecision> decisions)
    {
        foreach (LoggedDecision decision in decisions) Add(experimentId, incarnation, decision);
    }

    /// <summary>
    /// Hands this silo's waiting decisions of one experiment to its grain now (before its
    /// statistics are read, so that a choice made here just before shows in them).
    /// </summary>
    public async Task HandBackAsync(string experimentId)
    {
        foreach (((string id, long incarnation), Entry _) in entries)
        {
            if (id != experimentId) continue;
            List<LoggedDecision> taken = Take(id, incarnation);
            if (taken.Count == 0) continue;
            try
            {
                await grains.GetGrain<IExperimentServing>(id).TakeDecisionsAsync(taken, incarnation);
            }
            catch
            {
                Return(id, incarnation, taken);
                throw;
            }
        }
    }

    /// <summary>Hands every waiting decision to its grain; the ones a grain could not take stay.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        // A few at a time: at a silo's stop there may be thousands of experiments to serve.
        Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (pair, token) =>
            {
                ((string experimentId, long incarnation), Entry entry) = pair;
                List<LoggedDecision> taken;
                lock (entry)
                {
                    taken = entry.Decisions;
                    entry.Decisions = [];
                    if (taken.Count == 0)
                    {
                        // Nothing issued for a whole interval: forget the experiment.
                        entry.Closed = true;
                        entries.TryRemove(pair);
                        return;
                    }
                }
                try
                {
                    await grains.GetGrain<IExperimentServing>(experimentId).TakeDecisionsAsync(taken, incarnation).WaitAsync(token);
                }
                catch (Exception e)
                {
                    Return(experimentId, incarnation, taken);
                    if (e is OperationCanceledException) throw;
                    logger.LogWarning(e, "Could not hand {Count} decisions back to experiment {ExperimentId}; retrying later", taken.Count, experimentId);
                }
            });

    public void Participate(ISiloLifecycle lifecycle) =>
        // Stops before the stage at which the silo deactivates its grains.
        lifecycle.Subscribe(nameof(DecisionOutbox), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        flushLoop = FlushPeriodicallyAsync(stopping.Token);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (flushLoop is not null) await flushLoop;
        await FlushAsync(cancellationToken);
        int left = entries.Values.Sum(e => { lock (e) return e.Decisions.Count; });
        if (left > 0) logger.LogWarning("{Count} decisions were not handed back before the silo stopped; their log records are lost", left);
    }

    private async Task FlushPeriodicallyAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.DecisionFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) await FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Entry
    {
        public List<LoggedDecision> Decisions = [];
        public bool Closed;
    }
}

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
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private Task? flushLoop;

    public void Add(string experimentId, LoggedDecision decision)
    {
        while (true)
        {
            Entry entry = entries.GetOrAdd(experimentId, static _ => new Entry());
            lock (entry)
            {
                if (entry.Closed) continue; // emptied and removed meanwhile: use a new entry
                entry.Decisions.Add(decision);
                return;
            }
        }
    }

    /// <summary>Takes every decision waiting for the experiment (an empty list if none).</summary>
    public List<LoggedDecision> Take(string experimentId)
    {
        if (!entries.TryGetValue(experimentId, out Entry? entry)) return [];
        lock (entry)
        {
            List<LoggedDecision> taken = entry.Decisions;
            entry.Decisions = [];
            return taken;
        }
    }

    /// <summary>Puts back decisions the grain may not have taken, to go with the next hand-back.</summary>
    public void Return(string experimentId, List<LoggedDecision> decisions)
    {
        foreach (LoggedDecision decision in decisions) Add(experimentId, decision);
    }

    /// <summary>Hands every waiting decision to its grain; the ones a grain could not take stay.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        foreach ((string experimentId, Entry entry) in entries)
        {
            List<LoggedDecision> taken;
            lock (entry)
            {
                taken = entry.Decisions;
                entry.Decisions = [];
                if (taken.Count == 0)
                {
                    // Nothing issued for a whole interval: forget the experiment.
                    entry.Closed = true;
                    entries.TryRemove(new KeyValuePair<string, Entry>(experimentId, entry));
                    continue;
                }
            }
            try
            {
                await grains.GetGrain<IExperimentServing>(experimentId).TakeDecisionsAsync(taken).WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not hand {Count} decisions back to experiment {ExperimentId}; retrying later", taken.Count, experimentId);
                Return(experimentId, taken);
            }
        }
    }

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

using Bandits.Abstractions;
using Bandits.Grains.Commit;
using Bandits.Grains.Serving;
using Bandits.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Bandits.Grains;

/// <summary>
/// One experiment: an adapter from Orleans to plain classes. The <see cref="CommitPipeline"/>
/// owns the experiment's state and every write (group-committed rewards, decisions, sweeps,
/// snapshots, decision numbers); the <see cref="CopyLeaseBook"/> owns the copies of the model
/// leased to the silos' choosers (<see cref="ExperimentChooser"/>), which hand back the decisions
/// they issued. An activation rebuilds the state exactly from the snapshot and the log after it,
/// and owns the log from then on: an older, overlapping activation can no longer write.
/// </summary>
/// <remarks>
/// Reentrant so that calls keep arriving while a batch is being written; every state change
/// happens between awaits on the activation's single thread.
/// </remarks>
[Reentrant]
public sealed class ExperimentGrain(
    [FromKeyedServices(ExperimentGrain.StorageName)] IGrainStorage storage,
    IExperimentLog log,
    TimeProvider time,
    IOptions<ExperimentGrainOptions> options,
    ExperimentMetrics metrics,
    StorageWriteHealth writes,
    WriteGate gate,
    IServingCopiesClient servingCopies,
    ILogger<ExperimentGrain> logger) : Grain, IExperimentGrain, IExperimentServing
{
    /// <summary>The name of the grain storage provider that holds the snapshots.</summary>
    public const string StorageName = "experiments";

    private readonly ExperimentGrainOptions settings = options.Value;
    private CommitPipeline pipeline = null!;
    private CopyLeaseBook copies = null!;
    private IGrainTimer? timer;
    private IGrainTimer? broadcastTimer;
    private StatisticsBroadcast broadcast = null!;

    private ExperimentModel? Model => pipeline.Model;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var snapshots = new SnapshotStore(storage, this.GetGrainId(), gate);
        pipeline = new CommitPipeline(this.GetPrimaryKeyString(), log, snapshots, time, settings, metrics, writes, logger);
        copies = new CopyLeaseBook(time, settings);
        broadcast = new StatisticsBroadcast(logger);
        ExperimentSnapshot? stored;
        try
        {
            stored = await snapshots.ReadAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Experiment {ExperimentId} could not be read", this.GetPrimaryKeyString());
            throw new StorageUnavailableException("The database could not load the experiment; nothing was acknowledged.");
        }
        if (stored is not null)
        {
            try
            {
                await pipeline.RestoreAsync(stored, cancellationToken);
            }
            catch (StorageUnavailableException) when (pipeline.Failed && !cancellationToken.IsCancellationRequested)
            {
                // Reads go on while writes fail: this activation answers what is committed, and
                // gives way to a new one, which tries to own the log again, at the first write.
                await pipeline.RestoreForReadingAsync(stored, cancellationToken);
                return;
            }
            copies.AfterActivation(); // choosers may still hold copies of the previous activation
            if (pipeline.HasBackgroundWork) EnsureTimer();
        }
        // Only a fresh activation (snapshot + log) is certain to be exact after a failed write.
        pipeline.OnFailure += DeactivateOnIdle;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.FinishAsync();
        }
        catch (Exception e)
        {
            // Everything acknowledged is in the log already; the next activation replays it.
            logger.LogWarning(e, "Experiment {ExperimentId} could not write its final snapshot", this.GetPrimaryKeyString());
        }
    }

    public async Task<PutOutcome> PutAsync(ExperimentDefinition definition)
    {
        ThrowIfCannotWrite();
        if (definition.Problem() is { } problem) throw new ArgumentException(problem, nameof(definition));
        (bool created, string? conflict) = await pipeline.SaveDefinitionAsync(definition);
        if (conflict is not null) return new PutOutcome { Conflict = conflict };
        ExperimentView view = Model!.View();
        if (pipeline.HasBackgroundWork) EnsureTimer(); // default rewards to give
        // A retired arm must never be served once the caller is answered: leases from now on
        // carry the new definition, and the silos drop the old ones first.
        await WithdrawCopiesAsync();
        return new PutOutcome { Experiment = view, Created = created };
    }

    public Task<ExperimentView?> GetAsync() => Task.FromResult(Model?.View());

    public async Task<bool> DeleteAsync()
    {
        bool deleted = Model is not null && await pipeline.DeleteAsync();
        if (deleted) broadcast.SendDeleted();
        // Either way, no chooser answers for the experiment once this returns.
        await WithdrawCopiesAsync();
        if (deleted) DeactivateOnIdle();
        return deleted;
    }

    public async Task<ServingLease?> ServeAsync(IReadOnlyList<LoggedDecision> issued, long incarnation, int numbersWanted, SiloAddress holder)
    {
        ThrowIfCannotWrite();
        if (Model is null) return null;
        TakeDecisions(issued, incarnation);
        int count = (int)Math.Clamp(numbersWanted, 0, settings.DecisionLeaseBlock);
        if (await pipeline.TakeNumbersAsync(count) is not { } first || Model is not { } model) return null; // deleted meanwhile
        (ServingCopy copy, TimeSpan validFor) = copies.Lease(model, holder);
        return new ServingLease(copy, first, count, validFor);
    }

    /// <summary>Has every silo drop its copy of the experiment; returns once none serves one.</summary>
    private Task WithdrawCopiesAsync()
    {
        string id = this.GetPrimaryKeyString();
        return copies.WithdrawAsync(silo => servingCopies.On(silo).WithdrawAsync(id));
    }

    public Task TakeDecisionsAsync(IReadOnlyList<LoggedDecision> issued, long incarnation)
    {
        ThrowIfCannotWrite();
        if (Model is not null) TakeDecisions(issued, incarnation);
        return Task.CompletedTask;
    }

    public async Task<RewardReceipt?> RewardAsync(IReadOnlyList<RewardRecord> rewards, long incarnation) =>
        (await RewardBatchAsync([rewards], incarnation))[0];

    public Task<RewardReceipt?[]> RewardBatchAsync(IReadOnlyList<IReadOnlyList<RewardRecord>> requests, long incarnation)
    {
        ThrowIfCannotWrite();
        if (Model is null || incarnation != Model.Incarnation) return Task.FromResult(new RewardReceipt?[requests.Count]);
        EnsureTimer(); // the snapshot that follows
        return pipeline.CommitAsync(requests);
    }

    public Task<ExperimentStatistics?> GetStatisticsAsync() => Task.FromResult(Model?.Statistics());

    public Task<ExperimentListing?> GetListingAsync() => Task.FromResult(Model?.Listing());

    public async Task<ExperimentView?> ConcludeAsync(string winner)
    {
        ThrowIfCannotWrite();
        if (Model is null) return null;
        if (!await pipeline.SaveLifecycleAsync("conclude the experiment", (model, now) => model.Conclude(winner, now)))
            return Model is null ? null : throw new ArgumentException($"'{winner}' is not an active arm of experiment '{this.GetPrimaryKeyString()}'.", nameof(winner));
        // As for a change of arms: once the caller is answered, no chooser serves another arm.
        await WithdrawCopiesAsync();
        return Model?.View();
    }

    public async Task<ExperimentView?> ReopenAsync()
    {
        ThrowIfCannotWrite();
        if (Model is null) return null;
        if (await pipeline.SaveLifecycleAsync("reopen the experiment", (model, now) => model.Winner is not null && Reopened(model, now)))
            await WithdrawCopiesAsync();
        return Model?.View();

        static bool Reopened(ExperimentModel model, DateTimeOffset now)
        {
            model.Reopen(now);
            return true;
        }
    }

    public Task<bool> SubscribeAsync(IExperimentObserver observer)
    {
        if (Model is not { } model) return Task.FromResult(false);
        broadcast.Subscribe(observer, model);
        broadcastTimer ??= this.RegisterGrainTimer(SendStatisticsAsync, ExperimentObservers.Interval, ExperimentObservers.Interval);
        return Task.FromResult(true);
    }

    public Task UnsubscribeAsync(IExperimentObserver observer)
    {
        broadcast.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>Once a second while anyone listens: the statistics, if they changed.</summary>
    private Task SendStatisticsAsync(CancellationToken cancellationToken)
    {
        if (Model is { } model && broadcast.HasObservers) broadcast.SendIfChanged(model);
        else
        {
            broadcastTimer?.Dispose();
            broadcastTimer = null;
        }
        return Task.CompletedTask;
    }

    /// <summary>Refuses a write after a failed one (503); the activation then gives way to a fresh one.</summary>
    private void ThrowIfCannotWrite()
    {
        if (!pipeline.Failed) return;
        DeactivateOnIdle();
        pipeline.ThrowIfFailed();
    }

    /// <summary>Counts the decisions a chooser issued for this incarnation (others are of a deleted experiment).</summary>
    private void TakeDecisions(IReadOnlyList<LoggedDecision> issued, long incarnation)
    {
        if (issued.Count == 0 || incarnation != Model!.Incarnation) return;
        pipeline.TakeDecisions(issued);
        EnsureTimer();
    }

    /// <summary>
    /// The timer runs only while there is background work (decisions to log, a snapshot to
    /// write, default rewards to give): an idle experiment costs no CPU, however many there are.
    /// </summary>
    private void EnsureTimer() =>
        timer ??= this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions(settings.DecisionFlushInterval, settings.DecisionFlushInterval) { Interleave = true });

    private Task OnTickAsync(CancellationToken cancellationToken)
    {
        if (pipeline.HasBackgroundWork) pipeline.Tick();
        else
        {
            timer?.Dispose();
            timer = null;
        }
        return Task.CompletedTask;
    }
}

using Bandits.Abstractions;
using Bandits.Grains.Decisions;
using Bandits.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace Bandits.Grains.Commit;

/// <summary>
/// The single writer of one experiment: every database write of its activation goes through
/// here, one at a time. Rewards are group committed: the calls that arrive while a batch is
/// written join the next, which one cycle of a <see cref="BatchWorker"/> writes (decisions
/// first, then rewards, then a due default-reward sweep and a due snapshot), and each caller
/// is answered once its batch committed. Any failed write stops it for good: a write whose
/// outcome is unknown may have landed, so only a fresh activation (snapshot + log) is exact.
/// </summary>
/// <remarks>Not thread-safe: it runs on its grain's activation, between awaits.</remarks>
internal sealed class CommitPipeline
{
    private const int DecisionWriteBatch = 1000; // that many unlogged decisions start a write without waiting for the timer

    // Issue times come from the clocks of the silos that issued the decisions: no decision gets
    // its default before its window has closed on every clock that may be this much ahead.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromSeconds(1);

    private readonly string experimentId;
    private readonly IExperimentLog log;
    private readonly SnapshotStore snapshots;
    private readonly TimeProvider time;
    private readonly ExperimentGrainOptions settings;
    private readonly ExperimentMetrics metrics;
    private readonly StorageWriteHealth writes;
    private readonly ILogger logger;
    // Made at first use, the write chain emptied after each write: an idle experiment holds neither.
    private BatchWorkerFromDelegate? batchWorker;
    private Task? lastWrite; // the write that a new one waits for (writes run one at a time, in order)
    private readonly LogPosition position = new();
    private readonly DecisionNumbers numbers;
    private Queue<PendingRewards>? pending; // made at first use, as the next one
    private List<LoggedDecision>? unlogged;
    private LogOwner owner;
    private long snapshotRevision = -1;
    private DateTimeOffset lastSnapshot;
    private DateTimeOffset lastSweep;
    private DateTimeOffset lastDecisionWrite;
    private DateTimeOffset lastPrune; // the first prune comes a minute into the activation (see the constructor)
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    public CommitPipeline(
        string experimentId, IExperimentLog log, SnapshotStore snapshots, TimeProvider time, ExperimentGrainOptions settings, ExperimentMetrics metrics,
        StorageWriteHealth writes, ILogger logger)
    {
        (this.experimentId, this.log, this.snapshots, this.time, this.settings, this.metrics, this.writes, this.logger) =
            (experimentId, log, snapshots, time, settings, metrics, writes, logger);
        numbers = new DecisionNumbers(settings.DecisionLeaseBlock);
        lastPrune = time.GetUtcNow() - PruneInterval + TimeSpan.FromMinutes(1);
    }

    /// <summary>The experiment, or null if it does not exist.</summary>
    public ExperimentModel? Model { get; private set; }

    /// <summary>Whether a write failed: nothing more is written, and the activation must be replaced.</summary>
    public bool Failed { get; private set; }

    /// <summary>Raised once, at the first failed write.</summary>
    public event Action? OnFailure;

    /// <summary>Whether the timer has work: decisions to log, a snapshot to write, default rewards to give.</summary>
    public bool HasBackgroundWork => Model is not null && !Failed
        && (unlogged is { Count: > 0 } || Model.Definition.DefaultReward is not null || Model.Revision != snapshotRevision);

    private BatchWorkerFromDelegate worker => batchWorker ??= new BatchWorkerFromDelegate(CycleAsync);

    private Queue<PendingRewards> Pending => pending ??= new Queue<PendingRewards>();

    private List<LoggedDecision> Unlogged => unlogged ??= [];

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// Takes ownership of a stored experiment and rebuilds it exactly (<see cref="LogReplay"/>), then writes a
    /// snapshot, which fences the previous activation's snapshot writes. <see cref="Model"/> stays null if it is not registered.
    /// </summary>
    public Task RestoreAsync(ExperimentSnapshot stored, CancellationToken cancellationToken) => WriteAsync("load the experiment", async () =>
    {
        (LogOwner Owner, long NumbersReserved)? claim = await log.ClaimAsync(experimentId, cancellationToken);
        if (claim is null)
        {
            await snapshots.ClearAsync(); // a delete stopped between the log and the snapshot
            return;
        }
        (owner, long numbersReserved) = claim.Value;
        (ExperimentModel model, long floor) = await LogReplay.RestoreAsync(log, experimentId, stored, position, Now, cancellationToken);
        floor = Math.Max(floor, numbersReserved);
        if (floor > numbersReserved) await log.ReserveNumbersAsync(owner, floor, cancellationToken);
        numbers.Restore(floor);
        Model = model;
        await WriteSnapshotAsync();
    });

    /// <summary>
    /// After <see cref="RestoreAsync"/> failed (the database answers reads but takes no writes, a
    /// full disk for one): the experiment as committed, for reading only. The pipeline stays failed,
    /// so every write is refused (503) until a later activation owns the log.
    /// </summary>
    public async Task RestoreForReadingAsync(ExperimentSnapshot stored, CancellationToken cancellationToken)
    {
        if (!Failed) throw new InvalidOperationException("Only an activation that could not take ownership reads without it.");
        try
        {
            (Model, _) = await LogReplay.RestoreAsync(log, experimentId, stored, new LogPosition(), Now, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Experiment {ExperimentId} could not be read", experimentId);
            throw new StorageUnavailableException("The database could not load the experiment; nothing was acknowledged.");
        }
    }

    /// <summary>
    /// Creates the experiment (this activation becomes its owner) or applies a new definition to
    /// it; durable when it returns. Returns whether it was created, or why the change is refused.
    /// </summary>
    public async Task<(bool Created, string? Conflict)> SaveDefinitionAsync(ExperimentDefinition definition)
    {
        (bool, string?) outcome = default;
        await WriteAsync("save the experiment", async () =>
        {
            if (Model is { } existing)
            {
                if (existing.Conflict(definition) is { } conflict)
                {
                    outcome = (false, conflict);
                    return;
                }
                existing.Redefine(definition, Now);
                outcome = (false, null);
            }
            else
            {
                ExperimentModel model = ExperimentModel.Create(experimentId, definition, Now);
                owner = await log.RegisterExperimentAsync(experimentId, model.CreatedAt);
                (position.NextEventNumber, position.AppliedEventNumber, position.NextLogNumber, position.DefaultsSweptThrough) = (1, 0, 1, 0);
                numbers.Restore(1);
                Model = model;
                outcome = (true, null);
            }
            await WriteSnapshotAsync();
        });
        return outcome;
    }

    /// <summary>
    /// Applies a change of the lifecycle (conclude, reopen) and writes a snapshot: durable when it
    /// returns. <paramref name="change"/> returns false to refuse it (nothing is written). False
    /// if refused or the experiment does not exist.
    /// </summary>
    public async Task<bool> SaveLifecycleAsync(string action, Func<ExperimentModel, DateTimeOffset, bool> change)
    {
        bool changed = false;
        await WriteAsync(action, async () =>
        {
            if (Model is null || !change(Model, Now)) return;
            changed = true;
            await WriteSnapshotAsync();
        });
        return changed;
    }

    /// <summary>Deletes the experiment and its log after the write in progress (no drain: under steady traffic it might not end); false if it did not exist. Rewards still queued are answered as for no experiment.</summary>
    public async Task<bool> DeleteAsync()
    {
        bool deleted = false;
        await WriteAsync("delete the experiment", async () =>
        {
            if (Model is null) return; // deleted by a concurrent call
            deleted = true;
            await log.DeleteExperimentAsync(owner);
            await snapshots.ClearAsync();
            Model = null;
            Unlogged.Clear();
        });
        return deleted;
    }

    /// <summary>Hands out <paramref name="count"/> decision numbers (reserving more first if needed) and returns the first.</summary>
    public async Task<long?> TakeNumbersAsync(int count)
    {
        while (Model is not null && !numbers.CanTake(count))
        {
            await WriteAsync("reserve decision numbers", async () =>
            {
                if (Model is null || numbers.CanTake(count)) return; // deleted, or reserved by a concurrent call
                long end = numbers.NextReservationEnd(count);
                await log.ReserveNumbersAsync(owner, end);
                numbers.Reserved(end);
            });
        }
        return Model is null ? null : numbers.Take(count);
    }

    /// <summary>Counts decisions a chooser issued and queues them for the log.</summary>
    public void TakeDecisions(IReadOnlyList<LoggedDecision> issued)
    {
        int taken = 0;
        foreach (LoggedDecision decision in issued)
        {
            if (!Model!.CountIssued(decision.ArmIndex)) continue;
            Unlogged.Add(decision);
            taken++;
        }
        metrics.Decisions.Add(taken);
        // Many at once: write them now. A hot experiment's second of decisions written in one go
        // keeps a core busy for tens of milliseconds, which choices on it would queue behind.
        if (Unlogged.Count >= DecisionWriteBatch) worker.Notify();
    }

    /// <summary>Commits the rewards of several calls in the next batch; each gets its own receipt.</summary>
    public Task<RewardReceipt?[]> CommitAsync(IReadOnlyList<IReadOnlyList<RewardRecord>> requests)
    {
        var waiting = new Task<RewardReceipt?>[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            var rewards = new PendingRewards(requests[i]);
            Pending.Enqueue(rewards);
            waiting[i] = rewards.Completion.Task;
        }
        worker.Notify();
        return Task.WhenAll(waiting);
    }

    /// <summary>Starts a write if decisions wait or a sweep or snapshot is due (the grain's timer calls it).</summary>
    public void Tick()
    {
        if (!Failed && Model is not null && (DecisionsDue() || SweepDue() || SnapshotDue())) worker.Notify();
    }

    /// <summary>Returns once every queued reward and decision is written (or the pipeline failed).</summary>
    public async Task DrainAsync()
    {
        while (!Failed && Model is not null && (pending is { Count: > 0 } || unlogged is { Count: > 0 }))
            await worker.NotifyAndWaitForWorkToBeServiced();
    }

    /// <summary>Returns once the write cycle running now (and one that is due) is done.</summary>
    public Task WaitForWritesAsync() => batchWorker?.WaitForCurrentWorkToBeServiced() ?? Task.CompletedTask;

    /// <summary>Drains and writes a last snapshot, so the next activation replays nothing.</summary>
    public async Task FinishAsync()
    {
        await DrainAsync();
        if (Model is null || Failed) return;
        await WriteAsync("write the final snapshot", async () =>
        {
            if (Model is not null) await WriteSnapshotAsync();
        });
    }

    public void ThrowIfFailed()
    {
        if (Failed) throw new StorageUnavailableException("The experiment is reloading after a storage failure; retry.");
    }

    /// <summary>One work cycle: everything queued, in one batch.</summary>
    private async Task CycleAsync()
    {
        if (Failed || Model is null)
        {
            FailPending(Failed ? new StorageUnavailableException("The experiment is reloading after a storage failure; retry.") : null);
            return;
        }
        PendingRewards[] batch = pending is { Count: > 0 } ? [.. pending] : [];
        pending?.Clear();
        try
        {
            await WriteAsync("commit the rewards", async () =>
            {
                if (Model is null)
                {
                    // Deleted while these waited: the experiment no longer exists.
                    foreach (PendingRewards rewards in batch) rewards.Completion.TrySetResult(null);
                    return;
                }
                await AppendDecisionsAsync();
                if (batch.Length > 0) await CommitRewardsAsync(batch);
                if (SweepDue()) await SweepDefaultRewardsAsync();
                if (SnapshotDue()) await WriteSnapshotAsync();
                if (Now - lastPrune >= PruneInterval) await PruneRollupsAsync();
            });
        }
        catch (Exception e)
        {
            foreach (PendingRewards rewards in batch) rewards.Completion.TrySetException(e);
            FailPending(e);
        }
    }

    private async Task AppendDecisionsAsync()
    {
        if (unlogged is not { Count: > 0 }) return;
        LoggedDecision[] decisions = [.. unlogged];
        unlogged.Clear();
        IReadOnlyList<LoggedDecision> loggedBefore = await log.AppendDecisionsAsync(owner, decisions, position.NextLogNumber);
        position.NextLogNumber += decisions.Length;
        lastDecisionWrite = Now;
        // Handed back twice (a silo retried after a failure whose outcome it could not know):
        // counted once, as the log has it once.
        foreach (LoggedDecision decision in loggedBefore) Model!.Uncount(decision.ArmIndex);
    }

    private async Task CommitRewardsAsync(PendingRewards[] batch)
    {
        var rows = new CommitBatch(batch, position.NextEventNumber, Now.ToUnixTimeMilliseconds());
        position.NextEventNumber += rows.Rows.Count;
        long started = time.GetTimestamp();
        IReadOnlyList<LoggedReward> inserted = await log.AppendRewardsAsync(owner, rows.Rows, rows.Late);
        metrics.CommitSeconds.Record(time.GetElapsedTime(started).TotalSeconds);
        metrics.BatchSize.Record(rows.Rows.Count);
        foreach (LoggedReward reward in rows.Settle(inserted))
        {
            Model!.Apply(reward);
            position.AppliedEventNumber = reward.EventNumber;
        }
        foreach (LateRewards late in rows.Late) Model!.CountLate(late.ArmIndex, late.Count);
        foreach (PendingRewards call in batch)
        {
            metrics.RewardsAccepted.Add(call.Accepted);
            metrics.RewardsDuplicate.Add(call.Duplicates);
            call.Completion.TrySetResult(new RewardReceipt(call.Accepted, call.Duplicates, call.Expired));
        }
    }

    /// <summary>Minute buckets past their retention go, an hour at a time (not on the reward path: one cycle an hour).</summary>
    private async Task PruneRollupsAsync()
    {
        lastPrune = Now;
        await log.PruneMinuteRollupsAsync(experimentId, (Now - Rollups.MinuteRetention).ToUnixTimeMilliseconds());
    }

    // Each write of decisions is a transaction of its own: with thousands of experiments, their
    // number a second is what the log costs, so an experiment writes at most every DecisionLogInterval.
    private bool DecisionsDue() => unlogged is { Count: > 0 } && Now - lastDecisionWrite >= settings.DecisionLogInterval;

    private bool SweepDue() => Model?.Definition.DefaultReward is not null && Now - lastSweep >= settings.DefaultRewardSweepInterval;

    private bool SnapshotDue() => Model is not null && Model.Revision != snapshotRevision && Now - lastSnapshot >= settings.SnapshotInterval;

    private async Task SweepDefaultRewardsAsync()
    {
        lastSweep = Now;
        ExperimentDefinition definition = Model!.Definition;
        long cutoff = (Now - ClockSkewAllowance).AddSeconds(-definition.RewardWindowSeconds).ToUnixTimeMilliseconds();
        (IReadOnlyList<LoggedReward> rewards, long sweptThrough) = await log.AppendDefaultRewardsAsync(
            owner, position.DefaultsSweptThrough, cutoff, definition.DefaultReward!.Value, position.NextEventNumber, Now.ToUnixTimeMilliseconds());
        foreach (LoggedReward reward in rewards)
        {
            Model.Apply(reward);
            position.AppliedEventNumber = reward.EventNumber;
            position.NextEventNumber = Math.Max(position.NextEventNumber, reward.EventNumber + 1);
        }
        position.DefaultsSweptThrough = sweptThrough;
        metrics.DefaultRewards.Add(rewards.Count);
    }

    /// <summary>Writes a fresh snapshot; the caller is a write of <see cref="WriteAsync"/>.</summary>
    private async Task WriteSnapshotAsync()
    {
        await snapshots.WriteAsync(Model!.ToSnapshot(position, unlogged ?? [], numbers.ReservedEnd));
        await log.SaveListingAsync(owner, Model.Listing());
        snapshotRevision = Model.Revision;
        lastSnapshot = Now;
    }

    /// <summary>Runs one write after those before it (a chain: all of this runs on the activation's one thread); a failure stops the pipeline (503).</summary>
    private async Task WriteAsync(string action, Func<Task> write)
    {
        ThrowIfFailed();
        Task? before = lastWrite;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lastWrite = done.Task;
        try
        {
            if (before is not null) await before; // never faults: each write completes its task in finally
            ThrowIfFailed();
            await write();
            writes.Succeeded();
        }
        catch (Exception e) when (e is not StorageUnavailableException)
        {
            Failed = true;
            if (e is not OwnershipLostException) writes.Failed(e);
            logger.LogError(e, "Experiment {ExperimentId} could not {Action}", experimentId, action);
            OnFailure?.Invoke();
            throw new StorageUnavailableException(e is OwnershipLostException
                ? "The experiment moved to another activation; nothing was acknowledged. Retry."
                : $"The database could not {action}; nothing was acknowledged.");
        }
        finally
        {
            done.SetResult();
            if (lastWrite == done.Task) lastWrite = null;
        }
    }

    private void FailPending(Exception? error)
    {
        while (pending is not null && pending.TryDequeue(out PendingRewards? rewards))
        {
            if (error is null) rewards.Completion.TrySetResult(null);
            else rewards.Completion.TrySetException(error);
        }
    }
}

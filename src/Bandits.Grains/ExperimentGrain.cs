using Bandits.Abstractions;
using Bandits.Grains.Serving;
using Bandits.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime;

namespace Bandits.Grains;

/// <summary>
/// One experiment. Choices are made by per-silo choosers (<see cref="ExperimentChooser"/>)
/// from copies of the model this grain leases to them for a bounded time; they hand back the
/// decisions they issued. Rewards are group committed: every call waiting while a batch is
/// written joins the next batch, and each caller is answered only after its batch committed.
/// The snapshot in grain storage plus the log after it rebuild the state exactly on activation.
/// </summary>
/// <remarks>
/// Reentrant so that calls keep arriving while a batch is being written; every state change
/// happens between awaits on the activation's single thread, and all database writes go
/// through <see cref="storageGate"/>, one at a time.
/// <para>
/// Immovable: an activation must be rebuilt from the database (snapshot, log, decision lease,
/// lease expiry of the copies handed out), never carried to another silo in memory. Orleans'
/// migration (which a graceful silo stop may start) would carry the in-memory snapshot object,
/// whose arm list is emptied after every write to save memory, and the new activation would
/// have no arms.
/// </para>
/// </remarks>
[Reentrant, Immovable]
public sealed class ExperimentGrain(
    [PersistentState("experiment", ExperimentGrain.StorageName)] IPersistentState<ExperimentState> snapshot,
    IExperimentLog log,
    TimeProvider time,
    IOptions<ExperimentGrainOptions> options,
    ExperimentMetrics metrics,
    ILogger<ExperimentGrain> logger) : Grain, IExperimentGrain, IExperimentServing
{
    /// <summary>The name of the grain storage provider that holds the snapshots.</summary>
    public const string StorageName = "experiments";

    /// <summary>How far the silos' clocks may disagree: default rewards wait this much longer.</summary>
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromSeconds(1);

    /// <summary>Decisions waiting to be logged that start a write without waiting for the timer.</summary>
    private const int DecisionWriteBatch = 1000;

    private readonly ExperimentGrainOptions settings = options.Value;
    private readonly SemaphoreSlim storageGate = new(1, 1);
    // Made at first use: an experiment that is only created or read (most of them, in a large
    // deployment) holds none of these.
    private Queue<PendingRewards>? pending;
    private List<LoggedDecision>? unlogged;
    private TrafficTally? tally;
    private ExperimentModel? model;
    private ServingCopy? published; // made at the first lease: experiments only read or rewarded need none
    private long publishedRevision;
    private long publishedAt; // monotonic timestamps (TimeProvider.GetTimestamp): leases must not follow clock steps
    private long epoch; // numbers publications, unique across activations (starts at the activation's clock)
    private long leasesExpire; // no chooser uses a copy handed out so far after this
    private Task? writer;
    private IGrainTimer? timer;
    private long nextDecision = 1;
    private long leaseEnd; // decision numbers below this are durably leased; blocks handed out stay below it
    private long nextLogNumber = 1; // orders the decision log: choosers hand decisions back out of sequence order
    private long nextEventNumber = 1;
    private long appliedEventNumber;
    private long snapshotRevision = -1;
    private DateTimeOffset lastSnapshot;
    private DateTimeOffset lastSweep;
    private DateTimeOffset updatedAt;
    private bool failed;

    private string Id => this.GetPrimaryKeyString();

    private Queue<PendingRewards> pendingRewards => pending ??= new Queue<PendingRewards>();

    private List<LoggedDecision> unloggedDecisions => unlogged ??= [];

    private TrafficTally traffic => tally ??= new TrafficTally();

    private DateTimeOffset Now => time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        epoch = Now.UtcTicks;
        try
        {
            await RestoreAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Unavailable("load the experiment", e);
        }
        if (model?.Definition.DefaultReward is not null) EnsureTimer();
    }

    /// <summary>The snapshot plus every reward logged after it: exactly the state that was committed.</summary>
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (snapshot.State.Exists)
        {
            model = ExperimentModel.Restore(snapshot.State);
            appliedEventNumber = snapshot.State.AppliedEventNumber;
            foreach (LoggedReward reward in await log.ReadRewardsAfterAsync(Id, appliedEventNumber, cancellationToken))
            {
                model.Apply(reward);
                appliedEventNumber = reward.EventNumber;
                snapshot.State.UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reward.ReceivedAt);
            }
            nextEventNumber = Math.Max(appliedEventNumber, await log.LastEventNumberAsync(Id, cancellationToken)) + 1;
            DecisionCount counted = await log.CountDecisionsAfterAsync(Id, snapshot.State.DecisionsCountedThrough, cancellationToken);
            model.AddDecisionCounts(counted.PerArm);
            nextLogNumber = counted.LastLogNumber + 1;
            // Numbers of the previous lease may have been issued before a crash: skip them all.
            nextDecision = Math.Max(Math.Max(snapshot.State.DecisionLeaseEnd, counted.HighestSequence + 1), 1);
            leaseEnd = snapshot.State.DecisionLeaseEnd;
            updatedAt = snapshot.State.UpdatedAt;
            // Choosers may still hold copies leased by the previous activation.
            leasesExpire = After(time.GetTimestamp(), settings.ServingLease);
            await WriteSnapshotAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (model is not null && !failed)
        {
            try
            {
                await DrainAsync();
                if (failed) return; // only a fresh activation is trusted after a failure
                await storageGate.WaitAsync(cancellationToken);
                try { await WriteSnapshotAsync(); }
                finally { storageGate.Release(); }
            }
            catch (Exception e)
            {
                // Everything acknowledged is in the log already; the next activation replays it.
                logger.LogWarning(e, "Experiment {ExperimentId} could not write its final snapshot", Id);
            }
        }
    }

    public async Task<PutOutcome> PutAsync(ExperimentDefinition definition)
    {
        (PutOutcome outcome, long oldCopiesExpire) = await SaveDefinitionAsync(definition);
        await WaitUntilAsync(oldCopiesExpire);
        return outcome;
    }

    /// <summary>Saves the definition; returns when every copy of the old one will have expired.</summary>
    private async Task<(PutOutcome, long)> SaveDefinitionAsync(ExperimentDefinition definition)
    {
        ThrowIfFailed();
        await storageGate.WaitAsync();
        try
        {
            ThrowIfFailed();
            bool created = model is null;
            if (model is not null && model.Definition.RewardKind != definition.RewardKind)
                return (new PutOutcome { Conflict = $"The reward kind of experiment '{Id}' is '{model.Definition.RewardKind}' and cannot be changed." }, default);
            if (model is null)
            {
                model = ExperimentModel.Create(definition);
                snapshot.State.Exists = true;
                snapshot.State.CreatedAt = Now;
                snapshot.State.Incarnation = Now.UtcTicks;
                snapshot.State.Version = 1;
                nextEventNumber = 1;
                appliedEventNumber = 0;
                nextDecision = 1;
                leaseEnd = 0;
                await log.RegisterExperimentAsync(Id, snapshot.State.CreatedAt);
            }
            else
            {
                model.Redefine(definition);
                snapshot.State.Version++;
            }
            updatedAt = Now;
            await WriteSnapshotAsync();
            // A retired arm must never be served once the caller is answered: leases from now
            // on carry the new definition, and the caller waits for the old ones to expire.
            published = null;
            if (definition.DefaultReward is not null) EnsureTimer();
            return (new PutOutcome { Experiment = View(), Created = created }, leasesExpire);
        }
        catch (Exception e) when (e is not StorageUnavailableException)
        {
            // The change is in memory but maybe not in the database: only a fresh activation is certain.
            Fail();
            throw Unavailable("save the experiment", e);
        }
        finally
        {
            storageGate.Release();
        }
    }

    public Task<ExperimentView?> GetAsync() => Task.FromResult(model is null ? null : View());

    public async Task<bool> DeleteAsync()
    {
        long? copiesExpire = model is null ? null : await DeleteCoreAsync();
        // Either way, no chooser answers for the experiment once this returns.
        await WaitUntilAsync(copiesExpire ?? leasesExpire);
        return copiesExpire is not null;
    }

    /// <summary>Deletes the experiment; returns when every leased copy will have expired, or null if it did not exist.</summary>
    private async Task<long?> DeleteCoreAsync()
    {
        await DrainAsync();
        await storageGate.WaitAsync();
        try
        {
            if (model is null) return null; // deleted by a concurrent call
            ThrowIfFailed();
            await log.DeleteExperimentAsync(Id);
            await snapshot.ClearStateAsync();
            model = null;
            published = null;
            unloggedDecisions.Clear();
            DeactivateOnIdle();
            return leasesExpire;
        }
        catch (Exception e) when (e is not StorageUnavailableException)
        {
            Fail();
            throw Unavailable("delete the experiment", e);
        }
        finally
        {
            storageGate.Release();
        }
    }

    public async Task<ServingLease?> ServeAsync(IReadOnlyList<LoggedDecision> issued, long incarnation, int numbersWanted)
    {
        ThrowIfFailed();
        if (model is null) return null;
        TakeDecisions(issued, incarnation);
        numbersWanted = (int)Math.Clamp(numbersWanted, 0, settings.DecisionLeaseBlock);
        while (nextDecision + numbersWanted > leaseEnd)
        {
            await ExtendLeaseAsync(numbersWanted);
            if (model is null) return null; // deleted meanwhile
        }
        long first = nextDecision;
        nextDecision += numbersWanted;

        long now = time.GetTimestamp();
        if (published is null || (publishedRevision != model.Revision && time.GetElapsedTime(publishedAt, now) >= settings.ModelRefresh))
        {
            published = model.Publish(View(), ++epoch);
            publishedRevision = model.Revision;
            publishedAt = now;
        }
        else if (publishedRevision == model.Revision)
        {
            publishedAt = now; // still the current model: it is as fresh as a new copy
        }
        // A copy never outlives publishedAt + ServingLease, so it misses at most that much learning.
        TimeSpan validFor = settings.ServingLease - time.GetElapsedTime(publishedAt, now);
        leasesExpire = Math.Max(leasesExpire, After(now, validFor));
        return new ServingLease(published, first, numbersWanted, validFor);
    }

    public Task TakeDecisionsAsync(IReadOnlyList<LoggedDecision> issued, long incarnation)
    {
        ThrowIfFailed();
        if (model is not null) TakeDecisions(issued, incarnation);
        return Task.CompletedTask;
    }

    /// <summary>Counts decisions a chooser issued for this incarnation and queues them for the log.</summary>
    private void TakeDecisions(IReadOnlyList<LoggedDecision> issued, long incarnation)
    {
        if (issued.Count == 0 || incarnation != snapshot.State.Incarnation) return;
        int taken = 0;
        foreach (LoggedDecision decision in issued)
        {
            if (decision.ArmIndex < 0 || decision.ArmIndex >= model!.Learned.ArmCount) continue;
            model.CountDecision(decision.ArmIndex);
            traffic.Count(decision.ArmIndex);
            unloggedDecisions.Add(decision);
            taken++;
        }
        metrics.Decisions.Add(taken);
        // Many at once: write them now. A hot experiment's second of decisions written in one go
        // keeps a core busy for tens of milliseconds, which choices on it would queue behind.
        if (unloggedDecisions.Count >= DecisionWriteBatch) EnsureWriter();
        EnsureTimer();
    }

    public async Task<RewardReceipt?> RewardAsync(IReadOnlyList<RewardRecord> rewards, long incarnation) =>
        (await RewardBatchAsync([rewards], incarnation))[0];

    public async Task<RewardReceipt?[]> RewardBatchAsync(IReadOnlyList<IReadOnlyList<RewardRecord>> requests, long incarnation)
    {
        ThrowIfFailed();
        if (model is null || incarnation != snapshot.State.Incarnation) return new RewardReceipt?[requests.Count];
        // All in one turn, so they join the same commit.
        var waiting = new Task<RewardReceipt?>[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            var pending = new PendingRewards(requests[i]);
            pendingRewards.Enqueue(pending);
            waiting[i] = pending.Completion.Task;
        }
        EnsureWriter();
        EnsureTimer(); // the snapshot that follows
        return await Task.WhenAll(waiting);
    }

    public Task<ExperimentStatistics?> GetStatisticsAsync()
    {
        if (model is null) return Task.FromResult<ExperimentStatistics?>(null);
        return Task.FromResult<ExperimentStatistics?>(model.Statistics(Id, traffic.Shares(model.Learned.ArmCount), updatedAt));
    }

    /// <summary>
    /// Starts the write loop unless it is running. The loop may finish synchronously (SQLite's
    /// ADO.NET methods complete synchronously), so "running" is judged by the task, not by a flag.
    /// </summary>
    private void EnsureWriter()
    {
        if (writer is not { IsCompleted: false }) writer = WriteLoopAsync();
    }

    /// <summary>Writes batches until nothing is pending: decisions first, then rewards, then due sweeps and snapshots.</summary>
    private async Task WriteLoopAsync()
    {
        while (!failed && model is not null && (pendingRewards.Count > 0 || unloggedDecisions.Count > 0 || SweepDue() || SnapshotDue()))
        {
            await storageGate.WaitAsync();
            try
            {
                if (model is null || failed) break; // deleted, or failed, meanwhile
                await WriteBatchAsync();
            }
            finally
            {
                storageGate.Release();
            }
        }
        if (failed)
        {
            var error = new StorageUnavailableException("The experiment is reloading after a storage failure; retry.");
            while (pendingRewards.TryDequeue(out PendingRewards? pending)) pending.Completion.TrySetException(error);
        }
        else if (model is null)
        {
            // Deleted while these waited: the experiment no longer exists.
            while (pendingRewards.TryDequeue(out PendingRewards? pending)) pending.Completion.TrySetResult(null);
        }
    }

    private async Task WriteBatchAsync()
    {
        PendingRewards[] batches = [.. pendingRewards];
        pendingRewards.Clear();
        try
        {
            if (unloggedDecisions.Count > 0)
            {
                LoggedDecision[] decisions = [.. unloggedDecisions];
                unloggedDecisions.Clear();
                IReadOnlyList<LoggedDecision> loggedBefore = await log.AppendDecisionsAsync(Id, decisions, nextLogNumber);
                nextLogNumber += decisions.Length;
                // Handed back twice (a silo retried after a failure whose outcome it could not
                // know): counted once, as the log has it once.
                foreach (LoggedDecision decision in loggedBefore) model!.CountDecision(decision.ArmIndex, -1);
            }
            if (batches.Length > 0) await CommitRewardsAsync(batches);
            if (SweepDue()) await SweepDefaultRewardsAsync();
            if (SnapshotDue()) await WriteSnapshotAsync();
        }
        catch (Exception e)
        {
            // A write whose outcome is unknown may have committed rows this activation has not
            // applied; only a fresh activation (snapshot + log) is certain to be exact.
            Fail();
            var error = Unavailable("commit the rewards", e);
            foreach (PendingRewards pending in batches) pending.Completion.TrySetException(error);
        }
    }

    private async Task CommitRewardsAsync(PendingRewards[] batches)
    {
        long receivedAt = Now.ToUnixTimeMilliseconds();
        var rows = new List<LoggedReward>();
        var owners = new List<PendingRewards>();
        var seen = new HashSet<long>();
        foreach (PendingRewards batch in batches)
        {
            foreach (RewardRecord reward in batch.Rewards)
            {
                // A decision rewarded twice in the same batch: the first one counts.
                if (reward.DecisionSequence is { } sequence && !seen.Add(sequence))
                {
                    batch.Duplicates++;
                    continue;
                }
                rows.Add(new LoggedReward(nextEventNumber++, reward.DecisionSequence, reward.ArmIndex, reward.Reward, 0, receivedAt));
                owners.Add(batch);
            }
        }
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        IReadOnlyList<LoggedReward> inserted = await log.AppendRewardsAsync(Id, rows);
        metrics.CommitSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        metrics.BatchSize.Record(rows.Count);
        var accepted = inserted.Select(r => r.EventNumber).ToHashSet();
        for (int i = 0; i < rows.Count; i++)
        {
            if (accepted.Contains(rows[i].EventNumber))
            {
                model!.Apply(rows[i]);
                appliedEventNumber = rows[i].EventNumber;
                updatedAt = Now;
                owners[i].Accepted++;
            }
            else
            {
                owners[i].Duplicates++;
            }
        }
        foreach (PendingRewards batch in batches)
        {
            metrics.RewardsAccepted.Add(batch.Accepted);
            metrics.RewardsDuplicate.Add(batch.Duplicates);
            batch.Completion.TrySetResult(new RewardReceipt(batch.Accepted, batch.Duplicates, 0));
        }
    }

    private bool SweepDue() =>
        model?.Definition.DefaultReward is not null && Now - lastSweep >= settings.DefaultRewardSweepInterval;

    private bool SnapshotDue() =>
        model is not null && model.Revision != snapshotRevision && Now - lastSnapshot >= settings.SnapshotInterval;

    private async Task SweepDefaultRewardsAsync()
    {
        lastSweep = Now;
        ExperimentDefinition definition = model!.Definition;
        // Issue times come from the clocks of the silos that issued the decisions: allow for a
        // little skew, so that no decision gets its default before its window has closed.
        long cutoff = (Now - ClockSkewAllowance).AddSeconds(-definition.RewardWindowSeconds).ToUnixTimeMilliseconds();
        (IReadOnlyList<LoggedReward> rewards, long sweptThrough) = await log.AppendDefaultRewardsAsync(
            Id, snapshot.State.DefaultsSweptThrough, cutoff, definition.DefaultReward!.Value, nextEventNumber, Now.ToUnixTimeMilliseconds());
        foreach (LoggedReward reward in rewards)
        {
            model.Apply(reward);
            appliedEventNumber = reward.EventNumber;
            nextEventNumber = Math.Max(nextEventNumber, reward.EventNumber + 1);
            updatedAt = Now;
        }
        snapshot.State.DefaultsSweptThrough = sweptThrough;
        metrics.DefaultRewards.Add(rewards.Count);
    }

    /// <summary>
    /// Writes the snapshot; the caller holds the storage gate (or is activating). The new
    /// decision lease counts only once it is stored: choices never use an unstored lease.
    /// </summary>
    private async Task WriteSnapshotAsync()
    {
        model!.WriteTo(snapshot.State, unlogged ?? []);
        snapshot.State.AppliedEventNumber = appliedEventNumber;
        snapshot.State.UpdatedAt = updatedAt;
        snapshot.State.DecisionLeaseEnd = Math.Max(leaseEnd, nextDecision + settings.DecisionLeaseBlock);
        // The counts written leave out the unlogged decisions: they cover exactly the log so far.
        snapshot.State.DecisionsCountedThrough = nextLogNumber - 1;
        await snapshot.WriteStateAsync();
        // The arms are rebuilt from the model before every write: do not keep a second copy.
        snapshot.State.Arms = [];
        leaseEnd = snapshot.State.DecisionLeaseEnd;
        snapshotRevision = model.Revision;
        lastSnapshot = Now;
    }

    private async Task ExtendLeaseAsync(int numbersWanted)
    {
        await storageGate.WaitAsync();
        try
        {
            ThrowIfFailed();
            if (model is not null && nextDecision + numbersWanted > leaseEnd) await WriteSnapshotAsync();
        }
        catch (Exception e) when (e is not StorageUnavailableException)
        {
            Fail();
            throw Unavailable("lease decision numbers", e);
        }
        finally
        {
            storageGate.Release();
        }
    }

    /// <summary>
    /// The timer runs only while there is background work (decisions to log, a snapshot to
    /// write, default rewards to give): an idle experiment costs no CPU, however many there are.
    /// </summary>
    private void EnsureTimer() =>
        timer ??= this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions(settings.DecisionFlushInterval, settings.DecisionFlushInterval) { Interleave = true });

    private Task OnTickAsync(CancellationToken cancellationToken)
    {
        if (model is not null && !failed && (unloggedDecisions.Count > 0 || SweepDue() || SnapshotDue())) EnsureWriter();
        else if (model?.Definition.DefaultReward is null && writer is not { IsCompleted: false } && unloggedDecisions.Count == 0
                 && model?.Revision == snapshotRevision)
        {
            timer?.Dispose();
            timer = null;
        }
        return Task.CompletedTask;
    }

    private async Task DrainAsync()
    {
        while (writer is { IsCompleted: false } running) await running;
        if (unloggedDecisions.Count > 0 && model is not null)
        {
            EnsureWriter();
            await writer!;
        }
    }

    /// <summary>Waits (without holding up other calls) until <paramref name="moment"/> has passed.</summary>
    private async Task WaitUntilAsync(long timestamp)
    {
        TimeSpan wait = time.GetElapsedTime(time.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time);
    }

    /// <summary>The monotonic timestamp <paramref name="span"/> after <paramref name="timestamp"/>.</summary>
    private long After(long timestamp, TimeSpan span) => timestamp + (long)(span.TotalSeconds * time.TimestampFrequency);

    private ExperimentView View() => new()
    {
        Id = Id,
        Definition = model!.Definition,
        Status = "running",
        CreatedAt = snapshot.State.CreatedAt,
        Version = snapshot.State.Version,
        Incarnation = snapshot.State.Incarnation,
        AllArms = model.AllArms(),
    };

    /// <summary>After any storage failure the activation stops and a fresh one rebuilds from the database.</summary>
    private void Fail()
    {
        failed = true;
        DeactivateOnIdle();
    }

    private void ThrowIfFailed()
    {
        if (failed) throw new StorageUnavailableException("The experiment is reloading after a storage failure; retry.");
    }

    private StorageUnavailableException Unavailable(string action, Exception e)
    {
        logger.LogError(e, "Experiment {ExperimentId} could not {Action}", Id, action);
        return new StorageUnavailableException($"The database could not {action}; nothing was acknowledged.");
    }

    /// <summary>The rewards of one call, waiting for their batch to commit.</summary>
    private sealed class PendingRewards(IReadOnlyList<RewardRecord> rewards)
    {
        public IReadOnlyList<RewardRecord> Rewards { get; } = rewards;
        public TaskCompletionSource<RewardReceipt?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Accepted { get; set; }
        public int Duplicates { get; set; }
    }
}

using Bandits.Abstractions;
using Bandits.Grains.Commit;
using Bandits.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bandits.Grains.Tests.Commit;

/// <summary>
/// The commit pipeline on its own: a real SQLite log, grain storage in memory, a fake clock,
/// and a scheduler that runs one task at a time, as a grain activation's does.
/// </summary>
public sealed class CommitPipelineTests
{
    private static readonly ExperimentDefinition TwoArms = new() { Arms = ["a", "b"] };

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly ExperimentGrainOptions settings = new();
    private readonly InMemoryGrainStorage storage = new();
    private readonly IExperimentLog log;
    private readonly WriteGate gate;
    private readonly TaskScheduler activation = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

    public CommitPipelineTests()
    {
        BanditsDatabase database = NewDatabase();
        (log, gate) = (new SqlExperimentLog(database), WriteGate.For(database));
    }

    [Fact]
    public Task ASnapshotIsWrittenOnlyOnceItsIntervalHasPassed() => OnActivation(async () =>
    {
        CommitPipeline pipeline = NewPipeline("snap");
        await pipeline.SaveDefinitionAsync(TwoArms);
        Assert.Equal(1, storage.Writes);

        await pipeline.CommitAsync([[new RewardRecord(0, 1, null)]]);
        time.Advance(settings.SnapshotInterval - TimeSpan.FromMilliseconds(1));
        pipeline.Tick();
        await pipeline.WaitForWritesAsync();
        Assert.Equal(1, storage.Writes);

        time.Advance(TimeSpan.FromMilliseconds(1));
        pipeline.Tick();
        await pipeline.WaitForWritesAsync();
        Assert.Equal(2, storage.Writes);
        Assert.False(pipeline.HasBackgroundWork); // the timer may stop: nothing is left to write
        Assert.Equal(1, (await ReadAsync("snap"))!.AppliedEventNumber);
    });

    [Fact]
    public Task DecisionsAreWrittenAtMostOnceALogIntervalUnlessAThousandWait() => OnActivation(async () =>
    {
        settings.SnapshotInterval = TimeSpan.FromHours(1); // a snapshot's cycle writes the decisions too
        var counted = new HeldLog(log);
        CommitPipeline pipeline = NewPipeline("decisions", counted);
        await pipeline.SaveDefinitionAsync(TwoArms);
        long first = (await pipeline.TakeNumbersAsync(1002))!.Value;
        LoggedDecision Issued(long number) => new(number, 0, time.GetUtcNow().ToUnixTimeMilliseconds(), 0.5, null);

        pipeline.TakeDecisions([Issued(first)]);
        pipeline.Tick();
        await pipeline.WaitForWritesAsync();
        Assert.Equal(1, counted.DecisionWrites); // none written before: at the first tick

        pipeline.TakeDecisions([Issued(first + 1)]);
        time.Advance(settings.DecisionLogInterval - TimeSpan.FromMilliseconds(1));
        pipeline.Tick();
        await pipeline.WaitForWritesAsync();
        Assert.Equal(1, counted.DecisionWrites);
        time.Advance(TimeSpan.FromMilliseconds(1));
        pipeline.Tick();
        await pipeline.WaitForWritesAsync();
        Assert.Equal(2, counted.DecisionWrites);

        pipeline.TakeDecisions([.. Enumerable.Range(2, 1000).Select(i => Issued(first + i))]); // no tick: a thousand go at once
        await pipeline.WaitForWritesAsync();
        Assert.Equal(3, counted.DecisionWrites);
        Assert.Equal(1002, (await log.CountDecisionsAfterAsync("decisions", -1)).PerArm.Values.Sum());
    });

    [Fact]
    public Task RewardsArrivingDuringACommitJoinTheNextOne() => OnActivation(async () =>
    {
        var held = new HeldLog(log);
        CommitPipeline pipeline = NewPipeline("group", held);
        await pipeline.SaveDefinitionAsync(TwoArms);

        Task<RewardReceipt?[]> first = pipeline.CommitAsync([[new RewardRecord(0, 1, null)]]);
        await held.Entered;
        Task<RewardReceipt?[]> second = pipeline.CommitAsync([[new RewardRecord(1, 0, null)]]);
        Task<RewardReceipt?[]> third = pipeline.CommitAsync([[new RewardRecord(1, 1, 7)], [new RewardRecord(1, 1, 7)]]);
        held.Release();
        await Task.WhenAll(first, second, third);

        // The first alone, then everything that waited for it in one write: three rewards, two
        // rows, as the decision rewarded twice within the batch counts once (the first call).
        Assert.Equal([1, 2], held.BatchSizes);
        Assert.Equal(new RewardReceipt?[] { new RewardReceipt(1, 0, 0), new RewardReceipt(0, 1, 0) }, await third);
    });

    [Fact]
    public Task DefaultRewardsWaitForTheWindowAndTheClockSkewAllowance() => OnActivation(async () =>
    {
        CommitPipeline pipeline = NewPipeline("defaults");
        await pipeline.SaveDefinitionAsync(TwoArms with { DefaultReward = 0, RewardWindowSeconds = 60 });
        long first = (await pipeline.TakeNumbersAsync(1))!.Value;
        pipeline.TakeDecisions([new LoggedDecision(first, 1, time.GetUtcNow().ToUnixTimeMilliseconds(), 0.5, null)]);

        time.Advance(TimeSpan.FromSeconds(60)); // the window closed, but a silo's clock may be a second behind
        pipeline.Tick();
        await pipeline.WaitForWritesAsync();
        Assert.Equal(0, pipeline.Model!.Statistics().TotalRewards);

        time.Advance(settings.DefaultRewardSweepInterval);
        pipeline.Tick();
        await pipeline.WaitForWritesAsync();
        ExperimentStatistics statistics = pipeline.Model!.Statistics();
        Assert.Equal(1, statistics.TotalRewards);
        Assert.Equal(1, statistics.Arms[1].Rewards);
    });

    [Fact]
    public Task AFailedWriteFailsItsCallersAndStopsEveryLaterWrite() => OnActivation(async () =>
    {
        var failing = new HeldLog(log) { FailRewards = true };
        CommitPipeline pipeline = NewPipeline("fails", failing);
        int failures = 0;
        pipeline.OnFailure += () => failures++;
        await pipeline.SaveDefinitionAsync(TwoArms);
        failing.Release();

        await Assert.ThrowsAsync<StorageUnavailableException>(() => pipeline.CommitAsync([[new RewardRecord(0, 1, null)]]));
        Assert.True(pipeline.Failed);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => pipeline.CommitAsync([[new RewardRecord(0, 1, null)]]));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => pipeline.SaveDefinitionAsync(TwoArms));
        Assert.Equal(1, failures);
        Assert.Equal(1, failing.RewardCalls);
        Assert.Equal(1, storage.Writes);
    });

    [Fact]
    public Task AnOlderActivationStopsOnceANewerOneHasClaimedTheExperiment() => OnActivation(async () =>
    {
        CommitPipeline older = NewPipeline("split");
        await older.SaveDefinitionAsync(TwoArms);
        await older.CommitAsync([[new RewardRecord(0, 1, null)], [new RewardRecord(1, 0, null)]]);

        CommitPipeline newer = await RestoredAsync("split");

        // The older one's log writes and snapshot writes are both refused; nothing acknowledged is lost.
        await Assert.ThrowsAsync<StorageUnavailableException>(() => older.CommitAsync([[new RewardRecord(0, 1, null)]]));
        CommitPipeline another = NewPipeline("split-snapshot");
        await another.SaveDefinitionAsync(TwoArms);
        await RestoredAsync("split-snapshot");
        await Assert.ThrowsAsync<StorageUnavailableException>(() => another.SaveDefinitionAsync(TwoArms with { Arms = ["a"] }));
        Assert.Equal(["a", "b"], (await ReadAsync("split-snapshot"))!.Definition.Arms);

        Assert.Equal(2, newer.Model!.Statistics().TotalRewards);
        await newer.CommitAsync([[new RewardRecord(0, 1, null)]]);
        CommitPipeline fresh = await RestoredAsync("split");
        Assert.Equal(3, fresh.Model!.Statistics().TotalRewards);
    });

    private CommitPipeline NewPipeline(string id, IExperimentLog? through = null, SnapshotStore? snapshots = null) =>
        new(id, through ?? log, snapshots ?? new SnapshotStore(storage, GrainId.Create("experiment", id), gate), time, settings, new ExperimentMetrics(), new StorageWriteHealth(time), NullLogger.Instance);

    /// <summary>A new activation of a stored experiment, as the grain makes one.</summary>
    private async Task<CommitPipeline> RestoredAsync(string id)
    {
        var snapshots = new SnapshotStore(storage, GrainId.Create("experiment", id), gate);
        ExperimentSnapshot stored = (await snapshots.ReadAsync())!;
        CommitPipeline pipeline = NewPipeline(id, snapshots: snapshots);
        await pipeline.RestoreAsync(stored, CancellationToken.None);
        return pipeline;
    }

    private async Task<ExperimentSnapshot?> ReadAsync(string id) => await new SnapshotStore(storage, GrainId.Create("experiment", id), gate).ReadAsync();

    private Task OnActivation(Func<Task> test) => Task.Factory.StartNew(test, CancellationToken.None, TaskCreationOptions.None, activation).Unwrap();

    private static BanditsDatabase NewDatabase()
    {
        BanditsDatabase database = BanditsDatabase.Embedded(Directory.CreateTempSubdirectory("bandits-pipeline-").FullName);
        SchemaMigrator.ApplyAsync(database).GetAwaiter().GetResult();
        return database;
    }
}

/// <summary>A log that holds reward commits until released (or fails them): the pipeline's neighbour.</summary>
internal sealed class HeldLog(IExperimentLog inner) : IExperimentLog
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first reward commit has reached the log.</summary>
    public Task Entered => entered.Task;

    public bool FailRewards { get; init; }

    public List<int> BatchSizes { get; } = [];

    public int RewardCalls => BatchSizes.Count;

    public int DecisionWrites { get; private set; }

    public void Release() => released.TrySetResult();

    public async Task<IReadOnlyList<LoggedReward>> AppendRewardsAsync(
        LogOwner owner, IReadOnlyList<LoggedReward> rewards, IReadOnlyList<LateRewards> late, CancellationToken cancellationToken = default)
    {
        BatchSizes.Add(rewards.Count);
        entered.TrySetResult();
        await released.Task;
        if (FailRewards) throw new TimeoutException("The database did not answer.");
        return await inner.AppendRewardsAsync(owner, rewards, late, cancellationToken);
    }

    public Task<LogOwner> RegisterExperimentAsync(string experimentId, DateTimeOffset createdAt, CancellationToken cancellationToken = default) => inner.RegisterExperimentAsync(experimentId, createdAt, cancellationToken);
    public Task<(LogOwner Owner, long NumbersReserved)?> ClaimAsync(string experimentId, CancellationToken cancellationToken = default) => inner.ClaimAsync(experimentId, cancellationToken);
    public Task ReserveNumbersAsync(LogOwner owner, long reservedEnd, CancellationToken cancellationToken = default) => inner.ReserveNumbersAsync(owner, reservedEnd, cancellationToken);
    public Task SaveListingAsync(LogOwner owner, ExperimentListing listing, CancellationToken cancellationToken = default) => inner.SaveListingAsync(owner, listing, cancellationToken);
    public Task DeleteExperimentAsync(LogOwner owner, CancellationToken cancellationToken = default) => inner.DeleteExperimentAsync(owner, cancellationToken);
    public Task<IReadOnlyList<LoggedDecision>> AppendDecisionsAsync(LogOwner owner, IReadOnlyList<LoggedDecision> decisions, long firstLogNumber, CancellationToken cancellationToken = default)
    {
        DecisionWrites++;
        return inner.AppendDecisionsAsync(owner, decisions, firstLogNumber, cancellationToken);
    }
    public Task<(IReadOnlyList<LoggedReward> Rewards, long SweptThrough)> AppendDefaultRewardsAsync(LogOwner owner, long afterLogNumber, long issuedBefore, double reward, long firstEventNumber, long receivedAt, CancellationToken cancellationToken = default) => inner.AppendDefaultRewardsAsync(owner, afterLogNumber, issuedBefore, reward, firstEventNumber, receivedAt, cancellationToken);
    public Task<IReadOnlyList<LoggedReward>> ReadRewardsAfterAsync(string experimentId, long eventNumber, CancellationToken cancellationToken = default) => inner.ReadRewardsAfterAsync(experimentId, eventNumber, cancellationToken);
    public Task<long> LastEventNumberAsync(string experimentId, CancellationToken cancellationToken = default) => inner.LastEventNumberAsync(experimentId, cancellationToken);
    public Task<DecisionCount> CountDecisionsAfterAsync(string experimentId, long afterLogNumber, CancellationToken cancellationToken = default) => inner.CountDecisionsAfterAsync(experimentId, afterLogNumber, cancellationToken);
    public Task<IReadOnlyDictionary<int, RollupCounts>> ReadRollupTotalsAsync(string experimentId, int resolution, long from, long before, CancellationToken cancellationToken = default) => inner.ReadRollupTotalsAsync(experimentId, resolution, from, before, cancellationToken);
    public Task PruneMinuteRollupsAsync(string experimentId, long before, CancellationToken cancellationToken = default) => inner.PruneMinuteRollupsAsync(experimentId, before, cancellationToken);
}

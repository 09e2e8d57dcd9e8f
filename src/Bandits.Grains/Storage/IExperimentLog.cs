namespace Bandits.Grains.Storage;

/// <summary>
/// The append-only log of decisions and rewards, kept in the same database as the grain
/// snapshots. A unique key on (experiment, decision) lets the database find duplicate rewards;
/// every write is fenced by its <see cref="LogOwner"/>.
/// </summary>
public interface IExperimentLog
{
    /// <summary>
    /// Records that a new experiment exists (for listing) and makes the caller its owner, with an
    /// epoch above every earlier one of the id. Returns the ownership every later write names.
    /// </summary>
    Task<LogOwner> RegisterExperimentAsync(string experimentId, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a new activation the owner of a registered experiment: every write of the previous
    /// owner fails from now on. Returns the ownership and the end of the decision numbers
    /// reserved so far, or null if the experiment is not registered.
    /// </summary>
    Task<(LogOwner Owner, long NumbersReserved)?> ClaimAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Records that decision numbers below <paramref name="reservedEnd"/> may be issued.</summary>
    Task ReserveNumbersAsync(LogOwner owner, long reservedEnd, CancellationToken cancellationToken = default);

    /// <summary>Rewrites the experiment's line in the list (<see cref="ExperimentCatalog"/>).</summary>
    Task SaveListingAsync(LogOwner owner, Abstractions.ExperimentListing listing, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the experiment's decisions and rewards and marks it deleted; its row stays, so that
    /// the owner epochs of the id keep counting up if it is created again.
    /// </summary>
    Task DeleteExperimentAsync(LogOwner owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends decisions at log positions <paramref name="firstLogNumber"/>, +1, …: the order
    /// the grain received them in, which is not their sequence order (each silo's chooser
    /// numbers from its own block). A decision already logged is skipped; the skipped ones are
    /// returned (almost always none).
    /// </summary>
    Task<IReadOnlyList<LoggedDecision>> AppendDecisionsAsync(
        LogOwner owner, IReadOnlyList<LoggedDecision> decisions, long firstLogNumber, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends rewards atomically and returns those that were new: a reward whose decision was
    /// already rewarded is not inserted (the database's unique key decides). The
    /// <paramref name="late"/> rewards (after their window) are not logged, only counted in the
    /// rollups, in the same commit.
    /// </summary>
    Task<IReadOnlyList<LoggedReward>> AppendRewardsAsync(
        LogOwner owner, IReadOnlyList<LoggedReward> rewards, IReadOnlyList<LateRewards> late, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives the default reward to every decision logged after position
    /// <paramref name="afterLogNumber"/> that has no reward and was issued before
    /// <paramref name="issuedBefore"/>, stopping at the first one that was not (the log is
    /// nearly, not exactly, in issue order), numbering the new events from
    /// <paramref name="firstEventNumber"/>. Returns them and the log position now settled
    /// (the next sweep starts after it).
    /// </summary>
    Task<(IReadOnlyList<LoggedReward> Rewards, long SweptThrough)> AppendDefaultRewardsAsync(
        LogOwner owner, long afterLogNumber, long issuedBefore, double reward, long firstEventNumber, long receivedAt, CancellationToken cancellationToken = default);

    /// <summary>Reward events after <paramref name="eventNumber"/>, in order.</summary>
    Task<IReadOnlyList<LoggedReward>> ReadRewardsAfterAsync(string experimentId, long eventNumber, CancellationToken cancellationToken = default);

    /// <summary>The highest event number logged, or 0.</summary>
    Task<long> LastEventNumberAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Counts the decisions logged after position <paramref name="afterLogNumber"/>.</summary>
    Task<DecisionCount> CountDecisionsAfterAsync(string experimentId, long afterLogNumber, CancellationToken cancellationToken = default);

    /// <summary>
    /// What the rollups of one resolution hold for the experiment in buckets starting in
    /// [<paramref name="from"/>, <paramref name="before"/>) (Unix ms), per arm index: at hour
    /// resolution from 0 on, the whole log and the late rewards.
    /// </summary>
    Task<IReadOnlyDictionary<int, RollupCounts>> ReadRollupTotalsAsync(
        string experimentId, int resolution, long from, long before, CancellationToken cancellationToken = default);

    /// <summary>Deletes the experiment's minute buckets that start before <paramref name="before"/> (Unix ms); hour buckets stay.</summary>
    Task PruneMinuteRollupsAsync(string experimentId, long before, CancellationToken cancellationToken = default);
}

/// <summary>Rewards for one arm that arrived after their decisions' window: counted, not logged.</summary>
public readonly record struct LateRewards(int ArmIndex, int Count, long ReceivedAt);

/// <summary>
/// One activation's ownership of an experiment's log: the epoch it took in the database.
/// Every write names it and fails with <see cref="OwnershipLostException"/> once a newer
/// activation has taken a later epoch.
/// </summary>
public readonly record struct LogOwner(string ExperimentId, long Epoch);

/// <summary>
/// Decisions per arm index in a stretch of the log, the last log position in it (or where it
/// started, if empty) and the highest decision number in it (0 if empty).
/// </summary>
public sealed record DecisionCount(IReadOnlyDictionary<int, long> PerArm, long LastLogNumber, long HighestSequence);

/// <summary>A decision as issued and logged (choosers hand them to their experiment's grain).</summary>
[GenerateSerializer, Immutable, Alias("bandits.logged-decision.v1")]
public readonly record struct LoggedDecision(
    [property: Id(0)] long Sequence,
    [property: Id(1)] int ArmIndex,
    [property: Id(2)] long IssuedAt,
    [property: Id(3)] double Propensity,
    [property: Id(4)] string? UserId);

/// <summary>A reward event as logged. <see cref="Source"/>: 0 posted, 1 default reward.</summary>
public readonly record struct LoggedReward(long EventNumber, long? DecisionSequence, int ArmIndex, double Reward, int Source, long ReceivedAt);

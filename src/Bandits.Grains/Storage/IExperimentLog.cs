namespace Bandits.Grains.Storage;

/// <summary>
/// The append-only log of decisions and rewards, kept in the same database as the grain
/// snapshots. A unique key on (experiment, decision) lets the database find duplicate rewards.
/// </summary>
public interface IExperimentLog
{
    /// <summary>Records that the experiment exists (for listing); idempotent.</summary>
    Task RegisterExperimentAsync(string experimentId, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    /// <summary>Every registered experiment id.</summary>
    Task<IReadOnlyList<string>> ListExperimentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the experiment, its decisions and rewards.</summary>
    Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Appends decisions; a decision already logged is ignored.</summary>
    Task AppendDecisionsAsync(string experimentId, IReadOnlyList<LoggedDecision> decisions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends rewards in one transaction and returns those that were new: a reward whose
    /// decision was already rewarded is not inserted (the database's unique key decides).
    /// </summary>
    Task<IReadOnlyList<LoggedReward>> AppendRewardsAsync(string experimentId, IReadOnlyList<LoggedReward> rewards, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives every logged decision after sequence <paramref name="afterSequence"/> issued
    /// before <paramref name="issuedBefore"/> that has no reward the default reward, numbering
    /// the new events from <paramref name="firstEventNumber"/>. Returns them and the highest
    /// decision sequence now settled (the next sweep starts after it).
    /// </summary>
    Task<(IReadOnlyList<LoggedReward> Rewards, long SweptThrough)> AppendDefaultRewardsAsync(
        string experimentId, long afterSequence, long issuedBefore, double reward, long firstEventNumber, long receivedAt, CancellationToken cancellationToken = default);

    /// <summary>Reward events after <paramref name="eventNumber"/>, in order.</summary>
    Task<IReadOnlyList<LoggedReward>> ReadRewardsAfterAsync(string experimentId, long eventNumber, CancellationToken cancellationToken = default);

    /// <summary>The highest event number logged, or 0.</summary>
    Task<long> LastEventNumberAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Decision counts per arm index for decisions after <paramref name="sequence"/>, and the highest sequence seen.</summary>
    Task<(IReadOnlyDictionary<int, long> Counts, long LastSequence)> CountDecisionsAfterAsync(string experimentId, long sequence, CancellationToken cancellationToken = default);
}

/// <summary>A decision as logged.</summary>
public readonly record struct LoggedDecision(long Sequence, int ArmIndex, long IssuedAt, double Propensity, string? UserId);

/// <summary>A reward event as logged. <see cref="Source"/>: 0 posted, 1 default reward.</summary>
public readonly record struct LoggedReward(long EventNumber, long? DecisionSequence, int ArmIndex, double Reward, int Source, long ReceivedAt);

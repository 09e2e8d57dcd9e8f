namespace Bandits.Grains.Storage;

/// <summary>
/// Runs another log's writes through the <see cref="WriteGate"/>, and on SQLite its reads on
/// the thread pool: Microsoft.Data.Sqlite's async methods complete synchronously, so without
/// this a SQLite commit (an fsync) would block the grain's thread and no rewards could queue up
/// for the next batch: group commit needs the grain free meanwhile.
/// </summary>
public sealed class GatedExperimentLog(IExperimentLog inner, WriteGate gate) : IExperimentLog
{
    public Task<LogOwner> RegisterExperimentAsync(string experimentId, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => inner.RegisterExperimentAsync(experimentId, createdAt, cancellationToken), cancellationToken);

    public Task<(LogOwner Owner, long NumbersReserved)?> ClaimAsync(string experimentId, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => inner.ClaimAsync(experimentId, cancellationToken), cancellationToken);

    public Task ReserveNumbersAsync(LogOwner owner, long reservedEnd, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => inner.ReserveNumbersAsync(owner, reservedEnd, cancellationToken), cancellationToken);

    public Task SaveListingAsync(LogOwner owner, Abstractions.ExperimentListing listing, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => inner.SaveListingAsync(owner, listing, cancellationToken), cancellationToken);

    public Task DeleteExperimentAsync(LogOwner owner, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => inner.DeleteExperimentAsync(owner, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<LoggedDecision>> AppendDecisionsAsync(
        LogOwner owner, IReadOnlyList<LoggedDecision> decisions, long firstLogNumber, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => inner.AppendDecisionsAsync(owner, decisions, firstLogNumber, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<LoggedReward>> AppendRewardsAsync(
        LogOwner owner, IReadOnlyList<LoggedReward> rewards, IReadOnlyList<LateRewards> late, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => inner.AppendRewardsAsync(owner, rewards, late, cancellationToken), cancellationToken);

    public Task<(IReadOnlyList<LoggedReward> Rewards, long SweptThrough)> AppendDefaultRewardsAsync(
        LogOwner owner, long afterLogNumber, long issuedBefore, double reward, long firstEventNumber, long receivedAt, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => inner.AppendDefaultRewardsAsync(owner, afterLogNumber, issuedBefore, reward, firstEventNumber, receivedAt, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<LoggedReward>> ReadRewardsAfterAsync(string experimentId, long eventNumber, CancellationToken cancellationToken = default) =>
        gate.ReadAsync(() => inner.ReadRewardsAfterAsync(experimentId, eventNumber, cancellationToken), cancellationToken);

    public Task<long> LastEventNumberAsync(string experimentId, CancellationToken cancellationToken = default) =>
        gate.ReadAsync(() => inner.LastEventNumberAsync(experimentId, cancellationToken), cancellationToken);

    public Task<DecisionCount> CountDecisionsAfterAsync(string experimentId, long afterLogNumber, CancellationToken cancellationToken = default) =>
        gate.ReadAsync(() => inner.CountDecisionsAfterAsync(experimentId, afterLogNumber, cancellationToken), cancellationToken);

    public Task<IReadOnlyDictionary<int, RollupCounts>> ReadRollupTotalsAsync(
        string experimentId, int resolution, long from, long before, CancellationToken cancellationToken = default) =>
        gate.ReadAsync(() => inner.ReadRollupTotalsAsync(experimentId, resolution, from, before, cancellationToken), cancellationToken);

    public Task PruneMinuteRollupsAsync(string experimentId, long before, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => inner.PruneMinuteRollupsAsync(experimentId, before, cancellationToken), cancellationToken);
}

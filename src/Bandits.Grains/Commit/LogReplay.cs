using Bandits.Grains.Storage;

namespace Bandits.Grains.Commit;

/// <summary>Rebuilds an experiment exactly: its snapshot plus every reward and decision logged after it.</summary>
internal static class LogReplay
{
    /// <summary>
    /// The experiment as committed (at <paramref name="now"/>), with <paramref name="position"/> set to where its log stands,
    /// and the lowest decision number that was certainly never issued (by the snapshot's record
    /// and the numbers logged; the log's own reservation is the caller's to add).
    /// </summary>
    public static async Task<(ExperimentModel Model, long NumbersFloor)> RestoreAsync(
        IExperimentLog log, string experimentId, ExperimentSnapshot stored, LogPosition position, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ExperimentModel model = ExperimentModel.Restore(experimentId, stored);
        position.AppliedEventNumber = stored.AppliedEventNumber;
        foreach (LoggedReward reward in await log.ReadRewardsAfterAsync(experimentId, stored.AppliedEventNumber, cancellationToken))
        {
            model.Apply(reward);
            position.AppliedEventNumber = reward.EventNumber;
        }
        position.NextEventNumber = Math.Max(position.AppliedEventNumber, await log.LastEventNumberAsync(experimentId, cancellationToken)) + 1;
        position.DefaultsSweptThrough = stored.DefaultsSweptThrough;
        DecisionCount counted = await log.CountDecisionsAfterAsync(experimentId, stored.DecisionsCountedThrough, cancellationToken);
        model.AddDecisionCounts(counted.PerArm);
        position.NextLogNumber = counted.LastLogNumber + 1;
        // Snapshots keep these counts (the replay above added the rewards since); an earlier
        // snapshot did not, and the rollups, exact for the log, give them once.
        if (!model.LogCountsKept) model.RestoreLogCounts(await log.ReadRollupTotalsAsync(experimentId, Rollups.Hour, 0, long.MaxValue, cancellationToken));
        // The traffic shares of the last hour, so that they do not start from nothing.
        long hourAgo = now.AddHours(-1).ToUnixTimeMilliseconds();
        model.SeedTraffic(await log.ReadRollupTotalsAsync(experimentId, Rollups.Minute, hourAgo, long.MaxValue, cancellationToken));
        return (model, Math.Max(stored.NumbersReserved, counted.HighestSequence + 1));
    }
}

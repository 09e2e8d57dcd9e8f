using Bandits.Grains.Storage;

namespace Bandits.Grains.Commit;

/// <summary>
/// The rows one commit writes for several calls' rewards, numbered from
/// <paramref name="firstEventNumber"/>, and which call each row answers. A decision rewarded
/// twice within the batch counts once (the first), as the log's unique key would decide. Late
/// rewards become counts per arm, for the rollups only.
/// </summary>
internal sealed class CommitBatch
{
    private readonly List<PendingRewards> callOf = [];

    public CommitBatch(IReadOnlyList<PendingRewards> calls, long firstEventNumber, long receivedAt)
    {
        var seen = new HashSet<long>();
        Dictionary<int, int>? late = null;
        foreach (PendingRewards call in calls)
        {
            foreach (Abstractions.RewardRecord reward in call.Rewards)
            {
                if (reward.Late)
                {
                    call.Expired++;
                    late ??= [];
                    late[reward.ArmIndex] = late.GetValueOrDefault(reward.ArmIndex) + 1;
                    continue;
                }
                if (reward.DecisionSequence is { } sequence && !seen.Add(sequence))
                {
                    call.Duplicates++;
                    continue;
                }
                Rows.Add(new LoggedReward(firstEventNumber++, reward.DecisionSequence, reward.ArmIndex, reward.Reward, 0, receivedAt));
                callOf.Add(call);
            }
        }
        Late = late is null ? [] : late.Select(pair => new LateRewards(pair.Key, pair.Value, receivedAt)).ToList();
    }

    public List<LoggedReward> Rows { get; } = [];

    public IReadOnlyList<LateRewards> Late { get; }

    /// <summary>Counts each row for its call as accepted (the log inserted it) or a duplicate; returns the accepted rows in order.</summary>
    public IEnumerable<LoggedReward> Settle(IReadOnlyList<LoggedReward> inserted)
    {
        HashSet<long>? accepted = inserted.Count == Rows.Count ? null : inserted.Select(r => r.EventNumber).ToHashSet();
        var applied = new List<LoggedReward>(inserted.Count);
        for (int i = 0; i < Rows.Count; i++)
        {
            if (accepted is null || accepted.Contains(Rows[i].EventNumber))
            {
                applied.Add(Rows[i]);
                callOf[i].Accepted++;
            }
            else callOf[i].Duplicates++;
        }
        return applied;
    }
}

using System.Data.Common;

namespace Bandits.Grains.Storage;

/// <summary>
/// The bucket widths and retention of the statistics over time (<c>bandits_rollups</c>, see
/// schema 013): minute buckets for recent history, hour buckets for all of it.
/// </summary>
public static class Rollups
{
    public const int Minute = 60;
    public const int Hour = 3600;

    /// <summary>Minute buckets older than this are deleted; readers rely on them only within <see cref="MinutesReliable"/>.</summary>
    public static readonly TimeSpan MinuteRetention = TimeSpan.FromHours(72);

    /// <summary>How far back minute buckets are certainly all there.</summary>
    public static readonly TimeSpan MinutesReliable = TimeSpan.FromHours(48);

    /// <summary>The start of the bucket of <paramref name="unixMilliseconds"/>.</summary>
    public static long BucketOf(long unixMilliseconds, int resolution) => Floor(unixMilliseconds, resolution * 1000L);

    /// <summary><paramref name="unixMilliseconds"/> rounded down to a multiple of <paramref name="width"/> (ms).</summary>
    public static long Floor(long unixMilliseconds, long width) => unixMilliseconds - unixMilliseconds % width;

    /// <summary>What an upsert does to a bucket that exists already: adds to it (SQLite and PostgreSQL alike).</summary>
    private const string AddToBucket = """
        ON CONFLICT (experiment_id, resolution, bucket, arm_index) DO UPDATE SET
            decisions = bandits_rollups.decisions + excluded.decisions,
            rewards = bandits_rollups.rewards + excluded.rewards,
            reward_sum = bandits_rollups.reward_sum + excluded.reward_sum,
            reward_sum_sq = bandits_rollups.reward_sum_sq + excluded.reward_sum_sq,
            default_rewards = bandits_rollups.default_rewards + excluded.default_rewards,
            joined_rewards = bandits_rollups.joined_rewards + excluded.joined_rewards,
            late_rewards = bandits_rollups.late_rewards + excluded.late_rewards
        """;

    private const string Columns = "INSERT INTO bandits_rollups (experiment_id, resolution, bucket, arm_index, decisions, rewards, reward_sum, reward_sum_sq, default_rewards, joined_rewards, late_rewards)";

    /// <summary>The upsert that adds one row's counts to a bucket.</summary>
    internal const string Upsert = Columns + "\nVALUES (@id, @res, @bucket, @arm, @d, @r, @s, @q, @df, @j, @l)\n" + AddToBucket;

    /// <summary>
    /// The set-based form of the rollup of rows a statement just inserted, for PostgreSQL's
    /// single-statement appends: <c>{0}</c> is a query of (arm_index, at, decisions, rewards,
    /// reward, is_default, joined, late) rows; they are counted into minute and hour buckets.
    /// </summary>
    internal const string PostgresRollupOf = Columns + """

        SELECT @id, r.resolution, x.at / (r.resolution * 1000) * (r.resolution * 1000), x.arm_index,
               SUM(x.decisions), SUM(x.rewards), SUM(x.reward), SUM(x.reward * x.reward), SUM(x.is_default), SUM(x.joined), SUM(x.late)
        FROM ({0}) AS x CROSS JOIN (VALUES (60), (3600)) AS r(resolution)
        GROUP BY 2, 3, 4

        """ + AddToBucket;
}

/// <summary>
/// Counts of log rows gathered by bucket and arm in memory, then added to the rollups inside
/// the transaction that writes the rows (SQLite's appends, and the default-reward sweep).
/// </summary>
internal sealed class RollupDelta
{
    private readonly Dictionary<(int Resolution, long Bucket, int Arm), RollupCounts> counts = [];

    public bool IsEmpty => counts.Count == 0;

    public void AddDecision(LoggedDecision decision) => Add(decision.ArmIndex, decision.IssuedAt, new RollupCounts { Decisions = 1 });

    public void AddReward(LoggedReward reward) => Add(reward.ArmIndex, reward.ReceivedAt, new RollupCounts
    {
        Rewards = 1,
        RewardSum = reward.Reward,
        RewardSumOfSquares = reward.Reward * reward.Reward,
        DefaultRewards = reward.Source == 1 ? 1 : 0,
        JoinedRewards = reward.Source == 0 && reward.DecisionSequence is not null ? 1 : 0,
    });

    public void AddLate(LateRewards late) => Add(late.ArmIndex, late.ReceivedAt, new RollupCounts { LateRewards = late.Count });

    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, string experimentId, CancellationToken cancellationToken)
    {
        if (counts.Count == 0) return;
        await using DbCommand upsert = connection.Command(Rollups.Upsert, transaction)
            .With("@id", experimentId).With("@res", 0).With("@bucket", 0L).With("@arm", 0)
            .With("@d", 0L).With("@r", 0L).With("@s", 0.0).With("@q", 0.0).With("@df", 0L).With("@j", 0L).With("@l", 0L);
        upsert.Prepare();
        foreach (((int resolution, long bucket, int arm), RollupCounts c) in counts)
        {
            upsert.Parameters[1].Value = resolution;
            upsert.Parameters[2].Value = bucket;
            upsert.Parameters[3].Value = arm;
            upsert.Parameters[4].Value = c.Decisions;
            upsert.Parameters[5].Value = c.Rewards;
            upsert.Parameters[6].Value = c.RewardSum;
            upsert.Parameters[7].Value = c.RewardSumOfSquares;
            upsert.Parameters[8].Value = c.DefaultRewards;
            upsert.Parameters[9].Value = c.JoinedRewards;
            upsert.Parameters[10].Value = c.LateRewards;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private void Add(int arm, long at, RollupCounts delta)
    {
        foreach (int resolution in (ReadOnlySpan<int>)[Rollups.Minute, Rollups.Hour])
        {
            var key = (resolution, Rollups.BucketOf(at, resolution), arm);
            counts[key] = counts.TryGetValue(key, out RollupCounts existing) ? existing + delta : delta;
        }
    }
}

/// <summary>What the log holds for one arm in one bucket, or summed over several.</summary>
public readonly record struct RollupCounts
{
    public long Decisions { get; init; }
    public long Rewards { get; init; }
    public double RewardSum { get; init; }
    public double RewardSumOfSquares { get; init; }
    public long DefaultRewards { get; init; }
    public long JoinedRewards { get; init; }
    public long LateRewards { get; init; }

    public static RollupCounts operator +(RollupCounts a, RollupCounts b) => new()
    {
        Decisions = a.Decisions + b.Decisions,
        Rewards = a.Rewards + b.Rewards,
        RewardSum = a.RewardSum + b.RewardSum,
        RewardSumOfSquares = a.RewardSumOfSquares + b.RewardSumOfSquares,
        DefaultRewards = a.DefaultRewards + b.DefaultRewards,
        JoinedRewards = a.JoinedRewards + b.JoinedRewards,
        LateRewards = a.LateRewards + b.LateRewards,
    };
}

using System.Data.Common;

namespace Bandits.Grains.Storage;

/// <summary>
/// Reads the statistics over time (<c>bandits_rollups</c>). Reads need no grain: the rollups
/// are committed with the log, so any silo reads what is committed.
/// </summary>
public sealed class RollupReader(BanditsDatabase database)
{
    /// <summary>The sums of every counter, in <see cref="CountsAt"/>'s order.</summary>
    internal const string Sums =
        "SUM(decisions), SUM(rewards), SUM(reward_sum), SUM(reward_sum_sq), SUM(default_rewards), SUM(joined_rewards), SUM(late_rewards)";

    /// <summary>Buckets of one resolution that start in [<paramref name="from"/>, <paramref name="to"/>) (Unix ms), by time then arm.</summary>
    public async Task<IReadOnlyList<RollupBucket>> ReadBucketsAsync(string experimentId, int resolution, long from, long to, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbCommand query = connection.Command("""
            SELECT bucket, arm_index, decisions, rewards, reward_sum, reward_sum_sq, default_rewards, joined_rewards, late_rewards
            FROM bandits_rollups WHERE experiment_id = @id AND resolution = @res AND bucket >= @from AND bucket < @to
            ORDER BY bucket, arm_index
            """).With("@id", experimentId).With("@res", resolution).With("@from", from).With("@to", to);
        await using DbDataReader reader = await query.ExecuteReaderAsync(cancellationToken);
        var buckets = new List<RollupBucket>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // Typed reads: thousands of rows per history, and plain columns (no SUM) have plain types.
            buckets.Add(new RollupBucket(reader.GetInt64(0), reader.GetInt32(1), new RollupCounts
            {
                Decisions = reader.GetInt64(2),
                Rewards = reader.GetInt64(3),
                RewardSum = reader.GetDouble(4),
                RewardSumOfSquares = reader.GetDouble(5),
                DefaultRewards = reader.GetInt64(6),
                JoinedRewards = reader.GetInt64(7),
                LateRewards = reader.GetInt64(8),
            }));
        }
        return buckets;
    }

    /// <summary>The start of the experiment's first hour bucket (its first decision or reward), or null if it has none.</summary>
    public async Task<long?> ReadFirstHourAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        object? first = await connection.Command("SELECT MIN(bucket) FROM bandits_rollups WHERE experiment_id = @id AND resolution = @res")
            .With("@id", experimentId).With("@res", Rollups.Hour).ScalarAsync(cancellationToken);
        return first is null or DBNull ? null : Convert.ToInt64(first);
    }

    /// <summary>Per arm index, the sums of the buckets of one resolution that start in [<paramref name="from"/>, <paramref name="before"/>).</summary>
    public async Task<IReadOnlyDictionary<int, RollupCounts>> ReadTotalsAsync(
        string experimentId, int resolution, long from, long before, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbCommand query = connection.Command($"""
            SELECT arm_index, {Sums} FROM bandits_rollups
            WHERE experiment_id = @id AND resolution = @res AND bucket >= @from AND bucket < @before GROUP BY arm_index
            """).With("@id", experimentId).With("@res", resolution).With("@from", from).With("@before", before);
        await using DbDataReader reader = await query.ExecuteReaderAsync(cancellationToken);
        var totals = new Dictionary<int, RollupCounts>();
        while (await reader.ReadAsync(cancellationToken)) totals[reader.GetInt32(0)] = CountsAt(reader, 1);
        return totals;
    }

    /// <summary>
    /// The counters from column <paramref name="first"/> on. Sums come back as the database
    /// likes (PostgreSQL's SUM of a bigint is a numeric), so each is converted.
    /// </summary>
    internal static RollupCounts CountsAt(DbDataReader reader, int first) => new()
    {
        Decisions = Convert.ToInt64(reader.GetValue(first)),
        Rewards = Convert.ToInt64(reader.GetValue(first + 1)),
        RewardSum = Convert.ToDouble(reader.GetValue(first + 2)),
        RewardSumOfSquares = Convert.ToDouble(reader.GetValue(first + 3)),
        DefaultRewards = Convert.ToInt64(reader.GetValue(first + 4)),
        JoinedRewards = Convert.ToInt64(reader.GetValue(first + 5)),
        LateRewards = Convert.ToInt64(reader.GetValue(first + 6)),
    };
}

/// <summary>One arm's counts in one bucket (its start in Unix ms).</summary>
public readonly record struct RollupBucket(long Bucket, int ArmIndex, RollupCounts Counts);

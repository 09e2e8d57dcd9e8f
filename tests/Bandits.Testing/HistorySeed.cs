using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bandits.Testing;

/// <summary>
/// Weeks of an experiment's statistics over time, written straight into the rollups table as a
/// long-running experiment would have left them (hour buckets, and minute buckets for the last
/// 48 hours): for the history benchmark and the dashboard's 30-day page, which cannot wait 30
/// days for traffic. The counts follow a bandit that shifts traffic toward the best arm.
/// </summary>
public static class HistorySeed
{
    /// <summary>
    /// Writes <paramref name="days"/> days of buckets ending at the current hour for arm indices
    /// 0 … <paramref name="arms"/> − 1 of <paramref name="experimentId"/>, in the database of a
    /// server on <paramref name="dataDirectory"/> (SQLite) or <paramref name="postgres"/>.
    /// Arm k converts at 4% + 0.4%·k, so the last arm is best. Returns the decisions written.
    /// </summary>
    public static async Task<long> WriteAsync(string experimentId, int arms, int days, string dataDirectory, string? postgres = null, int decisionsPerHour = 600, int seed = 1)
    {
        await using DbConnection connection = postgres is null
            ? new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "bandits.db")};Default Timeout=30")
            : new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using DbTransaction transaction = await connection.BeginTransactionAsync();
        await using DbCommand upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO bandits_rollups (experiment_id, resolution, bucket, arm_index, decisions, rewards, reward_sum, reward_sum_sq, default_rewards, joined_rewards, late_rewards)
            VALUES (@id, @res, @bucket, @arm, @d, @r, @s, @s, 0, @r, 0)
            ON CONFLICT (experiment_id, resolution, bucket, arm_index) DO UPDATE SET
                decisions = bandits_rollups.decisions + excluded.decisions, rewards = bandits_rollups.rewards + excluded.rewards,
                reward_sum = bandits_rollups.reward_sum + excluded.reward_sum, reward_sum_sq = bandits_rollups.reward_sum_sq + excluded.reward_sum_sq,
                joined_rewards = bandits_rollups.joined_rewards + excluded.joined_rewards
            """;
        foreach (string name in new[] { "@id", "@res", "@bucket", "@arm", "@d", "@r", "@s" })
        {
            DbParameter parameter = upsert.CreateParameter();
            parameter.ParameterName = name;
            upsert.Parameters.Add(parameter);
        }
        upsert.Parameters[0].Value = experimentId;

        var random = new Random(seed);
        long hourMs = 3_600_000, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long end = now - now % hourMs, start = end - days * 24 * hourMs, minutesFrom = now - 48 * hourMs;
        long total = 0;
        for (long hour = start; hour < end; hour += hourMs)
        {
            // The share of the best arm grows from uniform to most of the traffic over the run.
            double progress = (double)(hour - start) / (end - start);
            for (int arm = 0; arm < arms; arm++)
            {
                double weight = arm == arms - 1 ? 1 + 8 * progress : 1 - 0.8 * progress;
                double share = weight / ((arms - 1) * (1 - 0.8 * progress) + 1 + 8 * progress);
                long decisions = Math.Max(0, (long)Math.Round(decisionsPerHour * share * (0.8 + 0.4 * random.NextDouble())));
                long rewards = decisions, ones = Binomial(random, decisions, 0.04 + 0.004 * arm);
                total += decisions;
                await WriteAsync(upsert, 3600, hour, arm, decisions, rewards, ones);
                if (hour < minutesFrom) continue;
                // Minute buckets of the same counts, spread evenly over the hour.
                for (int minute = 0; minute < 60; minute++)
                {
                    long d = decisions / 60 + (minute < decisions % 60 ? 1 : 0), o = ones / 60 + (minute < ones % 60 ? 1 : 0);
                    await WriteAsync(upsert, 60, hour + minute * 60_000L, arm, d, d, o);
                }
            }
        }
        await transaction.CommitAsync();
        return total;
    }

    private static async Task WriteAsync(DbCommand upsert, int resolution, long bucket, int arm, long decisions, long rewards, long ones)
    {
        upsert.Parameters[1].Value = resolution;
        upsert.Parameters[2].Value = bucket;
        upsert.Parameters[3].Value = arm;
        upsert.Parameters[4].Value = decisions;
        upsert.Parameters[5].Value = rewards;
        upsert.Parameters[6].Value = (double)ones;
        await upsert.ExecuteNonQueryAsync();
    }

    private static long Binomial(Random random, long trials, double p)
    {
        long successes = 0;
        for (long i = 0; i < trials; i++)
            if (random.NextDouble() < p) successes++;
        return successes;
    }
}

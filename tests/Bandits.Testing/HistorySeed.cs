using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bandits.Testing;

/// <summary>
/// Weeks of an experiment's statistics over time, written straight into the database as a
/// long-running experiment would have left them: for the history benchmark and the dashboard's
/// 30-day page, which cannot wait 30 days for traffic. The counts follow a bandit that shifts
/// traffic toward the best arm. Either the rollups alone (hour buckets, and minute buckets for the
/// last 48 hours), or the decision and reward log as well, the rollups then counted from it as
/// the schema migration counts an earlier log; an experiment loaded before the seed reads the
/// seeded log only when it is loaded again (restart the server).
/// </summary>
public static class HistorySeed
{
    /// <summary>
    /// Writes <paramref name="days"/> days of buckets ending at the current hour for arm indices
    /// 0 … <paramref name="arms"/> − 1 of <paramref name="experimentId"/>, in the database of a
    /// server on <paramref name="dataDirectory"/> (SQLite) or <paramref name="postgres"/>.
    /// Arm k converts at 4% + 0.4%·k, so the last arm is best. Returns the decisions written.
    /// </summary>
    /// <param name="withLog">Write the decisions and rewards too (one reward per decision, 1 or 0), consistent with the rollups.</param>
    public static async Task<long> WriteAsync(
        string experimentId, int arms, int days, string dataDirectory, string? postgres = null, int decisionsPerHour = 600, int seed = 1, bool withLog = false)
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

        LogWriter? log = withLog ? new LogWriter(connection, transaction, experimentId) : null;
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
                if (log is not null)
                {
                    await log.WriteAsync(arm, hour, decisions, ones, share);
                    continue;
                }
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
        if (log is not null) await log.CountIntoRollupsAsync();
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

    /// <summary>Decision and reward rows in log order, then the rollups counted from them.</summary>
    private sealed class LogWriter
    {
        private readonly DbConnection connection;
        private readonly DbTransaction transaction;
        private readonly string experimentId;
        private readonly DbCommand decision, reward;
        private long next = 1; // decision number, log position and event number alike

        public LogWriter(DbConnection connection, DbTransaction transaction, string experimentId)
        {
            (this.connection, this.transaction, this.experimentId) = (connection, transaction, experimentId);
            decision = Prepare("INSERT INTO bandits_decisions (experiment_id, decision_seq, arm_index, issued_at, propensity, user_id, log_no) VALUES (@id, @n, @arm, @at, @p, NULL, @n)",
                "@id", "@n", "@arm", "@at", "@p");
            reward = Prepare("INSERT INTO bandits_rewards (experiment_id, event_no, decision_seq, arm_index, reward, source, received_at) VALUES (@id, @n, @n, @arm, @r, 0, @at)",
                "@id", "@n", "@arm", "@r", "@at");
        }

        /// <summary>The hour's decisions of one arm, spread over it, each rewarded a second later: the first <paramref name="ones"/> with 1.</summary>
        public async Task WriteAsync(int arm, long hour, long decisions, long ones, double propensity)
        {
            for (long i = 0; i < decisions; i++, next++)
            {
                long at = hour + i * 3_540_000 / Math.Max(1, decisions); // within the hour's first 59 minutes
                decision.Parameters[1].Value = next;
                decision.Parameters[2].Value = arm;
                decision.Parameters[3].Value = at;
                decision.Parameters[4].Value = propensity;
                await decision.ExecuteNonQueryAsync();
                reward.Parameters[1].Value = next;
                reward.Parameters[2].Value = arm;
                reward.Parameters[3].Value = i < ones ? 1.0 : 0.0;
                reward.Parameters[4].Value = at + 1000;
                await reward.ExecuteNonQueryAsync();
            }
        }

        /// <summary>The rollups of the seeded log, by the statements of schema 013.</summary>
        public async Task CountIntoRollupsAsync()
        {
            bool postgres = connection is NpgsqlConnection;
            string resolutions = postgres ? "(VALUES (60), (3600)) AS r(resolution)" : "(SELECT 60 AS resolution UNION ALL SELECT 3600) r";
            await ExecuteAsync($"""
                INSERT INTO bandits_rollups (experiment_id, resolution, bucket, arm_index, decisions)
                SELECT d.experiment_id, r.resolution, d.issued_at / (r.resolution * 1000) * (r.resolution * 1000), d.arm_index, COUNT(*)
                FROM bandits_decisions d CROSS JOIN {resolutions} WHERE d.experiment_id = @id GROUP BY 1, 2, 3, 4
                """);
            await ExecuteAsync($"""
                INSERT INTO bandits_rollups (experiment_id, resolution, bucket, arm_index, rewards, reward_sum, reward_sum_sq, joined_rewards)
                SELECT w.experiment_id, r.resolution, w.received_at / (r.resolution * 1000) * (r.resolution * 1000), w.arm_index,
                       COUNT(*), SUM(w.reward), SUM(w.reward * w.reward), COUNT(*)
                FROM bandits_rewards w CROSS JOIN {resolutions} WHERE w.experiment_id = @id GROUP BY 1, 2, 3, 4
                ON CONFLICT (experiment_id, resolution, bucket, arm_index) DO UPDATE SET
                    rewards = bandits_rollups.rewards + excluded.rewards, reward_sum = bandits_rollups.reward_sum + excluded.reward_sum,
                    reward_sum_sq = bandits_rollups.reward_sum_sq + excluded.reward_sum_sq, joined_rewards = bandits_rollups.joined_rewards + excluded.joined_rewards
                """);
            // Minute buckets are kept for 72 hours only, as the server keeps them.
            await ExecuteAsync($"DELETE FROM bandits_rollups WHERE experiment_id = @id AND resolution = 60 AND bucket < {DateTimeOffset.UtcNow.AddHours(-72).ToUnixTimeMilliseconds()}");
        }

        private DbCommand Prepare(string sql, params string[] names)
        {
            DbCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (string name in names)
            {
                DbParameter parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = name == "@id" ? experimentId : name is "@p" or "@r" ? 0.0 : 0L;
                command.Parameters.Add(parameter);
            }
            command.Prepare();
            return command;
        }

        private async Task ExecuteAsync(string sql)
        {
            await using DbCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            DbParameter id = command.CreateParameter();
            id.ParameterName = "@id";
            id.Value = experimentId;
            command.Parameters.Add(id);
            await command.ExecuteNonQueryAsync();
        }
    }
}

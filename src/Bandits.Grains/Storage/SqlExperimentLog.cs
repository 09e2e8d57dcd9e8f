using System.Data.Common;

namespace Bandits.Grains.Storage;

/// <summary>
/// The event log in SQLite or PostgreSQL. Both accept the same statements here (ON CONFLICT …
/// DO NOTHING, RETURNING, window functions), so there is one SQL text for each, except that
/// batches are written the way each database writes fastest: column arrays on PostgreSQL, a
/// prepared row statement on SQLite.
/// </summary>
public sealed class SqlExperimentLog(BanditsDatabase database) : IExperimentLog
{
    private readonly RollupReader rollups = new(database);

    public async Task<LogOwner> RegisterExperimentAsync(string experimentId, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        // Registered already (deleted, or a create that failed after this step): the epoch goes on
        // counting up from the old row's, so no activation of an earlier incarnation can write.
        object? epoch = await connection.Command("""
            INSERT INTO bandits_experiments (experiment_id, created_at, owner_epoch) VALUES (@id, @at, 1)
            ON CONFLICT (experiment_id) DO UPDATE SET owner_epoch = bandits_experiments.owner_epoch + 1, deleted = 0, created_at = @at
            RETURNING owner_epoch
            """).With("@id", experimentId).With("@at", createdAt.ToUnixTimeMilliseconds()).ScalarAsync(cancellationToken);
        return new LogOwner(experimentId, Convert.ToInt64(epoch));
    }

    public async Task<(LogOwner Owner, long NumbersReserved)?> ClaimAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        // On PostgreSQL this waits for the share locks of writes in flight (see Fence): a write
        // of the previous owner either lands before the claim or fails after it.
        await using DbCommand query = connection.Command("""
            UPDATE bandits_experiments SET owner_epoch = owner_epoch + 1 WHERE experiment_id = @id AND deleted = 0
            RETURNING owner_epoch, numbers_reserved
            """).With("@id", experimentId);
        await using DbDataReader reader = await query.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (new LogOwner(experimentId, reader.GetInt64(0)), reader.GetInt64(1));
    }

    public async Task ReserveNumbersAsync(LogOwner owner, long reservedEnd, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        int updated = await connection.Command("""
            UPDATE bandits_experiments SET numbers_reserved = @end WHERE experiment_id = @id AND owner_epoch = @epoch
            """).With("@id", owner.ExperimentId).With("@epoch", owner.Epoch).With("@end", reservedEnd).NonQueryAsync(cancellationToken);
        if (updated == 0) throw new OwnershipLostException(owner.ExperimentId);
    }

    public async Task SaveListingAsync(LogOwner owner, Abstractions.ExperimentListing listing, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        int updated = await connection.Command("""
            UPDATE bandits_experiments SET status = @status, listing = @listing WHERE experiment_id = @id AND owner_epoch = @epoch
            """).With("@id", owner.ExperimentId).With("@epoch", owner.Epoch)
            .With("@status", listing.Experiment.Status).With("@listing", ExperimentCatalog.Serialize(listing))
            .NonQueryAsync(cancellationToken);
        if (updated == 0) throw new OwnershipLostException(owner.ExperimentId);
    }

    public async Task DeleteExperimentAsync(LogOwner owner, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row stays, marked deleted, with a later epoch: the deleting owner's own epoch is over too.
        int owned = await connection.Command("""
            UPDATE bandits_experiments SET deleted = 1, owner_epoch = owner_epoch + 1, numbers_reserved = 0
            WHERE experiment_id = @id AND owner_epoch = @epoch
            """, transaction).With("@id", owner.ExperimentId).With("@epoch", owner.Epoch).NonQueryAsync(cancellationToken);
        if (owned == 0) throw new OwnershipLostException(owner.ExperimentId);
        foreach (string table in new[] { "bandits_rewards", "bandits_decisions", "bandits_rollups" })
        {
            await connection.Command($"DELETE FROM {table} WHERE experiment_id = @id", transaction)
                .With("@id", owner.ExperimentId).NonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LoggedDecision>> AppendDecisionsAsync(
        LogOwner owner, IReadOnlyList<LoggedDecision> decisions, long firstLogNumber, CancellationToken cancellationToken = default)
    {
        string experimentId = owner.ExperimentId;
        if (decisions.Count == 0) return [];
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        const string Insert = "INSERT INTO bandits_decisions (experiment_id, decision_seq, arm_index, issued_at, propensity, user_id, log_no) ";
        const string Skip = " ON CONFLICT (experiment_id, decision_seq) DO NOTHING";
        if (database.Kind == DatabaseKind.Postgres)
        {
            // One statement whatever the batch size (a column array per field, unnested into
            // rows), atomic by itself: no transaction, so one round trip.
            // The rollup of the rows inserted rides in the same statement (a data-modifying CTE).
            string sql = Fence + ", inserted AS (" + Insert + "SELECT @id, * FROM unnest(@s, @a, @t, @p, @u, @l) WHERE EXISTS (SELECT 1 FROM owner)" + Skip
                + " RETURNING arm_index, issued_at), rollup AS ("
                + string.Format(Rollups.PostgresRollupOf, "SELECT arm_index, issued_at AS at, 1 AS decisions, 0 AS rewards, 0.0 AS reward, 0 AS is_default, 0 AS joined, 0 AS late FROM inserted")
                + ") SELECT COUNT(*) FROM inserted";
            long inserted = Convert.ToInt64(await connection.Command(sql)
                .With("@id", experimentId).With("@epoch", owner.Epoch)
                .With("@s", decisions.Select(d => d.Sequence).ToArray())
                .With("@a", decisions.Select(d => d.ArmIndex).ToArray())
                .With("@t", decisions.Select(d => d.IssuedAt).ToArray())
                .With("@p", decisions.Select(d => d.Propensity).ToArray())
                .With("@u", decisions.Select(d => d.UserId).ToArray())
                .With("@l", Enumerable.Range(0, decisions.Count).Select(i => firstLogNumber + i).ToArray())
                .ScalarAsync(cancellationToken));
            if (inserted == decisions.Count) return [];
            await EnsureOwnerAsync(connection, null, owner, cancellationToken);
            // Rare (a decision handed back twice after a failure): find which positions were not written.
            var written = new HashSet<long>();
            await using DbCommand query = connection.Command(
                    "SELECT log_no FROM bandits_decisions WHERE experiment_id = @id AND log_no BETWEEN @first AND @last")
                .With("@id", experimentId).With("@first", firstLogNumber).With("@last", firstLogNumber + decisions.Count - 1)
                ;
            await using DbDataReader reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) written.Add(reader.GetInt64(0));
            return decisions.Where((_, i) => !written.Contains(firstLogNumber + i)).ToList();
        }
        else
        {
            // SQLite: one prepared single-row statement, executed per row in one transaction (a
            // multi-row statement's parameters are each looked up by name in a list: quadratic).
            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            await EnsureOwnerAsync(connection, transaction, owner, cancellationToken);
            await using DbCommand command = connection.Command(Insert + "VALUES (@id, @s, @a, @t, @p, @u, @l)" + Skip, transaction)
                .With("@id", experimentId).With("@s", 0L).With("@a", 0).With("@t", 0L).With("@p", 0.0).With("@u", null).With("@l", 0L);
            command.Prepare();
            long logNumber = firstLogNumber;
            var skipped = new List<LoggedDecision>();
            var rollup = new RollupDelta();
            foreach (LoggedDecision d in decisions)
            {
                command.Parameters[1].Value = d.Sequence;
                command.Parameters[2].Value = d.ArmIndex;
                command.Parameters[3].Value = d.IssuedAt;
                command.Parameters[4].Value = d.Propensity;
                command.Parameters[5].Value = (object?)d.UserId ?? DBNull.Value;
                command.Parameters[6].Value = logNumber++;
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 0) skipped.Add(d);
                else rollup.AddDecision(d);
            }
            await rollup.WriteAsync(connection, transaction, experimentId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return skipped;
        }
    }

    public async Task<IReadOnlyList<LoggedReward>> AppendRewardsAsync(
        LogOwner owner, IReadOnlyList<LoggedReward> rewards, IReadOnlyList<LateRewards> late, CancellationToken cancellationToken = default)
    {
        string experimentId = owner.ExperimentId;
        if (rewards.Count == 0 && late.Count == 0) return [];
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        const string Insert = "INSERT INTO bandits_rewards (experiment_id, event_no, decision_seq, arm_index, reward, source, received_at) ";
        // A decision rewarded before is skipped, not an error: it is counted as a duplicate.
        const string Skip = " ON CONFLICT (experiment_id, decision_seq) DO NOTHING RETURNING event_no";
        var inserted = new HashSet<long>();
        if (database.Kind == DatabaseKind.Postgres)
        {
            // The rollup of the rows inserted (and of the late ones, counted only) rides in the same statement.
            string sql = Fence + ", inserted AS (" + Insert + "SELECT @id, * FROM unnest(@e, @d, @a, @r, @s, @t) WHERE EXISTS (SELECT 1 FROM owner)" + Skip
                + ", arm_index, reward, source, decision_seq, received_at), rollup AS ("
                + string.Format(Rollups.PostgresRollupOf, """
                    SELECT arm_index, received_at AS at, 0 AS decisions, 1 AS rewards, reward, CASE WHEN source = 1 THEN 1 ELSE 0 END AS is_default,
                           CASE WHEN source = 0 AND decision_seq IS NOT NULL THEN 1 ELSE 0 END AS joined, 0 AS late FROM inserted
                    UNION ALL
                    SELECT l.arm_index, l.at, 0, 0, 0.0, 0, 0, l.late FROM unnest(@la, @lt, @ln) AS l(arm_index, at, late) WHERE EXISTS (SELECT 1 FROM owner)
                    """)
                + ") SELECT event_no FROM inserted";
            await using DbCommand command = connection.Command(sql)
                .With("@id", experimentId).With("@epoch", owner.Epoch)
                .With("@e", rewards.Select(r => r.EventNumber).ToArray())
                .With("@d", rewards.Select(r => r.DecisionSequence).ToArray())
                .With("@a", rewards.Select(r => r.ArmIndex).ToArray())
                .With("@r", rewards.Select(r => r.Reward).ToArray())
                .With("@s", rewards.Select(r => (short)r.Source).ToArray())
                .With("@t", rewards.Select(r => r.ReceivedAt).ToArray())
                .With("@la", late.Select(l => l.ArmIndex).ToArray())
                .With("@lt", late.Select(l => l.ReceivedAt).ToArray())
                .With("@ln", late.Select(l => (long)l.Count).ToArray());
            await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) inserted.Add(reader.GetInt64(0));
            }
            if (inserted.Count < rewards.Count) await EnsureOwnerAsync(connection, null, owner, cancellationToken);
        }
        else
        {
            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            await EnsureOwnerAsync(connection, transaction, owner, cancellationToken);
            await using DbCommand command = connection.Command(Insert + "VALUES (@id, @e, @d, @a, @r, @s, @t)" + Skip, transaction)
                .With("@id", experimentId).With("@e", 0L).With("@d", null).With("@a", 0).With("@r", 0.0).With("@s", 0).With("@t", 0L);
            command.Prepare();
            var rollup = new RollupDelta();
            foreach (LoggedReward r in rewards)
            {
                command.Parameters[1].Value = r.EventNumber;
                command.Parameters[2].Value = r.DecisionSequence is { } sequence ? sequence : DBNull.Value;
                command.Parameters[3].Value = r.ArmIndex;
                command.Parameters[4].Value = r.Reward;
                command.Parameters[5].Value = r.Source;
                command.Parameters[6].Value = r.ReceivedAt;
                if (await command.ExecuteScalarAsync(cancellationToken) is long eventNumber)
                {
                    inserted.Add(eventNumber);
                    rollup.AddReward(r);
                }
            }
            foreach (LateRewards l in late) rollup.AddLate(l);
            await rollup.WriteAsync(connection, transaction, experimentId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return inserted.Count == rewards.Count ? rewards : rewards.Where(r => inserted.Contains(r.EventNumber)).ToList();
    }

    public async Task<(IReadOnlyList<LoggedReward> Rewards, long SweptThrough)> AppendDefaultRewardsAsync(
        LogOwner owner, long afterLogNumber, long issuedBefore, double reward, long firstEventNumber, long receivedAt, CancellationToken cancellationToken = default)
    {
        string experimentId = owner.ExperimentId;
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await EnsureOwnerAsync(connection, transaction, owner, cancellationToken);
        // Settle the log up to just before the first decision still inside its window (or all
        // of it): choosers hand decisions back a little late, so the log is only nearly in
        // issue order, and a decision must never get its default before its window closed.
        object? through = await connection.Command("""
            SELECT COALESCE(
                (SELECT MIN(log_no) - 1 FROM bandits_decisions WHERE experiment_id = @id AND log_no > @after AND issued_at >= @before),
                (SELECT MAX(log_no) FROM bandits_decisions WHERE experiment_id = @id AND log_no > @after))
            """, transaction).With("@id", experimentId).With("@after", afterLogNumber).With("@before", issuedBefore)
            .ScalarAsync(cancellationToken);
        if (through is null or DBNull || Convert.ToInt64(through) <= afterLogNumber) return ([], afterLogNumber);
        long settled = Convert.ToInt64(through);

        await using DbCommand insert = connection.Command("""
            INSERT INTO bandits_rewards (experiment_id, event_no, decision_seq, arm_index, reward, source, received_at)
            SELECT d.experiment_id, @first + ROW_NUMBER() OVER (ORDER BY d.log_no) - 1, d.decision_seq, d.arm_index, @reward, 1, @now
            FROM bandits_decisions d
            WHERE d.experiment_id = @id AND d.log_no > @after AND d.log_no <= @through
              AND NOT EXISTS (SELECT 1 FROM bandits_rewards r WHERE r.experiment_id = d.experiment_id AND r.decision_seq = d.decision_seq)
            RETURNING event_no, decision_seq, arm_index
            """, transaction)
            .With("@id", experimentId).With("@after", afterLogNumber).With("@through", settled)
            .With("@first", firstEventNumber).With("@reward", reward).With("@now", receivedAt);
        var rewards = new List<LoggedReward>();
        await using (DbDataReader reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                rewards.Add(new LoggedReward(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reward, 1, receivedAt));
        }
        var rollup = new RollupDelta();
        foreach (LoggedReward r in rewards) rollup.AddReward(r);
        await rollup.WriteAsync(connection, transaction, experimentId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        rewards.Sort((a, b) => a.EventNumber.CompareTo(b.EventNumber));
        return (rewards, settled);
    }

    public async Task<IReadOnlyList<LoggedReward>> ReadRewardsAfterAsync(string experimentId, long eventNumber, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbCommand query = connection.Command("""
            SELECT event_no, decision_seq, arm_index, reward, source, received_at FROM bandits_rewards
            WHERE experiment_id = @id AND event_no > @after ORDER BY event_no
            """).With("@id", experimentId).With("@after", eventNumber);
        await using DbDataReader reader = await query.ExecuteReaderAsync(cancellationToken);
        var rewards = new List<LoggedReward>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rewards.Add(new LoggedReward(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt32(2),
                reader.GetDouble(3), reader.GetInt32(4), reader.GetInt64(5)));
        }
        return rewards;
    }

    public async Task<long> LastEventNumberAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        object? last = await connection.Command("SELECT MAX(event_no) FROM bandits_rewards WHERE experiment_id = @id")
            .With("@id", experimentId).ScalarAsync(cancellationToken);
        return last is null or DBNull ? 0 : Convert.ToInt64(last);
    }

    public async Task<DecisionCount> CountDecisionsAfterAsync(string experimentId, long afterLogNumber, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbCommand query = connection.Command("""
            SELECT arm_index, COUNT(*), MAX(log_no), MAX(decision_seq) FROM bandits_decisions
            WHERE experiment_id = @id AND log_no > @after GROUP BY arm_index
            """).With("@id", experimentId).With("@after", afterLogNumber);
        await using DbDataReader reader = await query.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<int, long>();
        long last = afterLogNumber, highest = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt32(0)] = reader.GetInt64(1);
            last = Math.Max(last, reader.GetInt64(2));
            highest = Math.Max(highest, reader.GetInt64(3));
        }
        return new DecisionCount(counts, last, highest);
    }

    public Task<IReadOnlyDictionary<int, RollupCounts>> ReadRollupTotalsAsync(
        string experimentId, int resolution, long from, long before, CancellationToken cancellationToken = default) =>
        rollups.ReadTotalsAsync(experimentId, resolution, from, before, cancellationToken);

    public async Task PruneMinuteRollupsAsync(string experimentId, long before, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await connection.Command("DELETE FROM bandits_rollups WHERE experiment_id = @id AND resolution = @res AND bucket < @before")
            .With("@id", experimentId).With("@res", Rollups.Minute).With("@before", before).NonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The ownership check that prefixes PostgreSQL's single-statement appends: the statement
    /// inserts nothing unless the caller still owns the experiment, and FOR SHARE holds the row
    /// until it commits, so a claim (an UPDATE of the row) waits for it, and a claim that came
    /// first makes it insert nothing.
    /// </summary>
    private const string Fence =
        "WITH owner AS (SELECT 1 FROM bandits_experiments WHERE experiment_id = @id AND owner_epoch = @epoch FOR SHARE) ";

    /// <summary>
    /// Throws unless <paramref name="owner"/> still owns the experiment. Inside a transaction it
    /// fences the writes that follow: SQLite's transactions here take the write lock at BEGIN
    /// (BEGIN IMMEDIATE), and on PostgreSQL FOR SHARE holds the row until commit.
    /// </summary>
    private async Task EnsureOwnerAsync(DbConnection connection, DbTransaction? transaction, LogOwner owner, CancellationToken cancellationToken)
    {
        string sql = "SELECT COUNT(*) FROM bandits_experiments WHERE experiment_id = @id AND owner_epoch = @epoch";
        if (database.Kind == DatabaseKind.Postgres) sql = "SELECT COUNT(*) FROM (SELECT 1 FROM bandits_experiments WHERE experiment_id = @id AND owner_epoch = @epoch FOR SHARE) o";
        object? owned = await connection.Command(sql, transaction).With("@id", owner.ExperimentId).With("@epoch", owner.Epoch)
            .ScalarAsync(cancellationToken);
        if (Convert.ToInt64(owned) == 0) throw new OwnershipLostException(owner.ExperimentId);
    }
}

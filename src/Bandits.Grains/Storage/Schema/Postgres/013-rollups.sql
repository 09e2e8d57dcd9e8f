-- Statistics over time: per experiment, bucket and arm, what the log holds, written in the
-- same statements as the log rows they count (so they survive exactly what the log survives).
-- resolution is the bucket width in seconds: 60 (minute buckets, kept for 72 hours) or 3600
-- (hour buckets, kept for good). bucket is the bucket's start in Unix milliseconds: decisions
-- count at their issue time, rewards at their arrival. rewards counts posted and default
-- rewards; joined_rewards those posted with a decision id; late_rewards those that arrived after
-- their decision's window (not logged, not learned from). Rows of the log written before this
-- script are counted here once, at the end (only if the table is new: idempotent).

DO $$
BEGIN
    IF to_regclass('bandits_rollups') IS NOT NULL THEN RETURN; END IF;

    -- Columns ordered widest first and counts as INTEGER (per arm and hour, far below 2³¹):
    -- PostgreSQL aligns each column to its width, so this order wastes no padding.
    CREATE TABLE bandits_rollups (
        bucket BIGINT NOT NULL,
        reward_sum DOUBLE PRECISION NOT NULL DEFAULT 0,
        reward_sum_sq DOUBLE PRECISION NOT NULL DEFAULT 0,
        arm_index INTEGER NOT NULL,
        decisions INTEGER NOT NULL DEFAULT 0,
        rewards INTEGER NOT NULL DEFAULT 0,
        default_rewards INTEGER NOT NULL DEFAULT 0,
        joined_rewards INTEGER NOT NULL DEFAULT 0,
        late_rewards INTEGER NOT NULL DEFAULT 0,
        resolution SMALLINT NOT NULL,
        experiment_id VARCHAR(64) NOT NULL,
        PRIMARY KEY (experiment_id, resolution, bucket, arm_index)
    );

    INSERT INTO bandits_rollups (experiment_id, resolution, bucket, arm_index, decisions)
    SELECT d.experiment_id, r.resolution, d.issued_at / (r.resolution * 1000) * (r.resolution * 1000), d.arm_index, COUNT(*)
    FROM bandits_decisions d CROSS JOIN (VALUES (60), (3600)) AS r(resolution)
    GROUP BY 1, 2, 3, 4;

    INSERT INTO bandits_rollups (experiment_id, resolution, bucket, arm_index, rewards, reward_sum, reward_sum_sq, default_rewards, joined_rewards)
    SELECT w.experiment_id, r.resolution, w.received_at / (r.resolution * 1000) * (r.resolution * 1000), w.arm_index,
           COUNT(*), SUM(w.reward), SUM(w.reward * w.reward),
           COUNT(*) FILTER (WHERE w.source = 1), COUNT(*) FILTER (WHERE w.source = 0 AND w.decision_seq IS NOT NULL)
    FROM bandits_rewards w CROSS JOIN (VALUES (60), (3600)) AS r(resolution)
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (experiment_id, resolution, bucket, arm_index) DO UPDATE SET
        rewards = bandits_rollups.rewards + EXCLUDED.rewards, reward_sum = bandits_rollups.reward_sum + EXCLUDED.reward_sum,
        reward_sum_sq = bandits_rollups.reward_sum_sq + EXCLUDED.reward_sum_sq,
        default_rewards = bandits_rollups.default_rewards + EXCLUDED.default_rewards, joined_rewards = bandits_rollups.joined_rewards + EXCLUDED.joined_rewards;
END $$;

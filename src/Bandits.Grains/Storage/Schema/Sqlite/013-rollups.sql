-- Statistics over time: per experiment, bucket and arm, what the log holds, written in the
-- same transactions as the log rows they count (so they survive exactly what the log survives).
-- resolution is the bucket width in seconds: 60 (minute buckets, kept for 72 hours) or 3600
-- (hour buckets, kept for good). bucket is the bucket's start in Unix milliseconds: decisions
-- count at their issue time, rewards at their arrival. rewards counts posted and default
-- rewards; joined_rewards those posted with a decision id; late_rewards those that arrived after
-- their decision's window (not logged, not learned from). Rows of the log written before this
-- script are counted here once, at the end.

CREATE TABLE IF NOT EXISTS bandits_rollups (
    experiment_id TEXT NOT NULL,
    resolution INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    arm_index INTEGER NOT NULL,
    decisions INTEGER NOT NULL DEFAULT 0,
    rewards INTEGER NOT NULL DEFAULT 0,
    reward_sum REAL NOT NULL DEFAULT 0,
    reward_sum_sq REAL NOT NULL DEFAULT 0,
    default_rewards INTEGER NOT NULL DEFAULT 0,
    joined_rewards INTEGER NOT NULL DEFAULT 0,
    late_rewards INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment_id, resolution, bucket, arm_index)
) WITHOUT ROWID;

INSERT INTO bandits_rollups (experiment_id, resolution, bucket, arm_index, decisions)
SELECT d.experiment_id, r.resolution, d.issued_at / (r.resolution * 1000) * (r.resolution * 1000), d.arm_index, COUNT(*)
FROM bandits_decisions d CROSS JOIN (SELECT 60 AS resolution UNION ALL SELECT 3600) r
GROUP BY 1, 2, 3, 4;

INSERT INTO bandits_rollups (experiment_id, resolution, bucket, arm_index, rewards, reward_sum, reward_sum_sq, default_rewards, joined_rewards)
SELECT w.experiment_id, r.resolution, w.received_at / (r.resolution * 1000) * (r.resolution * 1000), w.arm_index,
       COUNT(*), SUM(w.reward), SUM(w.reward * w.reward),
       SUM(CASE WHEN w.source = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN w.source = 0 AND w.decision_seq IS NOT NULL THEN 1 ELSE 0 END)
FROM bandits_rewards w CROSS JOIN (SELECT 60 AS resolution UNION ALL SELECT 3600) r
WHERE true
GROUP BY 1, 2, 3, 4
ON CONFLICT (experiment_id, resolution, bucket, arm_index) DO UPDATE SET
    rewards = rewards + excluded.rewards, reward_sum = reward_sum + excluded.reward_sum, reward_sum_sq = reward_sum_sq + excluded.reward_sum_sq,
    default_rewards = default_rewards + excluded.default_rewards, joined_rewards = joined_rewards + excluded.joined_rewards;

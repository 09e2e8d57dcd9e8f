-- The event log of Bandits (SQLite): experiments, decisions, rewards, and the key that
-- signs decision ids. Idempotent. Same shape as the PostgreSQL script.

CREATE TABLE IF NOT EXISTS bandits_signing_key (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    key_bytes BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS bandits_experiments (
    experiment_id TEXT NOT NULL PRIMARY KEY,
    created_at INTEGER NOT NULL -- Unix milliseconds
);

CREATE TABLE IF NOT EXISTS bandits_decisions (
    experiment_id TEXT NOT NULL,
    decision_seq INTEGER NOT NULL,
    arm_index INTEGER NOT NULL,
    issued_at INTEGER NOT NULL, -- Unix milliseconds
    propensity REAL NOT NULL,
    user_id TEXT NULL,
    PRIMARY KEY (experiment_id, decision_seq)
) WITHOUT ROWID;

-- event_no orders the rewards of an experiment; snapshots record the last one folded in.
-- The unique (experiment_id, decision_seq) makes the database find duplicate rewards
-- (NULLs, rewards posted by arm, never conflict).
CREATE TABLE IF NOT EXISTS bandits_rewards (
    experiment_id TEXT NOT NULL,
    event_no INTEGER NOT NULL,
    decision_seq INTEGER NULL,
    arm_index INTEGER NOT NULL,
    reward REAL NOT NULL,
    source INTEGER NOT NULL, -- 0 posted, 1 default reward
    received_at INTEGER NOT NULL, -- Unix milliseconds
    PRIMARY KEY (experiment_id, event_no),
    UNIQUE (experiment_id, decision_seq)
) WITHOUT ROWID;

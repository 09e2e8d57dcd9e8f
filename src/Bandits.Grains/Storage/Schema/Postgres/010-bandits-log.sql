-- The event log of Bandits (PostgreSQL): experiments, decisions, rewards, and the key that
-- signs decision ids. Idempotent.

CREATE TABLE IF NOT EXISTS bandits_signing_key (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    key_bytes BYTEA NOT NULL
);

CREATE TABLE IF NOT EXISTS bandits_experiments (
    experiment_id VARCHAR(64) NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL -- Unix milliseconds
);

CREATE TABLE IF NOT EXISTS bandits_decisions (
    experiment_id VARCHAR(64) NOT NULL,
    decision_seq BIGINT NOT NULL,
    arm_index INTEGER NOT NULL,
    issued_at BIGINT NOT NULL, -- Unix milliseconds
    propensity DOUBLE PRECISION NOT NULL,
    user_id VARCHAR(256) NULL,
    PRIMARY KEY (experiment_id, decision_seq)
);

-- event_no orders the rewards of an experiment; snapshots record the last one folded in.
-- The unique (experiment_id, decision_seq) makes the database find duplicate rewards
-- (NULLs, rewards posted by arm, never conflict).
CREATE TABLE IF NOT EXISTS bandits_rewards (
    experiment_id VARCHAR(64) NOT NULL,
    event_no BIGINT NOT NULL,
    decision_seq BIGINT NULL,
    arm_index INTEGER NOT NULL,
    reward DOUBLE PRECISION NOT NULL,
    source SMALLINT NOT NULL, -- 0 posted, 1 default reward
    received_at BIGINT NOT NULL, -- Unix milliseconds
    PRIMARY KEY (experiment_id, event_no),
    UNIQUE (experiment_id, decision_seq)
);

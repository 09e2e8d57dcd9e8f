-- Decisions are handed to their experiment's grain by the choosers of every silo, each
-- numbering from its own block, so sequence order is no longer log order. log_no is the
-- position in the experiment's log, given by the grain; snapshots count decisions and the
-- default-reward sweep settles them up to a log_no. Rows logged before this script were in
-- sequence order, so their sequence is their position. SQLite has no ADD COLUMN IF NOT
-- EXISTS: this script relies on running in one transaction with its schema-version row.

ALTER TABLE bandits_decisions ADD COLUMN log_no INTEGER NOT NULL DEFAULT 0;
UPDATE bandits_decisions SET log_no = decision_seq;
CREATE INDEX IF NOT EXISTS bandits_decisions_log_no ON bandits_decisions (experiment_id, log_no);

-- Decisions are handed to their experiment's grain by the choosers of every silo, each
-- numbering from its own block, so sequence order is no longer log order. log_no is the
-- position in the experiment's log, given by the grain; snapshots count decisions and the
-- default-reward sweep settles them up to a log_no. Rows logged before this script were in
-- sequence order, so their sequence is their position. Idempotent.

ALTER TABLE bandits_decisions ADD COLUMN IF NOT EXISTS log_no BIGINT;
UPDATE bandits_decisions SET log_no = decision_seq WHERE log_no IS NULL;
ALTER TABLE bandits_decisions ALTER COLUMN log_no SET NOT NULL;
CREATE INDEX IF NOT EXISTS bandits_decisions_log_no ON bandits_decisions (experiment_id, log_no);

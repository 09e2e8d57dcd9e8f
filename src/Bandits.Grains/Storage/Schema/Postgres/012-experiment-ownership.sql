-- Fencing: every activation of an experiment takes the next owner_epoch, and every write to
-- the experiment's log is conditional on the epoch it took, so an activation that overlaps
-- a newer one (a membership split) can no longer write. numbers_reserved is the explicit
-- reservation of decision numbers: numbers below it may have been issued, so a new owner
-- issues from there on. A deleted experiment keeps its row (deleted = 1) so that its epochs
-- keep counting up when the id is created again: an old activation's epoch never comes back.

ALTER TABLE bandits_experiments ADD COLUMN IF NOT EXISTS owner_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bandits_experiments ADD COLUMN IF NOT EXISTS numbers_reserved BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bandits_experiments ADD COLUMN IF NOT EXISTS deleted SMALLINT NOT NULL DEFAULT 0;

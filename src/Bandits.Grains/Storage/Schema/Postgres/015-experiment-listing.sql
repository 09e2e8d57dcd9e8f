-- The experiments list reads these, never the experiments themselves: each snapshot of an
-- experiment rewrites its line (a JSON document of what the list shows) and its status, so that
-- listing activates nothing and writes nothing. NULL until the experiment's first snapshot
-- after this script.

ALTER TABLE bandits_experiments ADD COLUMN IF NOT EXISTS status TEXT NULL;
ALTER TABLE bandits_experiments ADD COLUMN IF NOT EXISTS listing TEXT NULL;

-- Bandits: Orleans grain state storage (SQLite).
--
-- Provides the OrleansStorage table, the WriteToStorageKey / ReadFromStorageKey /
-- ClearStorageKey queries (required) and DeleteStorageKey (optional, for
-- DeleteStateOnClear = true). Satisfies the contract of the Orleans ADO.NET grain
-- storage provider Microsoft.Orleans.Persistence.AdoNet 10.4.2 with invariant
-- "System.Data.SQLite" (executed through Microsoft.Data.Sqlite).
-- Requires 001-orleans-main.sql. Idempotent: safe to run any number of times.
--
-- What the provider sends (named parameters):
--   GrainIdHash int, GrainIdN0 long, GrainIdN1 long, GrainTypeHash int,
--   GrainTypeString text, GrainIdExtensionString text (NULL unless the key has an
--   extension), ServiceId text; writes, clears and deletes add GrainStateVersion
--   int (NULL when the grain has never been stored); writes add PayloadBinary blob.
-- What it reads back (all result sets of the command, rows concatenated):
--   ReadFromStorageKey  -> at most one row with PayloadBinary and Version.
--   WriteToStorageKey   -> at most one row with NewGrainStateVersion.
--   ClearStorageKey     -> one row; the new version in column 0.
--   DeleteStorageKey    -> as ClearStorageKey.
-- The provider treats a returned version equal to the one it sent, an empty
-- (NULL) version, or no row when it sent NULL, as a concurrency conflict and
-- throws InconsistentStateException.
--
-- How the multi-statement queries stay safe without an explicit transaction:
-- each UPDATE / INSERT below is one autocommit statement, so it is atomic on its
-- own and takes SQLite's write lock before it reads; per call only one of them
-- can change anything (which one depends on whether GrainStateVersion is NULL);
-- and changes() is private to the connection, so the SELECT that follows a
-- mutation sees that mutation's row count even while other connections write.

-- One row per grain (service, grain type, grain id). The two hash columns are
-- computed by the provider and form a narrow index; the full key columns resolve
-- hash collisions.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NULL,
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    -- Informational only (UTC, "YYYY-MM-DD HH:MM:SS"); the provider never reads it.
    ModifiedOn             TEXT    NOT NULL,
    -- The ETag: 1 on first write, +1 on every write and clear.
    Version                INTEGER NULL
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage
    ON OrleansStorage (GrainIdHash, GrainTypeHash);

-- Query texts. "a IS b" is SQLite's NULL-safe equality (for the optional key
-- extension). The upsert's WHERE keeps a re-run from touching current rows.

-- Write: version N -> N+1 when the caller holds version N; NULL -> 1 when the
-- grain has no row yet. Returns N (unchanged) or NULL to report a conflict.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('WriteToStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary,
        ModifiedOn    = CURRENT_TIMESTAMP,
        Version       = Version + 1
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS @GrainIdExtensionString
      AND ServiceId = @ServiceId
      AND Version = @GrainStateVersion;

    SELECT CASE WHEN changes() > 0 THEN @GrainStateVersion + 1
                ELSE @GrainStateVersion END AS NewGrainStateVersion
    WHERE @GrainStateVersion IS NOT NULL;

    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
         GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, CURRENT_TIMESTAMP, 1
    WHERE @GrainStateVersion IS NULL
      AND NOT EXISTS
      (
          SELECT 1
          FROM OrleansStorage
          WHERE GrainIdHash = @GrainIdHash
            AND GrainTypeHash = @GrainTypeHash
            AND GrainIdN0 = @GrainIdN0
            AND GrainIdN1 = @GrainIdN1
            AND GrainTypeString = @GrainTypeString
            AND GrainIdExtensionString IS @GrainIdExtensionString
            AND ServiceId = @ServiceId
      );

    SELECT 1 AS NewGrainStateVersion
    WHERE @GrainStateVersion IS NULL
      AND changes() > 0;
')
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = excluded.QueryText
    WHERE QueryText IS NOT excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('ReadFromStorageKey', '
    SELECT
        PayloadBinary,
        Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS @GrainIdExtensionString
      AND ServiceId = @ServiceId
    LIMIT 1;
')
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = excluded.QueryText
    WHERE QueryText IS NOT excluded.QueryText;

-- Clearing keeps the row (payload NULL, version + 1) so the next write of the
-- grain continues the version sequence. Exactly one row comes back: the new
-- version, or the caller's own version when it was stale.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('ClearStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = NULL,
        ModifiedOn    = CURRENT_TIMESTAMP,
        Version       = Version + 1
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS @GrainIdExtensionString
      AND ServiceId = @ServiceId
      AND Version = @GrainStateVersion;

    SELECT CASE WHEN changes() > 0 THEN @GrainStateVersion + 1
                ELSE @GrainStateVersion END AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = excluded.QueryText
    WHERE QueryText IS NOT excluded.QueryText;

-- Optional: used instead of ClearStorageKey only when the storage is configured
-- with DeleteStateOnClear = true (without this row that setting fails at start).
-- Same parameters and result as ClearStorageKey; the row is removed, so the
-- grain's next write starts again at version 1.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS @GrainIdExtensionString
      AND ServiceId = @ServiceId
      AND Version = @GrainStateVersion;

    SELECT CASE WHEN changes() > 0 THEN @GrainStateVersion + 1
                ELSE @GrainStateVersion END AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = excluded.QueryText
    WHERE QueryText IS NOT excluded.QueryText;

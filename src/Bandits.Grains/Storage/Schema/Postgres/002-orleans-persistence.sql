-- Bandits: Orleans grain state storage (PostgreSQL).
--
-- Provides the OrleansStorage table, the writetostorage() function and the
-- WriteToStorageKey / ReadFromStorageKey / ClearStorageKey queries (required)
-- and DeleteStorageKey (optional, for DeleteStateOnClear = true). Satisfies the
-- contract of the Orleans ADO.NET grain storage provider
-- Microsoft.Orleans.Persistence.AdoNet 10.4.2 (invariant "Npgsql").
-- Requires 001-orleans-main.sql. Idempotent: safe to run any number of times.
--
-- What the provider sends (named parameters, all typed):
--   GrainIdHash int, GrainIdN0 bigint, GrainIdN1 bigint, GrainTypeHash int,
--   GrainTypeString text, GrainIdExtensionString text (NULL unless the key has an
--   extension), ServiceId text; writes, clears and deletes add GrainStateVersion
--   int (NULL when the grain has never been stored); writes add PayloadBinary bytea.
-- What it reads back:
--   ReadFromStorageKey  -> at most one row with PayloadBinary and Version.
--   WriteToStorageKey   -> at most one row with NewGrainStateVersion.
--   ClearStorageKey     -> one row; the new version in column 0.
--   DeleteStorageKey    -> as ClearStorageKey.
-- The provider treats a returned version equal to the one it sent, an empty
-- (NULL) version, or no row when it sent NULL, as a concurrency conflict and
-- throws InconsistentStateException.

-- One row per grain (service, grain type, grain id). The two hash columns are
-- computed by the provider and form a narrow index; the full key columns resolve
-- hash collisions.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    -- Informational only (UTC); the provider never reads it.
    ModifiedOn             timestamp    NOT NULL,
    -- The ETag: 1 on first write, +1 on every write and clear.
    Version                integer      NULL
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage
    ON OrleansStorage (GrainIdHash, GrainTypeHash);

-- Writes one grain state with optimistic concurrency and returns the version the
-- grain now holds. Argument names, order and types are what WriteToStorageKey
-- passes; the name matches the reference scripts so their migrations still apply.
CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash            integer,
    _grainidn0              bigint,
    _grainidn1              bigint,
    _graintypehash          integer,
    _graintypestring        varchar,
    _grainidextensionstring varchar,
    _serviceid              varchar,
    _grainstateversion      integer,
    _payloadbinary          bytea)
    RETURNS TABLE (newgrainstateversion integer)
    LANGUAGE plpgsql
    VOLATILE
AS $function$
DECLARE
    _affected integer;
BEGIN
    IF _grainstateversion IS NOT NULL THEN
        -- The grain read (or wrote) version N before: only replace version N.
        -- A concurrent writer holding the row lock makes this statement wait and
        -- then re-check Version, so exactly one of two racing writers wins.
        UPDATE OrleansStorage AS s
        SET PayloadBinary = _payloadbinary,
            ModifiedOn    = (now() AT TIME ZONE 'utc'),
            Version       = s.Version + 1
        WHERE s.GrainIdHash = _grainidhash
          AND s.GrainTypeHash = _graintypehash
          AND s.GrainIdN0 = _grainidn0
          AND s.GrainIdN1 = _grainidn1
          AND s.GrainTypeString = _graintypestring
          AND s.GrainIdExtensionString IS NOT DISTINCT FROM _grainidextensionstring
          AND s.ServiceId = _serviceid
          AND s.Version = _grainstateversion;

        GET DIAGNOSTICS _affected = ROW_COUNT;

        -- Handing back the caller's own version unchanged reports the conflict.
        RETURN QUERY
            SELECT CASE WHEN _affected > 0 THEN _grainstateversion + 1
                        ELSE _grainstateversion END;
        RETURN;
    END IF;

    -- First write of this grain. Two activations racing here would both see "no
    -- row" under READ COMMITTED, so serialise first writes of the same hash pair
    -- with a transaction-scoped advisory lock (released when the call's
    -- transaction ends). Each statement below then takes a fresh snapshot and
    -- sees a row committed by the winner.
    PERFORM pg_advisory_xact_lock(_grainidhash, _graintypehash);

    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
         GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT _grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring,
           _grainidextensionstring, _serviceid, _payloadbinary,
           (now() AT TIME ZONE 'utc'), 1
    WHERE NOT EXISTS
    (
        SELECT 1
        FROM OrleansStorage AS s
        WHERE s.GrainIdHash = _grainidhash
          AND s.GrainTypeHash = _graintypehash
          AND s.GrainIdN0 = _grainidn0
          AND s.GrainIdN1 = _grainidn1
          AND s.GrainTypeString = _graintypestring
          AND s.GrainIdExtensionString IS NOT DISTINCT FROM _grainidextensionstring
          AND s.ServiceId = _serviceid
    );

    GET DIAGNOSTICS _affected = ROW_COUNT;

    -- NULL (no version) reports that another activation stored the grain first.
    RETURN QUERY SELECT CASE WHEN _affected > 0 THEN 1 END;
END
$function$;

-- The query texts. ON CONFLICT ... WHERE ... IS DISTINCT FROM keeps a re-run from
-- touching rows whose text is already current, while still rolling out edits.

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('WriteToStorageKey', $query$
    SELECT NewGrainStateVersion
    FROM writetostorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
                        @GrainTypeString, @GrainIdExtensionString, @ServiceId,
                        @GrainStateVersion, @PayloadBinary);
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Columns are read by name. PayloadBinary first and Version last keep the same
-- positions as the reference query in case anything reads by ordinal.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('ReadFromStorageKey', $query$
    SELECT
        PayloadBinary,
        ModifiedOn,
        Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND ServiceId = @ServiceId
    LIMIT 1;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Clearing keeps the row (payload NULL, version + 1) so the next write of the
-- grain continues the version sequence. Exactly one row comes back: the new
-- version, or the caller's own version when it was stale.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('ClearStorageKey', $query$
    WITH cleared AS
    (
        UPDATE OrleansStorage
        SET PayloadBinary = NULL,
            ModifiedOn    = (now() AT TIME ZONE 'utc'),
            Version       = Version + 1
        WHERE GrainIdHash = @GrainIdHash
          AND GrainTypeHash = @GrainTypeHash
          AND GrainIdN0 = @GrainIdN0
          AND GrainIdN1 = @GrainIdN1
          AND GrainTypeString = @GrainTypeString
          AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
          AND ServiceId = @ServiceId
          AND Version = @GrainStateVersion
        RETURNING 1
    )
    SELECT CASE WHEN EXISTS (SELECT 1 FROM cleared) THEN @GrainStateVersion + 1
                ELSE @GrainStateVersion END AS NewGrainStateVersion;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Optional: used instead of ClearStorageKey only when the storage is configured
-- with DeleteStateOnClear = true (without this row that setting fails at start).
-- Same parameters and result as ClearStorageKey; the row is removed, so the
-- grain's next write starts again at version 1.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('DeleteStorageKey', $query$
    WITH deleted AS
    (
        DELETE FROM OrleansStorage
        WHERE GrainIdHash = @GrainIdHash
          AND GrainTypeHash = @GrainTypeHash
          AND GrainIdN0 = @GrainIdN0
          AND GrainIdN1 = @GrainIdN1
          AND GrainTypeString = @GrainTypeString
          AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
          AND ServiceId = @ServiceId
          AND Version = @GrainStateVersion
        RETURNING 1
    )
    SELECT CASE WHEN EXISTS (SELECT 1 FROM deleted) THEN @GrainStateVersion + 1
                ELSE @GrainStateVersion END AS NewGrainStateVersion;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

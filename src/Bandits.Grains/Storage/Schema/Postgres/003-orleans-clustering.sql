-- Bandits: Orleans cluster membership (PostgreSQL).
--
-- Provides the membership tables, the insert_membership() / update_membership()
-- functions and the clustering queries. Satisfies the contract of the Orleans
-- ADO.NET clustering provider Microsoft.Orleans.Clustering.AdoNet 10.4.2
-- (invariant "Npgsql"), for silos and for clients' gateway discovery.
-- Requires 001-orleans-main.sql. Idempotent: safe to run any number of times.
--
-- The provider's DeploymentId is Orleans' ClusterOptions.ClusterId. Status holds
-- the numeric SiloStatus: 3 = Active, 6 = Dead. SuspectTimes is the provider's
-- own text encoding ("silo,time|silo,time"); stored verbatim.
--
-- Contract notes:
--   * All keys below except CleanupDefunctSiloEntryKey are required: the
--     provider refuses to start ("Not all required queries found") without them.
--     CleanupDefunctSiloEntryKey is optional; when present the provider uses it
--     for clean-up instead of CleanupDefunctSiloEntriesKey.
--   * Insert/update/version queries must return exactly one row with one column
--     that converts to a boolean (>0 = success, 0 = rejected). A rejected call
--     must leave the database unchanged.
--   * Reads return one row per member plus the table version; with no members
--     they still return the version row (member columns NULL).
--   * Parameters a query does not use are ignored; a parameter a query uses
--     but the provider does not send fails at run time, so each query uses only
--     the parameters 10.4.2 sends for that operation (listed per query).

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    -- The table ETag: every successful membership change increments it.
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    -- Textual IP address; 45 characters fits any IPv6 form.
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId
        PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Adds a silo's row and bumps the table version, both or neither. Returns 1 on
-- success, 0 when the table version is stale or the row already exists.
CREATE OR REPLACE FUNCTION insert_membership(
    DeploymentIdArg varchar,
    AddressArg      varchar,
    PortArg         integer,
    GenerationArg   integer,
    SiloNameArg     varchar,
    HostNameArg     varchar,
    StatusArg       integer,
    ProxyPortArg    integer,
    StartTimeArg    timestamptz,
    IAmAliveTimeArg timestamptz,
    VersionArg      integer)
    RETURNS TABLE (row_count integer)
    LANGUAGE plpgsql
AS $function$
DECLARE
    _affected integer;
BEGIN
    BEGIN
        -- Claim the table version first (same lock order as update_membership).
        UPDATE OrleansMembershipVersionTable
        SET Timestamp = now(),
            Version   = Version + 1
        WHERE DeploymentId = DeploymentIdArg
          AND Version = VersionArg;

        GET DIAGNOSTICS _affected = ROW_COUNT;
        IF _affected = 0 THEN
            RAISE EXCEPTION 'membership table version is stale' USING ERRCODE = 'BDM01';
        END IF;

        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName,
             Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES
            (DeploymentIdArg, AddressArg, PortArg, GenerationArg, SiloNameArg, HostNameArg,
             StatusArg, ProxyPortArg, StartTimeArg, IAmAliveTimeArg)
        ON CONFLICT ON CONSTRAINT PK_MembershipTable_DeploymentId DO NOTHING;

        GET DIAGNOSTICS _affected = ROW_COUNT;
        IF _affected = 0 THEN
            RAISE EXCEPTION 'membership row already exists' USING ERRCODE = 'BDM01';
        END IF;
    EXCEPTION
        -- The block is a subtransaction: raising undoes the version bump.
        -- BDM01 is this script's own SQLSTATE, so real errors still propagate.
        WHEN SQLSTATE 'BDM01' THEN
            RETURN QUERY SELECT 0;
            RETURN;
    END;

    RETURN QUERY SELECT 1;
END
$function$;

-- Changes a silo's status / suspicions / heartbeat and bumps the table version,
-- both or neither. Returns 1 on success, 0 when the version is stale or the
-- row is missing.
CREATE OR REPLACE FUNCTION update_membership(
    DeploymentIdArg varchar,
    AddressArg      varchar,
    PortArg         integer,
    GenerationArg   integer,
    StatusArg       integer,
    SuspectTimesArg varchar,
    IAmAliveTimeArg timestamptz,
    VersionArg      integer)
    RETURNS TABLE (row_count integer)
    LANGUAGE plpgsql
AS $function$
DECLARE
    _affected integer;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Timestamp = now(),
            Version   = Version + 1
        WHERE DeploymentId = DeploymentIdArg
          AND Version = VersionArg;

        GET DIAGNOSTICS _affected = ROW_COUNT;
        IF _affected = 0 THEN
            RAISE EXCEPTION 'membership table version is stale' USING ERRCODE = 'BDM01';
        END IF;

        UPDATE OrleansMembershipTable
        SET Status       = StatusArg,
            SuspectTimes = SuspectTimesArg,
            IAmAliveTime = IAmAliveTimeArg
        WHERE DeploymentId = DeploymentIdArg
          AND Address = AddressArg
          AND Port = PortArg
          AND Generation = GenerationArg;

        GET DIAGNOSTICS _affected = ROW_COUNT;
        IF _affected = 0 THEN
            RAISE EXCEPTION 'membership row is missing' USING ERRCODE = 'BDM01';
        END IF;
    EXCEPTION
        WHEN SQLSTATE 'BDM01' THEN
            RETURN QUERY SELECT 0;
            RETURN;
    END;

    RETURN QUERY SELECT 1;
END
$function$;

-- The query texts. ON CONFLICT ... WHERE ... IS DISTINCT FROM keeps a re-run from
-- touching rows whose text is already current, while still rolling out edits.

-- Creates the cluster's version row on first start; 1 if created, 0 if present.
-- Parameters: DeploymentId.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('InsertMembershipVersionKey', $query$
    WITH inserted AS
    (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer AS row_count FROM inserted;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Parameters: DeploymentId, Address, Port, Generation, SiloName, HostName, Status,
-- ProxyPort, StartTime, IAmAliveTime, Version (the expected table version).
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('InsertMembershipKey', $query$
    SELECT row_count
    FROM insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName,
                           @HostName, @Status, @ProxyPort, @StartTime,
                           @IAmAliveTime, @Version);
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Parameters: DeploymentId, Address, Port, Generation, Status, SuspectTimes,
-- IAmAliveTime, Version (the expected table version).
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('UpdateMembershipKey', $query$
    SELECT row_count
    FROM update_membership(@DeploymentId, @Address, @Port, @Generation, @Status,
                           @SuspectTimes, @IAmAliveTime, @Version);
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Heartbeat: a blind write of the silo's own row. The provider ignores the result
-- and does not bump the table version for it.
-- Parameters: DeploymentId, Address, Port, Generation, IAmAliveTime.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('UpdateIAmAlivetimeKey', $query$
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId
      AND Address = @Address
      AND Port = @Port
      AND Generation = @Generation;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- One silo's row plus the table version. The outer join keeps the version row
-- when the silo has no row yet (the provider then sees StartTime NULL).
-- Parameters: DeploymentId, Address, Port, Generation. Columns are read by name.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('MembershipReadRowKey', $query$
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable AS v
    LEFT JOIN OrleansMembershipTable AS m
        ON  m.DeploymentId = v.DeploymentId
        AND m.Address = @Address
        AND m.Port = @Port
        AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Every member of the cluster plus the table version. Parameters: DeploymentId.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('MembershipReadAllKey', $query$
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable AS v
    LEFT JOIN OrleansMembershipTable AS m
        ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Removes a whole cluster (used by tests and tooling). Members go first because
-- of the foreign key. Parameters: DeploymentId.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('DeleteMembershipTableEntriesKey', $query$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Gateways for client discovery. Parameters: DeploymentId, Status (always 3,
-- Active).
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('GatewaysQueryKey', $query$
    SELECT
        Address,
        ProxyPort,
        Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Status = @Status
      AND ProxyPort > 0;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Periodic clean-up with a cut-off time in @IAmAliveTime. Only rows already
-- declared Dead whose start and last heartbeat both precede the cut-off go;
-- rows in any other status are left for the membership protocol to resolve.
-- Parameters: DeploymentId, IAmAliveTime.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('CleanupDefunctSiloEntriesKey', $query$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Status = 6
      AND IAmAliveTime < @IAmAliveTime
      AND StartTime < @IAmAliveTime;
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

-- Per-row clean-up used by provider builds that decide the cut-off themselves:
-- deletes one Dead row only if it still holds the values the provider read.
-- Parameters: DeploymentId, Address, Port, Generation, StartTime, IAmAliveTime,
-- SuspectTimes.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES ('CleanupDefunctSiloEntryKey', $query$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Address = @Address
      AND Port = @Port
      AND Generation = @Generation
      AND Status = 6
      AND StartTime = @StartTime
      AND IAmAliveTime = @IAmAliveTime
      AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$query$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

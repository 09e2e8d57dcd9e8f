-- Bandits: Orleans query catalogue (PostgreSQL).
--
-- Creates the OrleansQuery table. Together with 002 and 003 this satisfies the
-- contract of the Orleans ADO.NET providers Microsoft.Orleans.Persistence.AdoNet
-- and Microsoft.Orleans.Clustering.AdoNet, version 10.4.2 (invariant "Npgsql").
--
-- The providers never embed SQL of their own: at start-up they read
-- "SELECT QueryKey, QueryText FROM OrleansQuery" and run the texts stored here,
-- binding parameters by name (@Name) and reading results by column name.
--
-- Idempotent: safe to run any number of times.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    -- Unquoted identifiers fold to lower case; the providers' unquoted SQL
    -- therefore finds orleansquery.querykey / orleansquery.querytext.
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

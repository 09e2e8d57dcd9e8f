-- Bandits: Orleans query catalogue (SQLite).
--
-- Creates the OrleansQuery table. Together with 002 this satisfies the contract
-- of the Orleans ADO.NET grain storage provider Microsoft.Orleans.Persistence.AdoNet
-- 10.4.2 with invariant "System.Data.SQLite" (which that provider loads as
-- Microsoft.Data.Sqlite). Clustering is not stored in SQLite: the SQLite setup
-- uses localhost clustering.
--
-- The provider never embeds SQL of its own: at start-up it reads QueryKey and
-- QueryText from this table and runs the stored texts, binding parameters by
-- name (@Name) and reading results by column name.
--
-- Idempotent: safe to run any number of times.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    -- NOT NULL spelled out: SQLite would otherwise accept a NULL text key.
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

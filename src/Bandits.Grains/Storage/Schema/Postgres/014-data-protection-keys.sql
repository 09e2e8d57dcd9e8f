-- The key ring of ASP.NET Core Data Protection (it encrypts the dashboard's kept sign-in in the
-- browser), shared by every silo through the database, so that a browser moved to another silo,
-- or to a restarted one, stays signed in. Idempotent.

CREATE TABLE IF NOT EXISTS bandits_data_protection_keys (
    name VARCHAR(200) NOT NULL PRIMARY KEY,
    xml TEXT NOT NULL,
    created_at BIGINT NOT NULL -- Unix milliseconds
);

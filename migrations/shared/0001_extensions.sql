-- 0001_extensions: extensions and the server-only column registry.
-- Serves: all seeds (infrastructure).
--
-- * pgvector is the only extension the shared schema may use (central PG15 builds it from Debian's
--   source package; PGlite loads @electric-sql/pglite-pgvector). gen_random_uuid() and sha256() are built in.
-- * server_only_columns lists every column that holds a secret (password hashes, encrypted credentials,
--   tokens, MFA secrets, API key hashes, webhook and OAuth secrets). The sync server reads it and never
--   sends these columns to a client. Each migration that creates a table registers its secret columns
--   in the same file, right after the CREATE TABLE (and for alias views, the aliased names too).
-- Conventions for every shared migration are in migrations/README.md.

CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE server_only_columns (
    table_name  text NOT NULL,
    column_name text NOT NULL,
    reason      text NOT NULL,
    PRIMARY KEY (table_name, column_name)
);

COMMENT ON TABLE server_only_columns IS
    'Columns the sync server must never send to clients (secrets). Filled by the migration that creates each table.';

-- 0301_schema_foreign_key_hook: one more schema hook (0061), for a later shared migration that creates
-- a table whose foreign keys name tables the client reshapes. Serves no seed.
--
-- On a client, a writable or named-only table public.<t> is a view over local.<t>_state with its server
-- state in synced.<t> (docs/local-schema.md); `REFERENCES approvals` there would name a view and fail.
-- This default acts on public.<t>, which is right centrally and on a database with the shared
-- migrations only; client migration 0302 replaces it (CREATE OR REPLACE, same signature) with a version
-- that points both sides at the server-state tables, as 0201 did for the foreign keys it found.
--
--   schema_add_foreign_key(table, constraint, columns, parent, parent_columns, actions)
--       ALTER TABLE <table> ADD CONSTRAINT <constraint> FOREIGN KEY (<columns>)
--       REFERENCES <parent> (<parent_columns>) <actions> DEFERRABLE   (INITIALLY IMMEDIATE, as 0002-0019)
--   columns and parent_columns are comma-separated column names, actions e.g. 'ON DELETE CASCADE'.
--
-- Numbered after every client migration (migrations/README.md, "Numbering"); the hook itself touches no
-- relation, and 0302 comes right after it on clients, so fresh and upgraded clients end the same.

CREATE FUNCTION schema_add_foreign_key(p_table text, p_constraint text, p_columns text, p_parent text,
                                       p_parent_columns text, p_actions text DEFAULT '')
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%s) REFERENCES %s (%s) %s DEFERRABLE',
                   schema_hook_table(p_table), p_constraint,
                   (SELECT string_agg(format('%I', btrim(c)), ', ') FROM unnest(string_to_array(p_columns, ',')) c),
                   schema_hook_table(p_parent),
                   (SELECT string_agg(format('%I', btrim(c)), ', ') FROM unnest(string_to_array(p_parent_columns, ',')) c),
                   p_actions);
END;
$$;

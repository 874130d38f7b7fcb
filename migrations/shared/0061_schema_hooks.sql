-- 0061_schema_hooks: the schema hooks: functions a later shared migration calls instead of naming a
-- table directly when it adds a trigger, adds or drops a CHECK, or inserts reference rows. Serves no
-- seed: this is how shared migrations reach the local schema (docs/local-schema.md).
--
-- Why: a client's PGlite reshapes the shared schema (client migrations 0200-0203): a writable table
-- public.<t> becomes a view over local.<t>_state (server state in synced.<t>), and a read-only synced
-- table stays in public but is written only by the sync applier, its lifecycle triggers disabled. A
-- shared migration that said `CREATE TRIGGER ... ON work_items` would fail there (a view), or police
-- server state. These defaults act on public.<t>, which is right centrally and on a database with the
-- shared migrations only; client migration 0204 replaces them (CREATE OR REPLACE, same signatures)
-- with versions that know the local schema. A migration that uses them is numbered after every client
-- migration (0300 on; migrations/README.md, "Numbering"), so that it runs with the local schema in
-- place on every client, fresh or upgraded.
--
--   schema_add_row_trigger(table, trigger, when_events, function_call, condition)
--       CREATE TRIGGER <trigger> <when_events> ON <table> FOR EACH ROW [WHEN (<condition>)]
--       EXECUTE FUNCTION <function_call>;  when_events e.g. 'BEFORE UPDATE OF status'
--   schema_add_check(table, constraint, expression)
--       ADD CONSTRAINT <constraint> CHECK (<expression>) NOT VALID: rows written from now on must
--       hold it; rows that predate it are not re-checked, so central rows written before a state set
--       existed (free-text columns) do not block the migration. Clean them up and VALIDATE later.
--   schema_drop_check(table, constraint)
--   schema_insert_reference_rows(sql)
--       runs an INSERT of reference rows (state_transitions, registries) as the database's own
--
-- The hooks act on plain tables only (a partitioned table has its own rules, e.g. the audit log) and
-- run with the caller's rights (SECURITY INVOKER): they grant nothing a direct statement would not.

CREATE FUNCTION schema_hook_table(p_table text)
RETURNS regclass
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    rel regclass := to_regclass(format('public.%I', p_table));
BEGIN
    IF rel IS NULL OR (SELECT relkind FROM pg_class WHERE oid = rel) <> 'r' THEN
        RAISE EXCEPTION 'schema hook: public.% is not a plain table', p_table;
    END IF;
    RETURN rel;
END;
$$;

CREATE FUNCTION schema_add_row_trigger(p_table text, p_trigger text, p_when_events text, p_function_call text,
                                       p_condition text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER %I %s ON %s FOR EACH ROW %s EXECUTE FUNCTION %s',
                   p_trigger, p_when_events, schema_hook_table(p_table),
                   CASE WHEN p_condition IS NULL THEN '' ELSE format('WHEN (%s)', p_condition) END,
                   p_function_call);
END;
$$;

CREATE FUNCTION schema_add_check(p_table text, p_constraint text, p_expression text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%s) NOT VALID',
                   schema_hook_table(p_table), p_constraint, p_expression);
END;
$$;

CREATE FUNCTION schema_drop_check(p_table text, p_constraint text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', schema_hook_table(p_table), p_constraint);
END;
$$;

CREATE FUNCTION schema_insert_reference_rows(p_sql text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE p_sql;
END;
$$;

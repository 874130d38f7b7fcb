-- 0204_local_schema_hooks: the schema hooks of 0061 for the local schema, so that a later shared
-- migration (0300 on) does on a client what 0201/0202 would have done with its change had it been
-- there when the local schema was built. Local only. Serves no seed (docs/local-schema.md, "Changing
-- the schema later").
--
--   the table has an overlay (public.t is a view; local.t_state what the app sees, synced.t server state)
--     schema_add_row_trigger  on local.t_state, then outbox.skip_trigger_for_machinery: it polices the
--                             app's writes through the view, never the machinery copying server state
--     schema_add_check        on local.t_state (synced.t stores server state unchecked, as 0201 does)
--   the table is applier-only (a read-only synced table: trigger outbox_applier_only on public.t)
--     schema_add_row_trigger  on public.t, created DISABLED: server state is stored as it is sent (0201)
--     schema_add_check        on public.t
--   any other table (unsynced): as the defaults of 0061, on public.t
--   schema_insert_reference_rows  runs its INSERT with electric.syncing = true for the statement (the
--                             applier's mode: the read-only synced tables refuse other writers, and an
--                             overlay stores the rows as server state); the previous value is restored
--
-- Same signatures as 0061 (CREATE OR REPLACE). On a client that ran 0200-0203 before 0061 existed,
-- the runner applies 0061, then this, then 0300 (number order), so the local versions are in place
-- before anything calls them, exactly as on a fresh client.

CREATE OR REPLACE FUNCTION schema_add_row_trigger(p_table text, p_trigger text, p_when_events text,
                                                  p_function_call text, p_condition text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    local_state regclass := to_regclass(format('local.%I', p_table || '_state'));
    target regclass := coalesce(local_state, schema_hook_table(p_table));
    created oid;
BEGIN
    EXECUTE format('CREATE TRIGGER %I %s ON %s FOR EACH ROW %s EXECUTE FUNCTION %s',
                   p_trigger, p_when_events, target,
                   CASE WHEN p_condition IS NULL THEN '' ELSE format('WHEN (%s)', p_condition) END,
                   p_function_call);
    SELECT oid INTO created FROM pg_trigger WHERE tgrelid = target AND tgname = p_trigger;
    IF local_state IS NOT NULL THEN
        PERFORM outbox.skip_trigger_for_machinery(created);
    ELSIF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = target AND tgname = 'outbox_applier_only') THEN
        EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', target, p_trigger);
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION schema_add_check(p_table text, p_constraint text, p_expression text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%s) NOT VALID',
                   coalesce(to_regclass(format('local.%I', p_table || '_state')), schema_hook_table(p_table)),
                   p_constraint, p_expression);
END;
$$;

CREATE OR REPLACE FUNCTION schema_drop_check(p_table text, p_constraint text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I',
                   coalesce(to_regclass(format('local.%I', p_table || '_state')), schema_hook_table(p_table)),
                   p_constraint);
END;
$$;

CREATE OR REPLACE FUNCTION schema_insert_reference_rows(p_sql text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    prev text := current_setting('electric.syncing', true);
BEGIN
    PERFORM set_config('electric.syncing', 'true', true);
    EXECUTE p_sql;
    PERFORM set_config('electric.syncing', coalesce(prev, ''), true);
END;
$$;

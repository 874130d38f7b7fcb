-- 0203_local_named_only_overlays: a local overlay for the synced tables that only named mutations
-- write (common/mutations: the `writes` of each operation that has no `write` rule in
-- common/sync/rules.ts): `approval_delegations`, which `delegation.create` inserts. Local only.
-- Serves no seed.
--
-- 0202 made such a table a plain table in `public`, written only by the applier, so a named mutation
-- that writes it could not run optimistically. outbox.install_named_only_overlay(t) turns it into an
-- overlay like the writable tables (synced.t, local.t_state, public.t as a view; 0201), with a write
-- rule that allows no operation and no column:
--   - a plain INSERT/UPDATE/DELETE of public.t is refused (42501, "a named mutation creates these
--     rows"), exactly as before; the server's write API refuses it too (no `write` rule);
--   - inside a named mutation (outbox.begin_named) a write is recorded as its effect, with the table's
--     CHECKs and 0050 rule trigger (approval_delegations_rules) applied, as centrally;
--   - server state goes to synced.t (the applier's target must follow: core/database/local-schema.ts).
--
--   install_named_only_overlay(t)
--     1. the foreign keys of t (as child or parent) are remembered and dropped (0202 created them
--        between server-state tables; local.t_state has none)
--     2. 0202's applier-only triggers go; the triggers 0202 disabled (lifecycle/rule triggers) are
--        enabled again (install_overlay makes them skip the machinery's own writes)
--     3. outbox.install_overlay(t, '{}', '{}')
--     4. rows already there are server state: copied into synced.t (NULL _synced_txid, as snapshot rows)
--     5. the foreign keys are re-created between server-state tables (synced.t), deferred
--
-- Idempotent per table: a table that already has an overlay is left as it is.

CREATE FUNCTION outbox.install_named_only_overlay(p_table text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $install$
DECLARE
    t      text := p_table;
    rel    regclass := to_regclass(format('public.%I', p_table));
    fk     record;
    trg    record;
    cols   text;
    prev   text := current_setting('electric.syncing', true);
BEGIN
    IF EXISTS (SELECT 1 FROM outbox.write_rules WHERE table_name = t) THEN
        RETURN;
    END IF;
    IF rel IS NULL OR (SELECT relkind FROM pg_class WHERE oid = rel) <> 'r' THEN
        RAISE EXCEPTION 'install_named_only_overlay: public.% is not a plain table', t;
    END IF;

    -- 1. Foreign keys in both directions. With search_path = pg_catalog the definitions name every
    --    table with its schema, so the parent side can be pointed at synced.t afterwards.
    CREATE TEMP TABLE outpost_named_only_fks ON COMMIT DROP AS
        SELECT con.conname::text AS name, con.conrelid = rel AS is_child,
               con.conrelid::regclass::text AS child, pg_get_constraintdef(con.oid) AS def
          FROM pg_constraint con
         WHERE con.contype = 'f' AND (con.conrelid = rel OR con.confrelid = rel);
    FOR fk IN SELECT * FROM outpost_named_only_fks LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.child, fk.name);
    END LOOP;

    -- 2. Back from an applier-only table to a table with rules.
    EXECUTE format('DROP TRIGGER IF EXISTS outbox_applier_only ON public.%I', t);
    EXECUTE format('DROP TRIGGER IF EXISTS outbox_upsert_prefilled ON public.%I', t);
    FOR trg IN SELECT tgname FROM pg_trigger WHERE tgrelid = rel AND NOT tgisinternal AND tgenabled = 'D' LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE TRIGGER %I', t, trg.tgname);
    END LOOP;

    -- 3. The overlay: no plain write may insert, update or delete, nor set any column.
    PERFORM outbox.install_overlay(t, '{}'::text[], '{}'::text[]);

    -- 4. Existing rows are server state (the applier wrote them before this migration).
    SELECT string_agg(format('%I', name), ', ') INTO cols
      FROM outbox.column_info(format('local.%I', t || '_state')::regclass) WHERE NOT generated;
    PERFORM set_config('electric.syncing', 'true', true);
    EXECUTE format('INSERT INTO synced.%I (%s) SELECT %s FROM local.%I', t, cols, cols, t || '_state');
    PERFORM set_config('electric.syncing', coalesce(prev, ''), true);

    -- 5. Foreign keys between server-state tables, checked at commit.
    FOR fk IN SELECT * FROM outpost_named_only_fks ORDER BY name LOOP
        IF fk.is_child THEN
            EXECUTE format('ALTER TABLE synced.%I ADD CONSTRAINT %I %s', t, fk.name, fk.def);
        ELSE
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.child, fk.name,
                           replace(fk.def, format('REFERENCES public.%I(', t), format('REFERENCES synced.%I(', t)));
        END IF;
    END LOOP;
    DROP TABLE outpost_named_only_fks;
END;
$install$;

SELECT outbox.install_named_only_overlay('approval_delegations');

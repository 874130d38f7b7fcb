-- 0201_local_overlay_machinery: generates, from one definition, the local write path of a writable
-- table, and turns the shared schema into the local one. Local only. 0202 calls it with the sync rules.
--
--   outbox.install_local_schema(rules, synced tables)
--     1. server-only columns: NOT NULL and the CHECKs that name them are dropped (the server never
--        sends them, so server state arrives without them)
--     2. every foreign key is dropped and, after 4, re-created DEFERRABLE INITIALLY DEFERRED between
--        the server-state tables (synced.<t> for writable tables, public.<t> for the others): the
--        applier writes one table after the other in one transaction; local.<t>_state has none (pending
--        local writes are checked by the server, which can see rows this client cannot)
--     3. the alias views over writable tables are re-created over the new views (writes through
--        `documents` go through the outbox like writes to `knowledge_documents`)
--     4. outbox.install_overlay(table, operations, columns) for every writable table
--     5. the other synced tables: lifecycle/audit triggers disabled (server state is stored as it
--        is), a guard that lets only the applier write, and, where a migration inserted reference
--        rows, an applier INSERT of an existing key updates it instead (the server sends the same rows)
--
--   outbox.install_overlay(t, operations, columns)
--     public.t (table) ─► local.t_state: the app's state; indexes and CHECKs kept, UNIQUE constraints become
--                         plain indexes (checked by the write trigger instead, so that server state can
--                         never be refused because of a pending local row), lifecycle triggers skip
--                         the machinery's own writes
--     synced.t            server state: same columns and defaults (generated ones computed), primary
--                         and unique keys, no CHECK or NOT NULL (stored as the server sends it),
--                         `_synced_txid` (the highest txid, modulo 2^32, of the shape messages that
--                         wrote the row)
--     public.t (view)     SELECT * FROM local.t_state, the table's column defaults; INSTEAD OF trigger
--                         outbox.t__write: rule checks, the write to local.t_state (lifecycle triggers,
--                         CHECKs, uniqueness), the effect and the outbox entry
--     outbox.t__from_synced   statement triggers on synced.t: copy server rows into local.t_state, except
--                             keys with pending effects, which are settled (acknowledged ones the
--                             row now contains) and re-derived
--     outbox.t__rederive      local.t_state for one key = synced.t row + fold of the key's effects
--     outbox.t__synced_state  (present, _synced_txid) of one key in synced.t
--
-- Value forms: effects hold the text output of every column under fixed settings (UTC, ISO dates,
-- iso_8601 intervals, shortest exact floats, hex bytea) and are read back with casts, so a re-derived
-- row is exactly the written one. Mutations hold the wire form of common/mutations/protocol.ts: jsonb
-- as JSON, arrays as JSON arrays of element text, everything else as text.

-- Columns of a relation with what the generator needs to know about them.
CREATE FUNCTION outbox.column_info(p_rel regclass)
RETURNS TABLE (name text, type text, generated boolean, not_null boolean, default_expr text,
               is_json boolean, is_array boolean, comparable boolean)
LANGUAGE sql
STABLE
AS $$
    SELECT a.attname::text,
           format_type(a.atttypid, a.atttypmod),
           a.attgenerated <> '',
           a.attnotnull,
           CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
           t.typname IN ('json', 'jsonb'),
           t.typcategory = 'A',
           t.typname NOT IN ('json', '_json', 'xml', '_xml', 'point', '_point')
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = p_rel AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum
$$;

-- The primary key columns of a relation, in key order.
CREATE FUNCTION outbox.primary_key_of(p_rel regclass)
RETURNS text[]
LANGUAGE sql
STABLE
AS $$
    SELECT array_agg(a.attname::text ORDER BY k.ord)
      FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord), pg_attribute a
     WHERE i.indrelid = p_rel AND i.indisprimary AND a.attrelid = p_rel AND a.attnum = k.attnum
$$;

-- `jsonb_build_object(pairs...)`, split so that no call exceeds the 100-argument limit.
CREATE FUNCTION outbox.jsonb_object_sql(p_pairs text[])
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT coalesce(string_agg(format('jsonb_build_object(%s)', chunk), ' || ' ORDER BY g), '''{}''::jsonb')
      FROM (SELECT (i - 1) / 40 AS g, string_agg(pair, ', ' ORDER BY i) AS chunk
              FROM unnest(p_pairs) WITH ORDINALITY AS u(pair, i)
             GROUP BY 1) c
$$;

-- SQL that is true when column `c` differs between records `a` and `b`.
CREATE FUNCTION outbox.differs_sql(a text, b text, c text, comparable boolean)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE WHEN comparable THEN format('%s.%I IS DISTINCT FROM %s.%I', a, c, b, c)
                ELSE format('%s.%I::text IS DISTINCT FROM %s.%I::text', a, c, b, c) END
$$;

-- SQL for the wire form (common/mutations/protocol.ts) of column `c` of record `r`.
CREATE FUNCTION outbox.wire_sql(r text, c text, is_json boolean, is_array boolean)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE WHEN is_json THEN format('to_jsonb(%s.%I)', r, c)
                WHEN is_array THEN format('to_jsonb(%s.%I::text[])', r, c)
                ELSE format('to_jsonb(%s.%I::text)', r, c) END
$$;

-- The settings under which text forms are written (docs/protocol.md, the Shape API's value settings).
CREATE FUNCTION outbox.text_form_settings()
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 'SET search_path = public, pg_catalog SET "TimeZone" = ''UTC'' SET "DateStyle" = ''ISO, DMY'''
        || ' SET "IntervalStyle" = ''iso_8601'' SET extra_float_digits = 1 SET bytea_output = ''hex'''
$$;

-- Re-creates a trigger so that it does not fire for the machinery's own writes.
CREATE FUNCTION outbox.skip_trigger_for_machinery(p_trigger oid)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    def text := pg_get_triggerdef(p_trigger);
    rel regclass;
    name text;
BEGIN
    SELECT tgrelid::regclass, tgname INTO rel, name FROM pg_trigger WHERE oid = p_trigger;
    IF def LIKE '% WHEN (%' THEN
        def := regexp_replace(def, ' WHEN \((.*)\) EXECUTE FUNCTION ',
                              ' WHEN (NOT outbox.machinery_active() AND (\1)) EXECUTE FUNCTION ');
    ELSE
        def := replace(def, ' EXECUTE FUNCTION ', ' WHEN (NOT outbox.machinery_active()) EXECUTE FUNCTION ');
    END IF;
    EXECUTE format('DROP TRIGGER %I ON %s', name, rel);
    EXECUTE def;
END;
$$;

CREATE FUNCTION outbox.install_overlay(p_table text, p_operations text[], p_columns text[])
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_catalog
AS $install$
DECLARE
    t          text := p_table;
    lt         text := p_table || '_state';  -- local.<t>_state: a name no view has (see below)
    rel        regclass := to_regclass(format('public.%I', p_table));
    settings   text := outbox.text_form_settings();
    pk         text[];
    cols       record;
    names      text[] := '{}';   -- every column, in order
    nongen     text[] := '{}';   -- non-generated columns
    nonpk      text[] := '{}';   -- non-generated, non-key columns
    writable   text[];
    updatable  text[];
    server_only text[];
    checks_insert text := '';
    checks_update text := '';
    assign_new text := '';
    decode_insert text := '';
    decode_update text := '';
    unique_checks text := '';
    row_text   text[] := '{}';
    key_text_fin text[] := '{}';
    key_text_old text[] := '{}';
    key_text_n text[] := '{}';
    key_text_o text[] := '{}';
    wire_insert text[] := '{}';
    changed_text text := '';
    wire_changed text := '';
    any_change text := '';
    pk_old text;
    pk_fin text;
    pk_key_s text;
    pk_key_l text;
    pk_join_n text;
    pk_join_o text;
    nongen_list text;
    new_list text;
    n_list text;
    r_list text;
    base_list text;
    s_list text;
    upsert_set text;
    u record;
BEGIN
    IF rel IS NULL OR (SELECT relkind FROM pg_class WHERE oid = rel) <> 'r' THEN
        RAISE EXCEPTION 'install_overlay: public.% is not a plain table', t;
    END IF;
    pk := outbox.primary_key_of(rel);
    IF pk IS NULL THEN
        RAISE EXCEPTION 'install_overlay: % has no primary key', t;
    END IF;
    SELECT coalesce(array_agg(column_name), '{}') INTO server_only FROM server_only_columns WHERE table_name = t;

    FOR cols IN SELECT * FROM outbox.column_info(rel) LOOP
        names := names || cols.name;
        assign_new := assign_new || format(E'\n        NEW.%1$I := fin.%1$I;', cols.name);
        IF cols.generated THEN
            checks_insert := checks_insert || format(
                E'\n    IF NEW.%1$I IS NOT NULL THEN RAISE EXCEPTION ''cannot insert a non-DEFAULT value into column %1$s'' USING ERRCODE = ''428C9'', DETAIL = ''Column %1$s is a generated column.''; END IF;', cols.name);
            checks_update := checks_update || format(
                E'\n    IF %s THEN RAISE EXCEPTION ''column %s can only be updated to DEFAULT'' USING ERRCODE = ''428C9''; END IF;',
                outbox.differs_sql('NEW', 'OLD', cols.name, cols.comparable), cols.name);
            CONTINUE;
        END IF;
        nongen := nongen || cols.name;
        row_text := row_text || format('%L, fin.%I::text', cols.name, cols.name);
        decode_insert := decode_insert || format(E'\n            r.%1$I := (e.row_values ->> %1$L)::%2$s;', cols.name, cols.type);
        any_change := any_change || CASE WHEN any_change = '' THEN '' ELSE ' OR ' END
            || outbox.differs_sql('NEW', 'OLD', cols.name, cols.comparable);
        IF cols.name = ANY (pk) THEN
            key_text_fin := key_text_fin || format('%L, fin.%I::text', cols.name, cols.name);
            key_text_old := key_text_old || format('%L, OLD.%I::text', cols.name, cols.name);
            key_text_n := key_text_n || format('%L, n.%I::text', cols.name, cols.name);
            key_text_o := key_text_o || format('%L, o.%I::text', cols.name, cols.name);
        ELSE
            nonpk := nonpk || cols.name;
            decode_update := decode_update || format(
                E'\n                IF e.row_values ? %1$L THEN r.%1$I := (e.row_values ->> %1$L)::%2$s; END IF;', cols.name, cols.type);
            changed_text := changed_text || format(
                E'\n            || CASE WHEN %s THEN jsonb_build_object(%L, fin.%I::text) ELSE ''{}''::jsonb END',
                outbox.differs_sql('fin', 'OLD', cols.name, cols.comparable), cols.name, cols.name);
        END IF;
    END LOOP;

    writable := coalesce(p_columns,
        ARRAY(SELECT c FROM unnest(nongen) c WHERE NOT c = ANY (server_only)));
    IF EXISTS (SELECT 1 FROM unnest(writable) c WHERE NOT c = ANY (nongen)) THEN
        RAISE EXCEPTION 'install_overlay: % has no writable column(s) %', t,
            ARRAY(SELECT c FROM unnest(writable) c WHERE NOT c = ANY (nongen));
    END IF;
    updatable := ARRAY(SELECT c FROM unnest(writable) c WHERE NOT c = ANY (pk) AND c <> 'tenant_id');

    -- What a plain write (outside a named mutation) may do.
    FOR cols IN SELECT * FROM outbox.column_info(rel) WHERE NOT generated LOOP
        IF cols.name = ANY (writable) THEN
            wire_insert := wire_insert || format('%L, %s', cols.name, outbox.wire_sql('fin', cols.name, cols.is_json, cols.is_array));
        ELSIF cols.default_expr IS NOT NULL THEN
            checks_insert := checks_insert || format(
                E'\n        IF NOT named AND NEW.%1$I IS DISTINCT FROM (%2$s) THEN RAISE EXCEPTION ''column %1$s of %3$s is not writable through the write API'' USING ERRCODE = ''42501'', HINT = ''leave it out: the server sets it, or a named mutation changes it''; END IF;',
                cols.name, cols.default_expr, t);
        ELSE
            checks_insert := checks_insert || format(
                E'\n        IF NOT named AND NEW.%1$I IS NOT NULL THEN RAISE EXCEPTION ''column %1$s of %2$s is not writable through the write API'' USING ERRCODE = ''42501'', HINT = ''leave it out: the server sets it, or a named mutation changes it''; END IF;',
                cols.name, t);
        END IF;
        IF cols.name = ANY (pk) THEN
            checks_update := checks_update || format(
                E'\n    IF %s THEN RAISE EXCEPTION ''the primary key of %s cannot change'' USING ERRCODE = ''OP003'', HINT = ''delete the row and insert a new one''; END IF;',
                outbox.differs_sql('NEW', 'OLD', cols.name, cols.comparable), t);
        ELSIF cols.name = ANY (updatable) THEN
            wire_changed := wire_changed || format(
                E'\n            || CASE WHEN %s THEN jsonb_build_object(%L, %s) ELSE ''{}''::jsonb END',
                outbox.differs_sql('NEW', 'OLD', cols.name, cols.comparable), cols.name,
                outbox.wire_sql('fin', cols.name, cols.is_json, cols.is_array));
        ELSE
            checks_update := checks_update || format(
                E'\n    IF NOT named AND %s THEN RAISE EXCEPTION ''column %s of %s is not writable through the write API'' USING ERRCODE = ''42501'', HINT = ''a named mutation changes it''; END IF;',
                outbox.differs_sql('NEW', 'OLD', cols.name, cols.comparable), cols.name, t);
        END IF;
    END LOOP;

    pk_old := (SELECT string_agg(format('%I = OLD.%I', c, c), ' AND ') FROM unnest(pk) c);
    pk_key_s := (SELECT string_agg(format('s.%I = (p_key ->> %L)::%s', c, c, ci.type), ' AND ')
                   FROM unnest(pk) c JOIN outbox.column_info(rel) ci ON ci.name = c);
    pk_key_l := (SELECT string_agg(format('l.%I = (p_key ->> %L)::%s', c, c, ci.type), ' AND ')
                   FROM unnest(pk) c JOIN outbox.column_info(rel) ci ON ci.name = c);
    pk_join_n := (SELECT string_agg(format('l.%I = n.%I', c, c), ' AND ') FROM unnest(pk) c);
    pk_join_o := (SELECT string_agg(format('l.%I = o.%I', c, c), ' AND ') FROM unnest(pk) c);
    nongen_list := (SELECT string_agg(format('%I', c), ', ') FROM unnest(nongen) c);
    new_list := (SELECT string_agg(format('NEW.%I', c), ', ') FROM unnest(nongen) c);
    n_list := (SELECT string_agg(format('n.%I', c), ', ') FROM unnest(nongen) c);
    r_list := (SELECT string_agg(format('r.%I', c), ', ') FROM unnest(nongen) c);
    base_list := (SELECT string_agg(format('base.%I', c), ', ') FROM unnest(nongen) c);
    s_list := (SELECT string_agg(format('s.%I', c), ', ') FROM unnest(names) c);
    upsert_set := format('(%s) = ROW(%s)',
        (SELECT string_agg(format('%I', c), ', ') FROM unnest(nonpk) c),
        (SELECT string_agg(format('EXCLUDED.%I', c), ', ') FROM unnest(nonpk) c));

    -- Unique constraints become plain indexes on local.t_state; the write trigger checks them instead.
    FOR u IN
        SELECT con.conname::text AS name, i.indnullsnotdistinct AS nnd,
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) k JOIN pg_attribute a
                       ON a.attrelid = con.conrelid AND a.attnum = k) AS cols
          FROM pg_constraint con JOIN pg_index i ON i.indexrelid = con.conindid
         WHERE con.conrelid = rel AND con.contype = 'u'
    LOOP
        IF NOT pk <@ u.cols THEN
            unique_checks := unique_checks || format(
                E'\n    IF EXISTS (SELECT 1 FROM local.%I x WHERE %s AND NOT (%s)) THEN RAISE EXCEPTION ''duplicate key value violates unique constraint "%s"'' USING ERRCODE = ''23505'', CONSTRAINT = %L; END IF;',
                lt,
                (SELECT string_agg(CASE WHEN u.nnd THEN format('x.%I IS NOT DISTINCT FROM fin.%I', c, c)
                                        ELSE format('x.%I = fin.%I', c, c) END, ' AND ') FROM unnest(u.cols) c),
                (SELECT string_agg(format('x.%I = fin.%I', c, c), ' AND ') FROM unnest(pk) c),
                u.name, u.name);
        END IF;
    END LOOP;

    -- The table becomes local.<t>_state (PGlite's live queries follow view dependencies by relation
    -- name alone, so a table named like the view above it would make them recurse forever); synced.t
    -- is created beside it for server state.
    EXECUTE format('ALTER TABLE public.%I SET SCHEMA local', t);
    EXECUTE format('ALTER TABLE local.%I RENAME TO %I', t, lt);
    EXECUTE format('CREATE TABLE synced.%I (LIKE local.%I INCLUDING DEFAULTS INCLUDING GENERATED)', t, lt);
    FOR cols IN SELECT * FROM outbox.column_info(format('synced.%I', t)::regclass)
                 WHERE not_null AND NOT name = ANY (pk) LOOP
        EXECUTE format('ALTER TABLE synced.%I ALTER COLUMN %I DROP NOT NULL', t, cols.name);
    END LOOP;
    EXECUTE format('ALTER TABLE synced.%I ADD PRIMARY KEY (%s)', t,
                   (SELECT string_agg(format('%I', c), ', ') FROM unnest(pk) c));
    EXECUTE format('ALTER TABLE synced.%I ADD COLUMN _synced_txid bigint', t);
    EXECUTE format('COMMENT ON COLUMN synced.%I._synced_txid IS %L', t,
                   'highest txid (modulo 2^32) of the shape messages that wrote this row (NULL: snapshot rows only)');
    EXECUTE format('COMMENT ON TABLE synced.%I IS %L', t,
                   format('Server state of %s, written only by the sync applier.', t));
    FOR u IN SELECT conname::text AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
              WHERE conrelid = format('local.%I', lt)::regclass AND contype = 'u' LOOP
        EXECUTE format('ALTER TABLE synced.%I ADD CONSTRAINT %I %s', t, u.name, u.def);
        EXECUTE format('ALTER TABLE local.%I DROP CONSTRAINT %I', lt, u.name);
        EXECUTE format('CREATE INDEX %I ON local.%I (%s)', u.name, lt,
                       substring(u.def FROM '\((.*)\)$'));
    END LOOP;
    FOR u IN SELECT oid FROM pg_trigger WHERE tgrelid = format('local.%I', lt)::regclass AND NOT tgisinternal LOOP
        PERFORM outbox.skip_trigger_for_machinery(u.oid);
    END LOOP;

    -- The view the app queries, with the table's defaults and comments.
    EXECUTE format('CREATE VIEW public.%I AS SELECT %s FROM local.%I',
                   t, (SELECT string_agg(format('%I', c), ', ') FROM unnest(names) c), lt);
    FOR cols IN SELECT * FROM outbox.column_info(format('local.%I', lt)::regclass) WHERE default_expr IS NOT NULL LOOP
        EXECUTE format('ALTER VIEW public.%I ALTER COLUMN %I SET DEFAULT %s', t, cols.name, cols.default_expr);
    END LOOP;
    EXECUTE format('COMMENT ON VIEW public.%I IS %L', t,
                   coalesce(obj_description(format('local.%I', lt)::regclass, 'pg_class') || ' ', '')
                   || '(Local view: writes go through the outbox.)');
    FOR u IN SELECT a.attname::text AS name, d.description FROM pg_attribute a
               JOIN pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum AND d.classoid = 'pg_class'::regclass
              WHERE a.attrelid = format('local.%I', lt)::regclass LOOP
        EXECUTE format('COMMENT ON COLUMN public.%I.%I IS %L', t, u.name, u.description);
    END LOOP;

    -- Server state of one key.
    EXECUTE format($fn$
CREATE FUNCTION outbox.%1$I(p_key jsonb, OUT present boolean, OUT txid bigint)
LANGUAGE sql STABLE
AS $body$ SELECT count(*) > 0, max(s._synced_txid) FROM synced.%2$I s WHERE %3$s $body$
$fn$, t || '__synced_state', t, pk_key_s);

    -- local.t_state for one key = server row + the key's effects in order.
    EXECUTE format($fn$
CREATE FUNCTION outbox.%1$I(p_key jsonb)
RETURNS void
LANGUAGE plpgsql
%2$s
AS $body$
DECLARE
    r local.%15$I%%ROWTYPE;
    base local.%15$I%%ROWTYPE;
    had_base boolean;
    present boolean;
    e record;
    prev text := current_setting('outpost.machinery', true);
BEGIN
    SELECT %4$s INTO base FROM synced.%3$I s WHERE %5$s;
    had_base := FOUND;
    present := had_base;
    r := base;
    FOR e IN SELECT op, row_values FROM outbox.effects WHERE table_name = %6$L AND key = p_key ORDER BY seq LOOP
        IF e.op = 'delete' THEN
            present := false;
        ELSIF e.op = 'insert' THEN
            r := NULL;%7$s
            present := true;
        ELSIF present THEN%8$s
        END IF;
    END LOOP;
    PERFORM set_config('outpost.machinery', 'on', true);
    IF present THEN
        BEGIN
            INSERT INTO local.%15$I AS l (%9$s) VALUES (%10$s) ON CONFLICT (%11$s) DO UPDATE SET %12$s;
        EXCEPTION WHEN integrity_constraint_violation THEN
            -- The pending writes no longer fit the server row: show the server row until the
            -- server decides on them.
            IF had_base THEN
                INSERT INTO local.%15$I AS l (%9$s) VALUES (%13$s) ON CONFLICT (%11$s) DO UPDATE SET %12$s;
            ELSE
                DELETE FROM local.%15$I l WHERE %14$s;
            END IF;
        END;
    ELSE
        DELETE FROM local.%15$I l WHERE %14$s;
    END IF;
    PERFORM set_config('outpost.machinery', coalesce(prev, ''), true);
END;
$body$
$fn$, t || '__rederive', settings, t, s_list, pk_key_s, t, decode_insert, decode_update,
      nongen_list, r_list, (SELECT string_agg(format('%I', c), ', ') FROM unnest(pk) c), upsert_set,
      base_list, pk_key_l, lt);

    -- Server rows into local.t_state (statement triggers on synced.t, written by the applier).
    EXECUTE format($fn$
CREATE FUNCTION outbox.%1$I()
RETURNS trigger
LANGUAGE plpgsql
%2$s
AS $body$
DECLARE
    k record;
    prev text := current_setting('outpost.machinery', true);
    pending boolean := EXISTS (SELECT 1 FROM outbox.effects WHERE table_name = %3$L);
BEGIN
    PERFORM set_config('outpost.machinery', 'on', true);
    IF TG_OP = 'DELETE' THEN
        IF pending THEN
            DELETE FROM local.%4$I l USING old_rows o WHERE %5$s
               AND NOT EXISTS (SELECT 1 FROM outbox.effects e WHERE e.table_name = %3$L AND e.key = %6$s);
            FOR k IN SELECT DISTINCT e.key FROM old_rows o JOIN outbox.effects e
                       ON e.table_name = %3$L AND e.key = %6$s LOOP
                PERFORM outbox.settle_key(%3$L, k.key, true, NULL);
                PERFORM outbox.%7$I(k.key);
            END LOOP;
        ELSE
            DELETE FROM local.%4$I l USING old_rows o WHERE %5$s;
        END IF;
    ELSE
        IF pending THEN
            INSERT INTO local.%4$I AS l (%8$s) SELECT %9$s FROM new_rows n
             WHERE NOT EXISTS (SELECT 1 FROM outbox.effects e WHERE e.table_name = %3$L AND e.key = %10$s)
            ON CONFLICT (%11$s) DO UPDATE SET %12$s;
            FOR k IN SELECT DISTINCT e.key, n._synced_txid AS txid FROM new_rows n JOIN outbox.effects e
                       ON e.table_name = %3$L AND e.key = %10$s LOOP
                PERFORM outbox.settle_key(%3$L, k.key, false, k.txid);
                PERFORM outbox.%7$I(k.key);
            END LOOP;
        ELSE
            INSERT INTO local.%4$I AS l (%8$s) SELECT %9$s FROM new_rows n
            ON CONFLICT (%11$s) DO UPDATE SET %12$s;
        END IF;
    END IF;
    PERFORM set_config('outpost.machinery', coalesce(prev, ''), true);
    RETURN NULL;
END;
$body$
$fn$, t || '__from_synced', settings, t, lt, pk_join_o,
      outbox.jsonb_object_sql(key_text_o), t || '__rederive', nongen_list, n_list,
      outbox.jsonb_object_sql(key_text_n), (SELECT string_agg(format('%I', c), ', ') FROM unnest(pk) c),
      upsert_set);

    -- The view's INSTEAD OF trigger.
    EXECUTE format($fn$
CREATE FUNCTION outbox.%1$I()
RETURNS trigger
LANGUAGE plpgsql
%2$s
AS $body$
DECLARE
    fin local.%22$I%%ROWTYPE;
    named boolean := outbox.named_mutation() IS NOT NULL;
BEGIN
    IF outbox.applier_active() THEN
        -- Inside the applier's mode a write through the view is server state (test fixtures, tools).
        IF TG_OP = 'INSERT' THEN
            INSERT INTO synced.%3$I (%4$s) VALUES (%5$s);
            RETURN NEW;
        ELSIF TG_OP = 'UPDATE' THEN
            UPDATE synced.%3$I SET (%4$s) = ROW(%5$s) WHERE %6$s;
            RETURN NEW;
        ELSE
            DELETE FROM synced.%3$I WHERE %6$s;
            RETURN OLD;
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NOT named AND NOT %7$L THEN
            RAISE EXCEPTION '%3$s does not accept inserts through the write API' USING ERRCODE = '42501',
                HINT = 'a named mutation creates these rows';
        END IF;%8$s
        INSERT INTO local.%22$I (%4$s) VALUES (%5$s) RETURNING * INTO fin;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;%9$s
        PERFORM outbox.record_effect(%10$L, 'insert', %11$s, %12$s, %11$s, %13$s);%14$s
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT named AND NOT %17$L THEN
            RAISE EXCEPTION '%3$s does not accept updates through the write API' USING ERRCODE = '42501',
                HINT = 'a named mutation changes these rows';
        END IF;%15$s
        IF NOT (%16$s) THEN
            RETURN NEW;
        END IF;
        UPDATE local.%22$I SET (%4$s) = ROW(%5$s) WHERE %6$s RETURNING * INTO fin;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;%9$s
        PERFORM outbox.record_effect(%10$L, 'update', %11$s, '{}'::jsonb%18$s, %11$s, '{}'::jsonb%19$s);%14$s
        RETURN NEW;
    ELSE
        IF NOT named AND NOT %20$L THEN
            RAISE EXCEPTION '%3$s does not accept deletes through the write API' USING ERRCODE = '42501',
                HINT = 'a named mutation removes these rows';
        END IF;
        DELETE FROM local.%22$I WHERE %6$s RETURNING * INTO fin;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        PERFORM outbox.record_effect(%10$L, 'delete', %21$s, '{}'::jsonb, %21$s, NULL);
        RETURN OLD;
    END IF;
END;
$body$
$fn$, t || '__write', settings, t, nongen_list, new_list, pk_old,
      'insert' = ANY (p_operations), checks_insert, unique_checks, t,
      outbox.jsonb_object_sql(key_text_fin), outbox.jsonb_object_sql(row_text),
      outbox.jsonb_object_sql(wire_insert), assign_new, checks_update, any_change,
      'update' = ANY (p_operations), changed_text, wire_changed, 'delete' = ANY (p_operations),
      outbox.jsonb_object_sql(key_text_old), lt);

    EXECUTE format('CREATE TRIGGER outbox_write INSTEAD OF INSERT OR UPDATE OR DELETE ON public.%I
                    FOR EACH ROW EXECUTE FUNCTION outbox.%I()', t, t || '__write');
    EXECUTE format('CREATE TRIGGER outbox_from_synced_insert AFTER INSERT ON synced.%I REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION outbox.%I()', t, t || '__from_synced');
    EXECUTE format('CREATE TRIGGER outbox_from_synced_update AFTER UPDATE ON synced.%I REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION outbox.%I()', t, t || '__from_synced');
    EXECUTE format('CREATE TRIGGER outbox_from_synced_delete AFTER DELETE ON synced.%I REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION outbox.%I()', t, t || '__from_synced');
    EXECUTE format('CREATE TRIGGER outbox_applier_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON synced.%I
                    FOR EACH STATEMENT EXECUTE FUNCTION outbox.refuse_unless_applier()', t);
    EXECUTE format('CREATE TRIGGER outbox_keep_highest_txid BEFORE UPDATE OF _synced_txid ON synced.%I
                    FOR EACH ROW WHEN (OLD._synced_txid IS NOT NULL) EXECUTE FUNCTION outbox.keep_highest_txid()', t);
    EXECUTE format('CREATE TRIGGER outbox_machinery_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON local.%I
                    FOR EACH STATEMENT EXECUTE FUNCTION outbox.refuse_direct_local_write()', lt);

    INSERT INTO outbox.write_rules (table_name, operations, columns, primary_key)
    VALUES (t, p_operations, writable, pk);
END;
$install$;

-- Applier INSERT of a key that already exists (reference rows a migration inserted): update it instead.
-- Trigger arguments: the primary key columns.
CREATE FUNCTION outbox.upsert_prefilled()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    pk_match text;
    assignments text;
    found_row boolean;
BEGIN
    SELECT string_agg(format('t.%I = ($1).%I', c, c), ' AND ') INTO pk_match FROM unnest(TG_ARGV) c;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I t WHERE %s)', TG_TABLE_SCHEMA, TG_TABLE_NAME, pk_match)
        INTO found_row USING NEW;
    IF NOT found_row THEN
        RETURN NEW;
    END IF;
    SELECT string_agg(format('%I = ($1).%I', attname, attname), ', ') INTO assignments
      FROM pg_attribute
     WHERE attrelid = TG_RELID AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
       AND NOT attname::text = ANY (TG_ARGV);
    IF assignments IS NOT NULL THEN
        EXECUTE format('UPDATE %I.%I t SET %s WHERE %s', TG_TABLE_SCHEMA, TG_TABLE_NAME, assignments, pk_match)
            USING NEW;
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION outbox.install_local_schema(p_rules jsonb, p_synced text[])
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_catalog
AS $install$
DECLARE
    writable text[] := ARRAY(SELECT r ->> 'table' FROM jsonb_array_elements(p_rules) r);
    item record;
    sub record;
    vw record;
    has_rows boolean;
BEGIN
    IF EXISTS (SELECT 1 FROM unnest(writable) w WHERE NOT w = ANY (p_synced)) THEN
        RAISE EXCEPTION 'install_local_schema: writable tables must be synced';
    END IF;

    -- 1. Server-only columns are never sent: server state comes without them.
    FOR item IN SELECT s.table_name, s.column_name, c.oid AS rel, a.attnum
               FROM server_only_columns s
               JOIN pg_class c ON c.relname = s.table_name AND c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = s.column_name
              WHERE s.table_name = ANY (p_synced) LOOP
        EXECUTE format('ALTER TABLE public.%I ALTER COLUMN %I DROP NOT NULL', item.table_name, item.column_name);
        FOR sub IN SELECT conname FROM pg_constraint WHERE conrelid = item.rel AND contype = 'c' AND item.attnum = ANY (conkey) LOOP
            EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', item.table_name, sub.conname);
        END LOOP;
    END LOOP;

    -- 2. Foreign keys: remember and drop (re-created in 6).
    CREATE TEMP TABLE outpost_foreign_keys ON COMMIT DROP AS
        SELECT con.conname::text AS name,
               cc.relname::text AS child,
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS child_cols,
               pc.relname::text AS parent,
               ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                       JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS parent_cols,
               ARRAY(SELECT a.attname::text FROM unnest(con.confdelsetcols) WITH ORDINALITY k(n, o)
                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS set_cols,
               con.confupdtype AS on_update, con.confdeltype AS on_delete, con.confmatchtype AS match
          FROM pg_constraint con
          JOIN pg_class cc ON cc.oid = con.conrelid
          JOIN pg_class pc ON pc.oid = con.confrelid
         WHERE con.contype = 'f' AND con.conparentid = 0 AND cc.relnamespace = 'public'::regnamespace;
    FOR item IN SELECT * FROM outpost_foreign_keys LOOP
        EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', item.child, item.name);
    END LOOP;

    -- 3. Alias views over writable tables: remember and drop (re-created in 7).
    CREATE TEMP TABLE outpost_alias_views ON COMMIT DROP AS
        SELECT v.relname::text AS name, rtrim(pg_get_viewdef(v.oid), ';') AS def, v.reloptions AS options,
               obj_description(v.oid, 'pg_class') AS comment,
               ARRAY(SELECT format('ALTER VIEW public.%I ALTER COLUMN %I SET DEFAULT %s', v.relname, a.attname,
                                   pg_get_expr(d.adbin, d.adrelid))
                       FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                      WHERE d.adrelid = v.oid) AS defaults,
               ARRAY(SELECT format('COMMENT ON COLUMN public.%I.%I IS %L', v.relname, a.attname, ds.description)
                       FROM pg_description ds JOIN pg_attribute a ON a.attrelid = ds.objoid AND a.attnum = ds.objsubid
                      WHERE ds.objoid = v.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid > 0) AS column_comments
          FROM pg_class v
         WHERE v.relkind = 'v' AND v.relnamespace = 'public'::regnamespace
           AND EXISTS (SELECT 1 FROM pg_rewrite rw JOIN pg_depend dp ON dp.objid = rw.oid
                        JOIN pg_class t ON t.oid = dp.refobjid
                       WHERE rw.ev_class = v.oid AND t.relnamespace = 'public'::regnamespace
                         AND t.relname::text = ANY (writable) AND t.oid <> v.oid);
    FOR vw IN SELECT name FROM outpost_alias_views LOOP
        EXECUTE format('DROP VIEW public.%I', vw.name);
    END LOOP;

    -- 4. The writable tables.
    FOR item IN SELECT x ->> 'table' AS t,
                    ARRAY(SELECT jsonb_array_elements_text(x -> 'operations')) AS ops,
                    CASE WHEN jsonb_typeof(x -> 'columns') = 'array'
                         THEN ARRAY(SELECT jsonb_array_elements_text(x -> 'columns')) END AS cols
               FROM jsonb_array_elements(p_rules) x LOOP
        PERFORM outbox.install_overlay(item.t, item.ops, item.cols);
    END LOOP;

    -- 5. The other synced tables: server state as it is, written only by the applier.
    FOR item IN SELECT c.oid AS rel, c.relname::text AS name, c.relkind
               FROM pg_class c
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                AND c.relname::text = ANY (p_synced) AND NOT c.relname::text = ANY (writable) LOOP
        FOR sub IN SELECT t.tgrelid::regclass AS trel, t.tgname
                   FROM pg_trigger t
                  WHERE NOT t.tgisinternal AND t.tgenabled <> 'D'
                    AND t.tgrelid IN (SELECT relid FROM pg_partition_tree(item.rel) UNION SELECT item.rel) LOOP
            EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', sub.trel, sub.tgname);
        END LOOP;
        EXECUTE format('CREATE TRIGGER outbox_applier_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION outbox.refuse_unless_applier()', item.name);
        IF item.relkind = 'r' THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I)', item.name) INTO has_rows;
            IF has_rows THEN
                EXECUTE format('CREATE TRIGGER outbox_upsert_prefilled BEFORE INSERT ON public.%I FOR EACH ROW
                                WHEN (outbox.applier_active()) EXECUTE FUNCTION outbox.upsert_prefilled(%s)',
                               item.name, (SELECT string_agg(quote_literal(k), ', ') FROM unnest(outbox.primary_key_of(item.rel)) k));
            END IF;
        END IF;
    END LOOP;

    -- 6. Foreign keys between server-state tables, checked at commit.
    FOR item IN SELECT * FROM outpost_foreign_keys ORDER BY child, name LOOP
        EXECUTE format('ALTER TABLE %s.%I ADD CONSTRAINT %I FOREIGN KEY (%s) REFERENCES %s.%I (%s) MATCH %s ON UPDATE %s ON DELETE %s DEFERRABLE INITIALLY DEFERRED',
            CASE WHEN item.child = ANY (writable) THEN 'synced' ELSE 'public' END, item.child, item.name,
            (SELECT string_agg(format('%I', x), ', ') FROM unnest(item.child_cols) x),
            CASE WHEN item.parent = ANY (writable) THEN 'synced' ELSE 'public' END, item.parent,
            (SELECT string_agg(format('%I', x), ', ') FROM unnest(item.parent_cols) x),
            CASE item.match WHEN 'f' THEN 'FULL' WHEN 'p' THEN 'PARTIAL' ELSE 'SIMPLE' END,
            CASE item.on_update WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
                             WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END,
            CASE item.on_delete WHEN 'c' THEN 'CASCADE' WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT'
                             WHEN 'n' THEN 'SET NULL' || CASE WHEN cardinality(item.set_cols) > 0
                                 THEN format(' (%s)', (SELECT string_agg(format('%I', x), ', ') FROM unnest(item.set_cols) x))
                                 ELSE '' END
                             ELSE 'NO ACTION' END);
    END LOOP;

    -- 7. Alias views, now over the local views.
    FOR vw IN SELECT * FROM outpost_alias_views ORDER BY name LOOP
        EXECUTE format('CREATE VIEW public.%I%s AS %s', vw.name,
                       CASE WHEN vw.options IS NULL THEN '' ELSE format(' WITH (%s)', array_to_string(vw.options, ', ')) END,
                       vw.def);
        FOR sub IN SELECT unnest(vw.defaults || vw.column_comments) AS stmt LOOP
            EXECUTE sub.stmt;
        END LOOP;
        IF vw.comment IS NOT NULL THEN
            EXECUTE format('COMMENT ON VIEW public.%I IS %L', vw.name, vw.comment);
        END IF;
    END LOOP;
END;
$install$;

-- 0205_local_write_rules: the local write rules become data the core keeps equal to common/sync/rules.ts,
-- instead of a list frozen into a migration (0202). Local only. Serves no seed.
--
-- 0201 compiles a table's write rule into its INSTEAD OF function outbox.<t>__write when the overlay is
-- installed, and 0202 installed every overlay with the rules of that day. A rule that changes later
-- (operations, or the columns an insert or an update may set) needs that function re-created. This
-- migration adds:
--
--   outbox.write_rules.update_columns   the columns an update may change; `columns` now means the
--                                       columns an insert may set (primary key included). Filled for
--                                       existing rows with 0201's rule: columns minus key and tenant_id.
--   outbox.set_write_rule(t, operations, insert_columns, update_columns)
--       re-creates outbox.<t>__write for the rule and stores it in outbox.write_rules. The function
--       is the one 0201 generates (same effects, outbox entries, uniqueness checks and wire form),
--       with insert and update columns given separately: a plain insert may set only insert_columns
--       (other columns must keep their defaults), a plain update may change only update_columns; inside
--       a named mutation every column may be written, as before. A table without an overlay first gets
--       one (0203's outbox.install_named_only_overlay).
--
-- The core (core/database/write-rules.ts) compares outbox.write_rules with common/sync/rules.ts every
-- time it opens a database and calls set_write_rule for each difference, in one transaction, so the
-- client's copy of the rules is generated from rules.ts and never edited by hand.

ALTER TABLE outbox.write_rules ADD COLUMN update_columns text[];
UPDATE outbox.write_rules
   SET update_columns = ARRAY(SELECT c FROM unnest(columns) c WHERE NOT c = ANY (primary_key) AND c <> 'tenant_id');
ALTER TABLE outbox.write_rules ALTER COLUMN update_columns SET NOT NULL;
-- 0201's install_overlay (through 0203's named-only overlays) inserts rules without it: no column.
ALTER TABLE outbox.write_rules ALTER COLUMN update_columns SET DEFAULT '{}';
COMMENT ON COLUMN outbox.write_rules.columns IS 'Columns a plain insert may set (the primary key included).';
COMMENT ON COLUMN outbox.write_rules.update_columns IS 'Columns a plain update may change.';

CREATE FUNCTION outbox.set_write_rule(p_table text, p_operations text[], p_insert text[], p_update text[])
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_catalog
AS $install$
DECLARE
    t          text := p_table;
    lt         text := p_table || '_state';
    rel        regclass;
    settings   text := outbox.text_form_settings();
    pk         text[];
    cols       record;
    nongen     text[] := '{}';
    checks_insert text := '';
    checks_update text := '';
    assign_new text := '';
    unique_checks text := '';
    row_text   text[] := '{}';
    key_text_fin text[] := '{}';
    key_text_old text[] := '{}';
    wire_insert text[] := '{}';
    changed_text text := '';
    wire_changed text := '';
    any_change text := '';
    u record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM outbox.write_rules WHERE table_name = t) THEN
        PERFORM outbox.install_named_only_overlay(t);
    END IF;
    rel := format('local.%I', lt)::regclass;
    pk := (SELECT primary_key FROM outbox.write_rules WHERE table_name = t);
    IF EXISTS (SELECT 1 FROM unnest(p_operations) o WHERE NOT o = ANY (ARRAY['insert', 'update', 'delete'])) THEN
        RAISE EXCEPTION 'set_write_rule: % has an unknown operation in %', t, p_operations;
    END IF;

    FOR cols IN SELECT * FROM outbox.column_info(rel) LOOP
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
        any_change := any_change || CASE WHEN any_change = '' THEN '' ELSE ' OR ' END
            || outbox.differs_sql('NEW', 'OLD', cols.name, cols.comparable);
        IF cols.name = ANY (pk) THEN
            key_text_fin := key_text_fin || format('%L, fin.%I::text', cols.name, cols.name);
            key_text_old := key_text_old || format('%L, OLD.%I::text', cols.name, cols.name);
        ELSE
            changed_text := changed_text || format(
                E'\n            || CASE WHEN %s THEN jsonb_build_object(%L, fin.%I::text) ELSE ''{}''::jsonb END',
                outbox.differs_sql('fin', 'OLD', cols.name, cols.comparable), cols.name, cols.name);
        END IF;
    END LOOP;
    IF EXISTS (SELECT 1 FROM unnest(p_insert || p_update) c WHERE NOT c = ANY (nongen)) THEN
        RAISE EXCEPTION 'set_write_rule: % has no writable column(s) %', t,
            ARRAY(SELECT c FROM unnest(p_insert || p_update) c WHERE NOT c = ANY (nongen));
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_update) c WHERE c = ANY (pk) OR c = 'tenant_id') THEN
        RAISE EXCEPTION 'set_write_rule: an update of % never changes its key or tenant_id', t;
    END IF;

    -- What a plain write (outside a named mutation) may do.
    FOR cols IN SELECT * FROM outbox.column_info(rel) WHERE NOT generated LOOP
        IF cols.name = ANY (p_insert) THEN
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
        ELSIF cols.name = ANY (p_update) THEN
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

    -- Uniqueness is checked against local state (0201 turned UNIQUE constraints into plain indexes
    -- there; synced.<t> keeps the constraints).
    FOR u IN
        SELECT con.conname::text AS name, i.indnullsnotdistinct AS nnd,
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) k JOIN pg_attribute a
                       ON a.attrelid = con.conrelid AND a.attnum = k) AS cols
          FROM pg_constraint con JOIN pg_index i ON i.indexrelid = con.conindid
         WHERE con.conrelid = format('synced.%I', t)::regclass AND con.contype = 'u'
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

    EXECUTE format($fn$
CREATE OR REPLACE FUNCTION outbox.%1$I()
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
$fn$, t || '__write', settings, t,
      (SELECT string_agg(format('%I', c), ', ') FROM unnest(nongen) c),
      (SELECT string_agg(format('NEW.%I', c), ', ') FROM unnest(nongen) c),
      (SELECT string_agg(format('%I = OLD.%I', c, c), ' AND ') FROM unnest(pk) c),
      'insert' = ANY (p_operations), checks_insert, unique_checks, t,
      outbox.jsonb_object_sql(key_text_fin), outbox.jsonb_object_sql(row_text),
      outbox.jsonb_object_sql(wire_insert), assign_new, checks_update, any_change,
      'update' = ANY (p_operations), changed_text, wire_changed, 'delete' = ANY (p_operations),
      outbox.jsonb_object_sql(key_text_old), lt);

    UPDATE outbox.write_rules
       SET operations = p_operations, columns = p_insert, update_columns = p_update
     WHERE table_name = t;
END;
$install$;

-- 0101_tenant_security: tenant isolation (row-level security), outpost_app's privileges, and the
-- logical-replication setup (REPLICA IDENTITY FULL, publication outpost_sync). Central only.
-- See docs/security.md for the model; this header is the short version.
--
-- Tenant context: `app.tenant_id` (and `app.user_id`), set per transaction by the sync server from the
-- verified token with SET LOCAL / set_config(..., true). app_current_tenant_id() turns a missing,
-- empty or malformed value into NULL (never an error, never a default tenant), and
-- app_visible_tenant_ids() (SECURITY DEFINER, so the policy on `tenants` does not recurse) gives:
--     standalone -> itself; holding -> itself + its subsidiaries; subsidiary -> itself; NULL -> {}.
-- A holding may also WRITE its subsidiaries' rows (004: holding users act on subsidiary rows).
--
-- Every table in public is in exactly one class (migrations/security.pg.test.ts checks it); the
-- exceptions to the defaults are rows of outpost_security.table_access_rules ("the rules"):
--   tenant table     has tenant_id: RLS enabled + forced, policies tenant_select/insert/update/delete
--                    (nullable tenant_id: NULL rows are global, readable by everyone, writable by no
--                    tenant); outpost_app gets SELECT/INSERT/UPDATE/DELETE unless the rules narrow it
--                    (append_only: SELECT+INSERT; read_only: SELECT). Partitions get the same RLS but
--                    no privileges: they are reached through their root only.
--   tenants          the tenant root: RLS on `id`; outpost_app may read visible tenants and update a
--                    few descriptive columns; tenants are created and deleted by provisioning only.
--   reference        no tenant_id, `reference` in the rules: read-only for outpost_app, synced.
--   internal         no tenant_id, `internal` in the rules or not listed at all (default deny):
--                    no access for outpost_app, not synced.
-- Views are made security_invoker (they never read past their base table's policies) and get the
-- privileges outpost_app has on their base table.
--
-- Generated, not hand-written: secure_all_tenant_tables() applies all of the above to whatever
-- tables, views and functions exist and refreshes the publication. It is idempotent; a later
-- migration that adds a table (or a rule) ends with `SELECT secure_all_tenant_tables();`.
--
-- SECURITY DEFINER functions (owned by outpost_definer, search_path pinned): app_visible_tenant_ids()
-- and the audit chain trigger audit_logs_chain(), which writes audit_chain_heads (outpost_app may only
-- read that table). A later CREATE OR REPLACE of either keeps the owner but must restate
-- SECURITY DEFINER and SET search_path.

-- Classification of tables that need more than the default rule. In its own schema, which only the
-- migrating owner uses: public stays identical to the local schema (migrations/schema.pg.test.ts).
CREATE SCHEMA outpost_security;
REVOKE ALL ON SCHEMA outpost_security FROM PUBLIC;
COMMENT ON SCHEMA outpost_security IS 'Central-only security bookkeeping (docs/security.md); no access for outpost_app.';

CREATE TABLE outpost_security.table_access_rules (
    table_name  text PRIMARY KEY,
    access      text NOT NULL CHECK (access IN ('reference', 'internal', 'append_only', 'read_only')),
    reason      text NOT NULL
);
COMMENT ON TABLE outpost_security.table_access_rules IS
    'Central-only table classes for secure_all_tenant_tables(): reference/internal for tables without tenant_id, append_only/read_only to narrow a tenant table. See docs/security.md.';

INSERT INTO outpost_security.table_access_rules (table_name, access, reason) VALUES
    ('permissions',         'reference',   'global permission catalogue'),
    ('plans',               'reference',   'global plan catalogue'),
    ('assistant_templates', 'reference',   'global assistant presets (004)'),
    ('state_transitions',   'reference',   'lifecycle transition table the triggers read'),
    ('server_only_columns', 'reference',   'the secret-column registry the sync server reads'),
    ('verification_tokens', 'internal',    'Auth.js tokens, global and secret; read by the sign-in path, not by tenant work'),
    ('audit_log_integrity', 'internal',    'checkpoints over partitions that span every tenant'),
    ('schema_migrations',   'internal',    'the migration runner''s bookkeeping'),
    ('audit_logs',          'append_only', 'the audit log: rows are added, never changed (0051)'),
    ('audit_chain_heads',   'read_only',   'written only by the audit chain trigger (SECURITY DEFINER)');

-- The tenant in context, or NULL when the setting is missing, empty or not a uuid.
CREATE FUNCTION app_current_tenant_id()
RETURNS uuid
LANGUAGE plpgsql
STABLE
PARALLEL RESTRICTED
SET search_path = public, pg_temp
AS $$
DECLARE
    raw text := current_setting('app.tenant_id', true);
BEGIN
    IF raw IS NULL OR raw !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RETURN NULL;
    END IF;
    RETURN raw::uuid;
END;
$$;

-- The acting user, or NULL (same rules). Not used for isolation; for audit and per-user rules.
CREATE FUNCTION app_current_user_id()
RETURNS uuid
LANGUAGE plpgsql
STABLE
PARALLEL RESTRICTED
SET search_path = public, pg_temp
AS $$
DECLARE
    raw text := current_setting('app.user_id', true);
BEGIN
    IF raw IS NULL OR raw !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RETURN NULL;
    END IF;
    RETURN raw::uuid;
END;
$$;

-- The tenants whose rows the context may see and write. SECURITY DEFINER (owner outpost_definer,
-- BYPASSRLS, column grants on tenants only) so that reading `tenants` here does not apply the
-- policy on `tenants`, which calls this function. Only existing tenants are returned: an unknown
-- uuid in the setting gives the empty set.
CREATE FUNCTION app_visible_tenant_ids()
RETURNS uuid[]
LANGUAGE sql
STABLE
SECURITY DEFINER
PARALLEL RESTRICTED
SET search_path = public, pg_temp
AS $$
    SELECT coalesce(array_agg(t.id ORDER BY t.id), '{}'::uuid[])
      FROM (SELECT app_current_tenant_id() AS id) ctx
      JOIN tenants t
        ON t.id = ctx.id
        OR (t.parent_tenant_id = ctx.id
            AND t.tenant_type = 'subsidiary'
            AND EXISTS (SELECT 1 FROM tenants h WHERE h.id = ctx.id AND h.tenant_type = 'holding'))
$$;

COMMENT ON FUNCTION app_visible_tenant_ids() IS
    'Tenants visible to the transaction''s app.tenant_id: itself, plus its subsidiaries for a holding; empty without a valid context.';

-- 0051's chain trigger runs as its owner (below) with a pinned search_path: it keeps the per-tenant
-- chain head in audit_chain_heads, which outpost_app can read but not write. Its body is unchanged.
ALTER FUNCTION audit_logs_chain() SECURITY DEFINER;
ALTER FUNCTION audit_logs_chain() SET search_path = public, pg_temp;

ALTER FUNCTION app_visible_tenant_ids() OWNER TO outpost_definer;
ALTER FUNCTION audit_logs_chain() OWNER TO outpost_definer;
REVOKE ALL ON tenants, audit_chain_heads FROM outpost_definer;
GRANT SELECT (id, tenant_type, parent_tenant_id) ON tenants TO outpost_definer;
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO outpost_definer;

-- (Re)creates the four per-command policies of a table from their expressions.
CREATE FUNCTION apply_tenant_policies(tbl regclass, readable text, insertable text, updatable text, deletable text)
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    existing name;
BEGIN
    FOR existing IN SELECT p.polname FROM pg_policy p WHERE p.polrelid = tbl
                     AND p.polname IN ('tenant_select', 'tenant_insert', 'tenant_update', 'tenant_delete')
    LOOP
        EXECUTE format('DROP POLICY %I ON %s', existing, tbl);
    END LOOP;
    EXECUTE format('CREATE POLICY tenant_select ON %s FOR SELECT TO PUBLIC USING (%s)', tbl, readable);
    EXECUTE format('CREATE POLICY tenant_insert ON %s FOR INSERT TO PUBLIC WITH CHECK (%s)', tbl, insertable);
    EXECUTE format('CREATE POLICY tenant_update ON %s FOR UPDATE TO PUBLIC USING (%s) WITH CHECK (%s)',
                   tbl, updatable, updatable);
    EXECUTE format('CREATE POLICY tenant_delete ON %s FOR DELETE TO PUBLIC USING (%s)', tbl, deletable);
END;
$$;

-- One table with a tenant_id column: RLS (enabled, forced, four policies), REPLICA IDENTITY FULL,
-- and outpost_app's privileges (none on a partition), including its serial/identity sequences.
CREATE FUNCTION secure_tenant_table(tbl regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    visible     constant text := 'tenant_id = ANY ((SELECT public.app_visible_tenant_ids())::uuid[])';
    nullable    boolean;
    root_name   text;
    is_part     boolean;
    rule        text;
    privileges  text;
    seq         regclass;
BEGIN
    SELECT NOT a.attnotnull INTO nullable
      FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = 'tenant_id' AND NOT a.attisdropped;
    IF nullable IS NULL THEN
        RAISE EXCEPTION 'secure_tenant_table: % has no tenant_id column', tbl;
    END IF;
    SELECT c.relispartition, r.relname INTO is_part, root_name
      FROM pg_class c JOIN pg_class r ON r.oid = coalesce(pg_partition_root(c.oid), c.oid) WHERE c.oid = tbl;
    SELECT a.access INTO rule FROM outpost_security.table_access_rules a WHERE a.table_name = root_name;
    privileges := CASE coalesce(rule, 'tenant')
        WHEN 'tenant' THEN 'SELECT, INSERT, UPDATE, DELETE'
        WHEN 'append_only' THEN 'SELECT, INSERT'
        WHEN 'read_only' THEN 'SELECT'
    END;
    IF privileges IS NULL THEN
        RAISE EXCEPTION 'secure_tenant_table: % has a tenant_id column but table_access_rules calls it %', tbl, rule;
    END IF;

    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY, REPLICA IDENTITY FULL', tbl);
    PERFORM apply_tenant_policies(tbl,
        CASE WHEN nullable THEN 'tenant_id IS NULL OR ' || visible ELSE visible END,
        visible, visible, visible);

    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, outpost_app', tbl);
    IF NOT is_part THEN
        EXECUTE format('GRANT %s ON %s TO outpost_app', privileges, tbl);
    END IF;
    FOR seq IN
        SELECT d.objid::regclass FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
           AND d.refobjid = tbl AND d.deptype IN ('a', 'i')
    LOOP
        EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM PUBLIC, outpost_app', seq);
        IF NOT is_part AND privileges LIKE '%INSERT%' THEN
            EXECUTE format('GRANT USAGE ON SEQUENCE %s TO outpost_app', seq);
        END IF;
    END LOOP;
END;
$$;

-- The tenant root: a context sees its visible tenants and may update their descriptive columns;
-- creating, deleting, re-parenting, plans, quotas and status belong to provisioning (not outpost_app).
CREATE FUNCTION secure_tenants_table()
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    visible constant text := 'id = ANY ((SELECT public.app_visible_tenant_ids())::uuid[])';
BEGIN
    ALTER TABLE tenants ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY, REPLICA IDENTITY FULL;
    PERFORM apply_tenant_policies('tenants', visible, 'false', visible, 'false');
    REVOKE ALL ON tenants FROM PUBLIC, outpost_app;
    GRANT SELECT ON tenants TO outpost_app;
    GRANT UPDATE (name, industry, settings, metadata, updated_at) ON tenants TO outpost_app;
END;
$$;

-- A table without tenant_id: reference (read-only for outpost_app, synced) or anything else
-- (internal, or not classified: no access for outpost_app, not synced).
CREATE FUNCTION secure_global_table(tbl regclass, access text)
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    seq regclass;
BEGIN
    IF access IN ('append_only', 'read_only') THEN
        RAISE EXCEPTION 'secure_global_table: % has no tenant_id column but table_access_rules calls it %', tbl, access;
    END IF;
    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, outpost_app', tbl);
    FOR seq IN
        SELECT d.objid::regclass FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
           AND d.refobjid = tbl AND d.deptype IN ('a', 'i')
    LOOP
        EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM PUBLIC, outpost_app', seq);
    END LOOP;
    IF access = 'reference' THEN
        EXECUTE format('GRANT SELECT ON %s TO outpost_app', tbl);
        EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', tbl);
    END IF;
END;
$$;

-- Views (the seeds' alias names) run with the caller's rights and policies (security_invoker), and
-- outpost_app gets on a view exactly the privileges it has on the view's single base table.
CREATE FUNCTION secure_views()
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v     regclass;
    bases oid[];
    priv  text;
BEGIN
    FOR v IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind = 'v' ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', v);
        EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, outpost_app', v);
        SELECT array_agg(DISTINCT d.refobjid) INTO bases
          FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
         WHERE r.ev_class = v AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v;
        CONTINUE WHEN coalesce(array_length(bases, 1), 0) <> 1;
        FOREACH priv IN ARRAY ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'] LOOP
            IF has_table_privilege('outpost_app', bases[1], priv) THEN
                EXECUTE format('GRANT %s ON %s TO outpost_app', priv, v);
            END IF;
        END LOOP;
    END LOOP;
END;
$$;

-- EXECUTE on the schema's own functions for outpost_app; none on the administrative ones, which
-- change schema or privileges, and none on trigger functions (they only run as triggers).
CREATE FUNCTION secure_function_privileges()
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    admin constant text[] := ARRAY['apply_tenant_policies', 'secure_tenant_table', 'secure_tenants_table',
        'secure_global_table', 'secure_views', 'secure_function_privileges', 'refresh_sync_publication',
        'secure_all_tenant_tables', 'ensure_audit_partitions', 'protect_audit_partition', 'prepare_audit_partition',
        'record_audit_checkpoints'];
    fn regprocedure;
    fname text;
    is_trigger boolean;
BEGIN
    FOR fn, fname, is_trigger IN
        SELECT p.oid::regprocedure, p.proname, p.prorettype = 'trigger'::regtype
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND p.prokind = 'f'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                            AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        IF fname = ANY (admin) OR is_trigger THEN
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC, outpost_app', fn);
        ELSE
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO outpost_app', fn);
        END IF;
    END LOOP;
END;
$$;

-- The publication the sync server reads: tenants, every tenant table (partitioned ones through their
-- root) and every reference table; never internal or unclassified tables. Explicit list (FOR ALL
-- TABLES would need a superuser each time and would include schema_migrations).
-- Add-only: the sync server also publishes other tables on demand (the first shape of a table adds
-- it), and a later refresh must not silently stop their changes. Only tables classified `internal`
-- are ever removed.
CREATE FUNCTION refresh_sync_publication()
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    t text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'outpost_sync') THEN
        CREATE PUBLICATION outpost_sync WITH (publish_via_partition_root = true);
    ELSE
        ALTER PUBLICATION outpost_sync SET (publish_via_partition_root = true);
    END IF;
    FOR t IN
        SELECT format('%I.%I', n.nspname, c.relname)
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND c.relpersistence = 'p'
           AND (c.relname = 'tenants'
                OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                            AND NOT a.attisdropped)
                OR EXISTS (SELECT 1 FROM outpost_security.table_access_rules r WHERE r.table_name = c.relname
                            AND r.access = 'reference'))
           AND NOT EXISTS (SELECT 1 FROM pg_publication_tables p
                            WHERE p.pubname = 'outpost_sync' AND p.schemaname = n.nspname AND p.tablename = c.relname)
         ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER PUBLICATION outpost_sync ADD TABLE %s', t);
    END LOOP;
    FOR t IN
        SELECT format('%I.%I', p.schemaname, p.tablename)
          FROM pg_publication_tables p
          JOIN outpost_security.table_access_rules r ON r.table_name = p.tablename AND r.access = 'internal'
         WHERE p.pubname = 'outpost_sync' AND p.schemaname = 'public'
    LOOP
        EXECUTE format('ALTER PUBLICATION outpost_sync DROP TABLE %s', t);
    END LOOP;
END;
$$;

-- Applies everything above to every table, view and function in public; returns the number of
-- tenant tables (those with tenant_id, partitions included) it secured. Idempotent.
CREATE FUNCTION secure_all_tenant_tables()
RETURNS integer
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    tbl      regclass;
    access   text;
    secured  integer := 0;
BEGIN
    FOR tbl IN
        SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
           AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                        AND NOT a.attisdropped)
         ORDER BY c.relname
    LOOP
        PERFORM secure_tenant_table(tbl);
        secured := secured + 1;
    END LOOP;
    PERFORM secure_tenants_table();
    FOR tbl, access IN
        SELECT c.oid, r.access FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN outpost_security.table_access_rules r ON r.table_name = c.relname
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'tenants'
           AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                            AND NOT a.attisdropped)
         ORDER BY c.relname
    LOOP
        PERFORM secure_global_table(tbl, access);
    END LOOP;
    PERFORM secure_views();
    PERFORM secure_function_privileges();
    PERFORM refresh_sync_publication();
    RETURN secured;
END;
$$;

-- Every partition ensure_audit_partitions creates is also secured like every tenant table (RLS, no
-- direct privileges, REPLICA IDENTITY FULL). It needs no publication change: the publication holds the
-- root audit_logs, which covers every partition (publish_via_partition_root).
CREATE OR REPLACE FUNCTION prepare_audit_partition(partition regclass)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM protect_audit_partition(partition);
    PERFORM secure_tenant_table(partition);
END;
$$;

SELECT secure_all_tenant_tables();

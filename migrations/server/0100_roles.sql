-- 0100_roles: the central database's roles (cluster-wide) and their attributes.
-- Central only. See docs/security.md ("Database roles").
--
-- Roles are cluster objects: every database of the cluster (production has one, the tests have many)
-- runs this file, so each role is created only when it is missing, and a role that already exists is
-- only ever moved towards the safe attributes below (never given LOGIN, never loses a LOGIN or a
-- password an operator gave it). Attributes are altered only when they differ, because two databases
-- migrating at once would otherwise update the same pg_authid row concurrently and one would fail.
--
--   outpost_app          NOLOGIN, no BYPASSRLS, owns nothing. All request-scoped work: the sync
--                        server runs `SET LOCAL ROLE outpost_app` plus the tenant settings inside each
--                        transaction (its login role is made a member of outpost_app by deployment).
--   outpost_replication  NOLOGIN, REPLICATION: reads the WAL of publication outpost_sync. Role
--                        attributes are not inherited and a walsender checks the login role itself, so
--                        deployment gives this role LOGIN and a credential (migrations hold no secrets).
--   outpost_definer      NOLOGIN, BYPASSRLS: owns the few SECURITY DEFINER functions (the visible-tenant
--                        set, the audit chain trigger) with column-level grants on exactly what they
--                        read and write, so a definer function never runs as a superuser.
--
-- Creating REPLICATION and BYPASSRLS roles needs a superuser on PostgreSQL 15, and so does applying
-- the server migrations: this file says so up front instead of failing halfway.

DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'the server migrations must be applied by a superuser (current user: %)', current_user
            USING HINT = 'PostgreSQL 15 needs a superuser to create REPLICATION and BYPASSRLS roles';
    END IF;
END;
$$;

-- Creates a NOLOGIN role unless it exists. A concurrent migration of another database may create it
-- between the check and the CREATE: that is the same outcome.
CREATE FUNCTION pg_temp.ensure_role(role_name text, attributes text, description text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN %s', role_name, attributes);
            EXECUTE format('COMMENT ON ROLE %I IS %L', role_name, description);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END;
$$;

SELECT pg_temp.ensure_role('outpost_app',
    'NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT',
    'Outpost request-scoped work: subject to row-level security, owns nothing (see docs/security.md).');
SELECT pg_temp.ensure_role('outpost_replication',
    'NOSUPERUSER NOCREATEDB NOCREATEROLE REPLICATION NOBYPASSRLS',
    'Outpost sync server logical replication (publication outpost_sync; see docs/security.md).');
SELECT pg_temp.ensure_role('outpost_definer',
    'NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS NOINHERIT',
    'Owner of Outpost''s SECURITY DEFINER functions; narrow column grants only (see docs/security.md).');

-- Existing roles: move them to the safe attributes where they differ.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'outpost_app'
               AND (rolsuper OR rolbypassrls OR rolreplication OR rolcreaterole OR rolcreatedb)) THEN
        ALTER ROLE outpost_app NOSUPERUSER NOBYPASSRLS NOREPLICATION NOCREATEROLE NOCREATEDB;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'outpost_replication'
               AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb OR NOT rolreplication)) THEN
        ALTER ROLE outpost_replication NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB REPLICATION;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'outpost_definer'
               AND (rolsuper OR rolcanlogin OR rolreplication OR rolcreaterole OR rolcreatedb OR NOT rolbypassrls)) THEN
        ALTER ROLE outpost_definer NOSUPERUSER NOLOGIN NOREPLICATION NOCREATEROLE NOCREATEDB BYPASSRLS;
    END IF;
END;
$$;

DROP FUNCTION pg_temp.ensure_role(text, text, text);

-- Schema access (per database). Nobody but the migrating owner creates objects in public (PG15's
-- default, stated here so an older cluster or a changed default cannot widen it).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO outpost_app, outpost_replication, outpost_definer;

-- 0304_approval_jobs: central security for 0303's tables, and the one cross-tenant read the expiry
-- job needs. Central only. Serves issue 15 (expiry and escalation on the server).
--
-- * approval_policies and approval_decisions are tenant tables: forced row-level security, the four
--   policies, outpost_app privileges and publication, like every other (secure_all_tenant_tables).
-- * outpost_jobs.approvals_past_expiry(limit): the pending or escalated approvals whose expires_at has
--   passed, oldest first, with the tenant whose context may act on each: the approval's own tenant, or
--   its holding for a subsidiary (so the escalation chain can name the holding's approvers). It returns
--   ids only; the job then locks and changes each approval in a transaction as outpost_app with that
--   tenant set, under row-level security like any request (sync-server/approvals/expiry-sweep.ts).
--   SECURITY DEFINER, owned by outpost_definer with column grants on exactly what it reads, in its own
--   central schema so the local schema's `public` stays identical. EXECUTE: outpost_app only.

SELECT secure_all_tenant_tables();

CREATE SCHEMA outpost_jobs;
REVOKE ALL ON SCHEMA outpost_jobs FROM PUBLIC;
GRANT USAGE ON SCHEMA outpost_jobs TO outpost_app, outpost_definer;
COMMENT ON SCHEMA outpost_jobs IS
    'Central-only functions of the server''s jobs (docs/architecture.md, "The job runner").';

CREATE FUNCTION outpost_jobs.approvals_past_expiry(p_limit integer)
RETURNS TABLE (approval_id uuid, tenant_id uuid, context_tenant_id uuid)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT a.id, a.tenant_id,
           CASE WHEN t.tenant_type = 'subsidiary' AND t.parent_tenant_id IS NOT NULL
                THEN t.parent_tenant_id ELSE a.tenant_id END
      FROM approvals a
      JOIN tenants t ON t.id = a.tenant_id
     WHERE a.status IN ('pending', 'escalated') AND a.expires_at <= now()
     ORDER BY a.expires_at, a.id
     LIMIT greatest(p_limit, 0)
$$;
ALTER FUNCTION outpost_jobs.approvals_past_expiry(integer) OWNER TO outpost_definer;
GRANT SELECT (id, tenant_id, status, expires_at) ON approvals TO outpost_definer;
REVOKE ALL ON FUNCTION outpost_jobs.approvals_past_expiry(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outpost_jobs.approvals_past_expiry(integer) TO outpost_app;

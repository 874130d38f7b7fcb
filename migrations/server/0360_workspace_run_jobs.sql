-- 0360_workspace_run_jobs: the one cross-tenant read the workspace run job needs. Central only.
-- Serves issue 16 (runs of record on the server).
--
-- * outpost_jobs.queued_workspace_runs(limit): the queued runs, oldest first, with their tenant. It
--   returns ids only; the runner then claims each run (a conditional UPDATE queued -> running) and
--   writes its result and artifacts in transactions as outpost_app with that tenant set, under
--   row-level security like any request (sync-server/workspaces/run-worker.ts). SECURITY DEFINER,
--   owned by outpost_definer with column grants on exactly what it reads, in 0304's outpost_jobs
--   schema. EXECUTE: outpost_app only.

CREATE FUNCTION outpost_jobs.queued_workspace_runs(p_limit integer)
RETURNS TABLE (run_id uuid, tenant_id uuid)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT r.id, r.tenant_id
      FROM workspace_runs r
     WHERE r.status = 'queued'
     ORDER BY r.created_at, r.id
     LIMIT greatest(p_limit, 0)
$$;
ALTER FUNCTION outpost_jobs.queued_workspace_runs(integer) OWNER TO outpost_definer;
GRANT SELECT (id, tenant_id, status, created_at) ON workspace_runs TO outpost_definer;
REVOKE ALL ON FUNCTION outpost_jobs.queued_workspace_runs(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outpost_jobs.queued_workspace_runs(integer) TO outpost_app;

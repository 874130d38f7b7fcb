-- 0008_jobs_workflows: background jobs, their schedules and evidence, and declarative workflows.
-- Serves: 000 jobs, schedules, evidence_packs; 001 workflows (Workflow), workflow_steps (WorkflowStep),
--         workflow_runs (WorkflowRun).
--
-- evidence_packs are immutable audit evidence: deleting a job that has evidence is refused (NO ACTION).
-- 001 keeps a workflow's steps as a JSON array (workflows.steps) and also names a WorkflowStep entity:
-- workflow_steps is the normalised form; the JSON stays as the declarative definition the seed describes.
-- Status values written "etc." in 001 (QUEUED / RUNNING / FAILED etc.) are completed in README.

CREATE TABLE jobs (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    job_type        varchar(100) NOT NULL,
    status          varchar(50) NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    correlation_id  varchar(255),
    connection_id   uuid,
    parameters      jsonb,
    result_summary  jsonb,
    error_message   text,
    celery_task_id  varchar(255),
    started_at      timestamptz,
    completed_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id)
        ON DELETE SET NULL (connection_id) DEFERRABLE
);
CREATE INDEX idx_jobs_tenant_status ON jobs (tenant_id, status);
CREATE INDEX idx_jobs_tenant_created ON jobs (tenant_id, created_at DESC);
CREATE INDEX idx_jobs_connection ON jobs (connection_id);
CREATE INDEX idx_jobs_correlation ON jobs (correlation_id);

CREATE TABLE schedules (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    connection_id    uuid NOT NULL,
    job_type         varchar(100) NOT NULL,
    cron_expression  varchar(100) NOT NULL,
    timezone         text NOT NULL DEFAULT 'UTC',
    parameters       jsonb,
    is_active        boolean NOT NULL DEFAULT true,
    last_run_at      timestamptz,
    next_run_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_schedules_tenant ON schedules (tenant_id);
CREATE INDEX idx_schedules_connection ON schedules (connection_id);
CREATE INDEX idx_schedules_next_run ON schedules (next_run_at) WHERE is_active;

CREATE TABLE evidence_packs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    job_id        uuid NOT NULL,
    pack_type     varchar(20) NOT NULL DEFAULT 'csv' CHECK (pack_type IN ('csv', 'attachment')),
    file_name     text NOT NULL,
    storage_uri   text,
    content_type  varchar(255),
    size_bytes    bigint,
    sha256        text,
    row_count     integer,
    metadata      jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (job_id, tenant_id) REFERENCES jobs (id, tenant_id) ON DELETE NO ACTION DEFERRABLE
);
CREATE INDEX idx_evidence_packs_tenant ON evidence_packs (tenant_id);
CREATE INDEX idx_evidence_packs_job ON evidence_packs (job_id);

CREATE TABLE workflows (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name        text NOT NULL,
    steps       jsonb NOT NULL DEFAULT '[]',
    status      varchar(20) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_workflows_tenant_status ON workflows (tenant_id, status);

CREATE TABLE workflow_steps (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    workflow_id    uuid NOT NULL,
    position       integer NOT NULL,
    name           text NOT NULL,
    executor       varchar(20) NOT NULL CHECK (executor IN ('python_worker', 'api_call')),
    input_schema   jsonb,
    output_schema  jsonb,
    config         jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workflow_id, position),
    FOREIGN KEY (workflow_id, tenant_id) REFERENCES workflows (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_workflow_steps_tenant ON workflow_steps (tenant_id);

CREATE TABLE workflow_runs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    workflow_id  uuid NOT NULL,
    status       varchar(20) NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    output       jsonb,
    error        jsonb,
    started_at   timestamptz,
    finished_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (workflow_id, tenant_id) REFERENCES workflows (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_workflow_runs_tenant_status ON workflow_runs (tenant_id, status);
CREATE INDEX idx_workflow_runs_workflow ON workflow_runs (workflow_id, created_at DESC);

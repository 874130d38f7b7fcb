-- 0011_workspaces: the SuiteScript/SDF workspace IDE: files, changesets with their patches, runs, artifacts.
-- Serves: 000 workspaces, workspace_files, workspace_changesets, workspace_patches, workspace_runs,
--         workspace_artifacts.
--
-- Ownership chain (all tenant-pinned with composite FKs, CASCADE):
--   workspaces -> workspace_files
--              -> workspace_changesets -> workspace_patches
--              -> workspace_runs       -> workspace_artifacts
-- The changeset lifecycle draft -> pending_review -> approved -> applied is only a CHECK here; transition
-- rules are business-rule triggers of a later migration. Artifacts are immutable (no updated_at).

CREATE TABLE workspaces (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name         varchar(255) NOT NULL,
    description  text,
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_workspaces_tenant ON workspaces (tenant_id);

CREATE TABLE workspace_files (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    workspace_id      uuid NOT NULL,
    path              text NOT NULL,
    content           text,
    netsuite_file_id  varchar(100),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, path),
    UNIQUE (id, tenant_id),
    FOREIGN KEY (workspace_id, tenant_id) REFERENCES workspaces (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_workspace_files_tenant ON workspace_files (tenant_id);

CREATE TABLE workspace_changesets (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    workspace_id  uuid NOT NULL,
    title         text NOT NULL,
    description   text,
    status        varchar(20) NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'pending_review', 'approved', 'applied')),
    proposed_by   uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    reviewed_by   uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    reviewed_at   timestamptz,
    applied_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    FOREIGN KEY (workspace_id, tenant_id) REFERENCES workspaces (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_workspace_changesets_tenant_status ON workspace_changesets (tenant_id, status);
CREATE INDEX idx_workspace_changesets_workspace ON workspace_changesets (workspace_id);

CREATE TABLE workspace_patches (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    changeset_id  uuid NOT NULL,
    file_id       uuid,
    file_path     text NOT NULL,
    operation     varchar(10) NOT NULL DEFAULT 'modify' CHECK (operation IN ('create', 'modify', 'delete')),
    unified_diff  text,
    new_content   text,
    position      integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (changeset_id, tenant_id) REFERENCES workspace_changesets (id, tenant_id)
        ON DELETE CASCADE DEFERRABLE,
    FOREIGN KEY (file_id, tenant_id) REFERENCES workspace_files (id, tenant_id)
        ON DELETE SET NULL (file_id) DEFERRABLE
);
CREATE INDEX idx_workspace_patches_tenant ON workspace_patches (tenant_id);
CREATE INDEX idx_workspace_patches_changeset ON workspace_patches (changeset_id, position);
CREATE INDEX idx_workspace_patches_file ON workspace_patches (file_id);

CREATE TABLE workspace_runs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    workspace_id  uuid NOT NULL,
    changeset_id  uuid,
    run_type      varchar(30) NOT NULL CHECK (run_type IN ('sdf_validate', 'jest_test', 'suiteql_assertion')),
    status        varchar(20) NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'running', 'passed', 'failed', 'error', 'cancelled')),
    summary       jsonb,
    started_by    uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    started_at    timestamptz,
    finished_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    FOREIGN KEY (workspace_id, tenant_id) REFERENCES workspaces (id, tenant_id) ON DELETE CASCADE DEFERRABLE,
    FOREIGN KEY (changeset_id, tenant_id) REFERENCES workspace_changesets (id, tenant_id)
        ON DELETE SET NULL (changeset_id) DEFERRABLE
);
CREATE INDEX idx_workspace_runs_tenant_status ON workspace_runs (tenant_id, status);
CREATE INDEX idx_workspace_runs_workspace ON workspace_runs (workspace_id, created_at DESC);
CREATE INDEX idx_workspace_runs_changeset ON workspace_runs (changeset_id);

CREATE TABLE workspace_artifacts (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    run_id         uuid NOT NULL,
    artifact_type  varchar(20) NOT NULL CHECK (artifact_type IN ('stdout', 'stderr', 'report')),
    content        text,
    content_type   varchar(100),
    size_bytes     bigint,
    sha256         text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (run_id, tenant_id) REFERENCES workspace_runs (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_workspace_artifacts_tenant ON workspace_artifacts (tenant_id);
CREATE INDEX idx_workspace_artifacts_run ON workspace_artifacts (run_id);

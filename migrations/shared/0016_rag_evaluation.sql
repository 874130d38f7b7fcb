-- 0016_rag_evaluation: RAG quality evaluation (RAGAS) and corrective RAG (CRAG) traces.
-- Serves: 002 rag_evaluation_runs, rag_evaluations, rag_test_sets, rag_quality_thresholds,
--         crag_evaluations, query_refinements, reasoning_steps, crag_responses, crag_metrics.
--
-- Child rows (evaluations of a run; refinements, reasoning steps and responses of a CRAG evaluation) carry
-- their own tenant_id, pinned to the parent's with a composite FK (CASCADE).

CREATE TABLE rag_test_sets (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name         varchar(255) NOT NULL,
    description  text,
    test_cases   jsonb NOT NULL DEFAULT '[]',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_rag_test_sets_tenant ON rag_test_sets (tenant_id);

CREATE TABLE rag_evaluation_runs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name          varchar(255) NOT NULL,
    status        varchar(20) NOT NULL DEFAULT 'pending',
    metrics       jsonb,        -- faithfulness, relevancy, precision, recall
    started_at    timestamptz,
    completed_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_rag_evaluation_runs_tenant_status ON rag_evaluation_runs (tenant_id, status);

CREATE TABLE rag_evaluations (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    run_id        uuid NOT NULL,
    query         text NOT NULL,
    contexts      jsonb,
    answer        text,
    scores        jsonb,
    ground_truth  text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (run_id, tenant_id) REFERENCES rag_evaluation_runs (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_rag_evaluations_tenant ON rag_evaluations (tenant_id);
CREATE INDEX idx_rag_evaluations_run ON rag_evaluations (run_id);

CREATE TABLE rag_quality_thresholds (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    metric      varchar(50) NOT NULL,
    threshold   numeric(5,4) NOT NULL,
    action      varchar(50) NOT NULL,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, metric)
);

CREATE TABLE crag_evaluations (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    query             text NOT NULL,
    confidence        numeric(5,4),
    needs_refinement  boolean NOT NULL DEFAULT false,
    reasoning         text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_crag_evaluations_tenant_created ON crag_evaluations (tenant_id, created_at DESC);

CREATE TABLE query_refinements (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    evaluation_id   uuid NOT NULL,
    original_query  text NOT NULL,
    refined_query   text NOT NULL,
    reasoning       text,
    improvement     numeric(6,4),
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (evaluation_id, tenant_id) REFERENCES crag_evaluations (id, tenant_id)
        ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_query_refinements_tenant ON query_refinements (tenant_id);
CREATE INDEX idx_query_refinements_evaluation ON query_refinements (evaluation_id);

CREATE TABLE reasoning_steps (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    evaluation_id  uuid NOT NULL,
    step_number    integer NOT NULL,
    reasoning      text,
    action         text,
    result         text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (evaluation_id, step_number),
    FOREIGN KEY (evaluation_id, tenant_id) REFERENCES crag_evaluations (id, tenant_id)
        ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_reasoning_steps_tenant ON reasoning_steps (tenant_id);

CREATE TABLE crag_responses (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    evaluation_id  uuid NOT NULL,
    response       text NOT NULL,
    sources        jsonb,
    confidence     numeric(5,4),
    latency_ms     integer,
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (evaluation_id, tenant_id) REFERENCES crag_evaluations (id, tenant_id)
        ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_crag_responses_tenant ON crag_responses (tenant_id);
CREATE INDEX idx_crag_responses_evaluation ON crag_responses (evaluation_id);

CREATE TABLE crag_metrics (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    period           varchar(20) NOT NULL,     -- e.g. '2026-11' or '2026-11-22'
    total_queries    integer NOT NULL DEFAULT 0,
    refinement_rate  numeric(5,4),
    avg_confidence   numeric(5,4),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, period)
);

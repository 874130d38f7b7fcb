-- 0015_engagement: end-user feedback, recurring unresolved problems and human hand-offs.
-- Serves: 002 survey_responses, unresolved_problems, unresolved_problem_users, escalations.
--
-- unresolved_problems are deduplicated semantically (embedding, HNSW cosine; 002 gives no size: 1024 like
-- the other 002 embeddings). unresolved_problem_users is the seed's junction: key (problem_id, end_user_id).
-- Feedback and hand-offs keep their row when the session or end user goes (SET NULL on that column only).

CREATE TABLE survey_responses (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    session_id   uuid,
    end_user_id  uuid,
    rating       integer,
    feedback     text,
    survey_type  varchar(50) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (session_id, tenant_id) REFERENCES chat_sessions (id, tenant_id)
        ON DELETE SET NULL (session_id) DEFERRABLE,
    FOREIGN KEY (end_user_id, tenant_id) REFERENCES end_users (id, tenant_id)
        ON DELETE SET NULL (end_user_id) DEFERRABLE
);
CREATE INDEX idx_survey_responses_tenant_created ON survey_responses (tenant_id, created_at DESC);
CREATE INDEX idx_survey_responses_session ON survey_responses (session_id);
CREATE INDEX idx_survey_responses_end_user ON survey_responses (end_user_id);

CREATE TABLE unresolved_problems (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    description    text NOT NULL,
    embedding      vector(1024),
    cluster_label  text,
    frequency      integer NOT NULL DEFAULT 1,
    status         varchar(20) NOT NULL DEFAULT 'open',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_unresolved_problems_tenant_status ON unresolved_problems (tenant_id, status);
CREATE INDEX idx_unresolved_problems_embedding ON unresolved_problems
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);

CREATE TABLE unresolved_problem_users (
    problem_id   uuid NOT NULL,
    end_user_id  uuid NOT NULL,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    session_id   uuid,
    reported_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (problem_id, end_user_id),
    FOREIGN KEY (problem_id, tenant_id) REFERENCES unresolved_problems (id, tenant_id)
        ON DELETE CASCADE DEFERRABLE,
    FOREIGN KEY (end_user_id, tenant_id) REFERENCES end_users (id, tenant_id)
        ON DELETE CASCADE DEFERRABLE,
    FOREIGN KEY (session_id, tenant_id) REFERENCES chat_sessions (id, tenant_id)
        ON DELETE SET NULL (session_id) DEFERRABLE
);
CREATE INDEX idx_unresolved_problem_users_tenant ON unresolved_problem_users (tenant_id);
CREATE INDEX idx_unresolved_problem_users_end_user ON unresolved_problem_users (end_user_id);
CREATE INDEX idx_unresolved_problem_users_session ON unresolved_problem_users (session_id);

CREATE TABLE escalations (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    session_id   uuid,
    end_user_id  uuid,
    reason       text NOT NULL,
    priority     varchar(20) NOT NULL DEFAULT 'normal',
    status       varchar(20) NOT NULL DEFAULT 'pending',
    assigned_to  uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    resolved_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (session_id, tenant_id) REFERENCES chat_sessions (id, tenant_id)
        ON DELETE SET NULL (session_id) DEFERRABLE,
    FOREIGN KEY (end_user_id, tenant_id) REFERENCES end_users (id, tenant_id)
        ON DELETE SET NULL (end_user_id) DEFERRABLE
);
CREATE INDEX idx_escalations_tenant_status ON escalations (tenant_id, status);
CREATE INDEX idx_escalations_session ON escalations (session_id);
CREATE INDEX idx_escalations_end_user ON escalations (end_user_id);
CREATE INDEX idx_escalations_assigned_to ON escalations (assigned_to);

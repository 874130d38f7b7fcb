-- 0017_quality_assurance: response reviews, QA aggregates and hallucination flags.
-- Serves: 002 qa_reviews, qa_metrics; hallucination_flags (004) + hallucination_detections (002, view).
--
-- hallucination_flags merges 004's flags (on an assistant's work / conversation log) with 002's detections
-- (on a chat message). 004 requires assistant_id; here a row needs an assistant or a message (CHECK), so
-- every 004-shaped row still carries its assistant. Like 004, the flagged subject ids are not FKs: flags are
-- audit records that outlive their subject. 002's `confidence` is confidence_score.
-- 004 declares FKs RESTRICT: NO ACTION DEFERRABLE here (see 0012).

CREATE TABLE qa_reviews (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    message_id   uuid NOT NULL,
    review_type  varchar(50) NOT NULL,
    score        numeric(5,2),
    feedback     text,
    reviewer     uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,   -- NULL for automated reviews
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (message_id, tenant_id) REFERENCES chat_messages (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_qa_reviews_tenant_created ON qa_reviews (tenant_id, created_at DESC);
CREATE INDEX idx_qa_reviews_message ON qa_reviews (message_id);

CREATE TABLE qa_metrics (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    period              varchar(20) NOT NULL,
    total_reviews       integer NOT NULL DEFAULT 0,
    avg_score           numeric(5,2),
    hallucination_rate  numeric(5,4),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, period)
);

CREATE TABLE hallucination_flags (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    assistant_id         uuid,                       -- 004 (NOT NULL there)
    work_item_id         uuid,                       -- 004
    conversation_log_id  uuid,                       -- 004
    message_id           uuid,                       -- 002
    detection_method     text NOT NULL,              -- confidence, fact_check, pattern
    confidence_score     numeric(3,2) CHECK (confidence_score BETWEEN 0 AND 1),   -- 002 confidence
    flagged_content      text,
    evidence             jsonb,                      -- 002
    status               text DEFAULT 'pending'
                         CHECK (status IN ('pending', 'reviewed', 'false_positive', 'confirmed')),
    reviewed_by          uuid REFERENCES users (id) ON DELETE NO ACTION DEFERRABLE,
    reviewed_at          timestamptz,
    notes                text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hallucination_flags_has_subject CHECK (assistant_id IS NOT NULL OR message_id IS NOT NULL)
);
CREATE INDEX idx_hallucination_flags_tenant_status ON hallucination_flags (tenant_id, status);
CREATE INDEX idx_hallucination_flags_assistant ON hallucination_flags (assistant_id);
CREATE INDEX idx_hallucination_flags_message ON hallucination_flags (message_id);

-- 002 hallucinationDetections.
CREATE VIEW hallucination_detections AS
    SELECT id, tenant_id, message_id, confidence_score AS confidence, evidence, status, detection_method,
           created_at
    FROM hallucination_flags;

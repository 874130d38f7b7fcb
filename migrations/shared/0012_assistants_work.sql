-- 0012_assistants_work: AI assistants and personas, templates, work items and human approvals.
-- Serves: 004 assistants, assistant_templates, work_items, approvals, approval_delegations,
--         communication_policies; 002 ai_personalities (aiPersonalities).
--
-- 004 declares every FK ON DELETE RESTRICT. Here that is NO ACTION DEFERRABLE: a referenced row still cannot
-- be deleted, but the check runs at the end of the statement, or at commit when the local sync applier
-- defers constraints (it applies one transaction's rows table by table, not in the original order).
-- assistant_templates is global reference data (no tenant_id); is_system marks built-in templates.
-- ai_personalities (002: chat personas used by widgets and sessions) stay separate from assistants (004:
-- agents with a type, risk tier, budget and work queue): merging would force 004's NOT NULL type/slug
-- and its RESTRICT rules onto personas.
-- Work items and approvals are tenant-pinned to their assistant / work item. State machines and the
-- work-item timestamps are triggers of a later migration.

CREATE TABLE ai_personalities (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name             varchar(255) NOT NULL,
    system_prompt    text NOT NULL,
    temperature      numeric(3,2) CHECK (temperature BETWEEN 0 AND 2),
    max_tokens       integer,
    preferred_model  varchar(100),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_ai_personalities_tenant ON ai_personalities (tenant_id);

CREATE TABLE assistant_templates (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text NOT NULL,
    slug           text NOT NULL UNIQUE,
    description    text,
    type           text NOT NULL,
    configuration  jsonb DEFAULT '{}',
    capabilities   text[],
    model_config   jsonb DEFAULT '{}',
    is_system      boolean DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assistants (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    name              text NOT NULL,
    slug              text NOT NULL,
    description       text,
    type              text NOT NULL CHECK (type IN (
                          'executive_cos',
                          'shared_finance', 'shared_hr', 'shared_it', 'shared_legal',
                          'company_operations', 'company_finance', 'company_marketing', 'company_customer',
                          'company_product', 'company_compliance',
                          'custom')),
    status            text NOT NULL DEFAULT 'inactive'
                      CHECK (status IN ('active', 'inactive', 'suspended', 'error')),
    configuration     jsonb DEFAULT '{}',
    capabilities      text[],
    model_config      jsonb DEFAULT '{"provider": "openai", "model": "gpt-4"}',
    risk_tier         integer DEFAULT 2 CHECK (risk_tier BETWEEN 0 AND 5),
    max_cost_per_day  numeric(10,4) DEFAULT 10.00,
    version           integer DEFAULT 1,
    created_by        uuid REFERENCES users (id) ON DELETE NO ACTION DEFERRABLE,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, slug),            -- also serves 004's idx_assistants_tenant
    UNIQUE (id, tenant_id)
);

CREATE TABLE work_items (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    assistant_id    uuid NOT NULL,
    title           text NOT NULL,
    description     text,
    status          text NOT NULL DEFAULT 'backlog' CHECK (status IN (
                        'backlog', 'in_progress', 'awaiting_approval', 'completed', 'failed', 'cancelled')),
    priority        integer DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),   -- 1 = highest
    risk_level      integer CHECK (risk_level BETWEEN 0 AND 5),
    estimated_cost  numeric(10,4),
    actual_cost     numeric(10,4),
    context         jsonb DEFAULT '{}',
    result          jsonb,
    started_at      timestamptz,
    completed_at    timestamptz,
    due_at          timestamptz,
    created_by      uuid REFERENCES users (id) ON DELETE NO ACTION DEFERRABLE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    FOREIGN KEY (assistant_id, tenant_id) REFERENCES assistants (id, tenant_id) ON DELETE NO ACTION DEFERRABLE
);
CREATE INDEX idx_work_items_tenant ON work_items (tenant_id);
CREATE INDEX idx_work_items_status ON work_items (status);
CREATE INDEX idx_work_items_assistant ON work_items (assistant_id);

CREATE TABLE approvals (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    work_item_id      uuid NOT NULL,
    title             text NOT NULL,
    description       text,
    risk_level        integer NOT NULL CHECK (risk_level BETWEEN 0 AND 5),
    status            text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'approved', 'rejected', 'escalated', 'expired')),
    requested_by      uuid NOT NULL REFERENCES users (id) ON DELETE NO ACTION DEFERRABLE,
    approver_ids      uuid[],
    approved_by       uuid REFERENCES users (id) ON DELETE NO ACTION DEFERRABLE,
    approved_at       timestamptz,
    rejected_reason   text,
    expires_at        timestamptz NOT NULL,
    escalation_count  integer DEFAULT 0,
    context           jsonb DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (work_item_id, tenant_id) REFERENCES work_items (id, tenant_id) ON DELETE NO ACTION DEFERRABLE
);
CREATE INDEX idx_approvals_tenant_status ON approvals (tenant_id, status);
CREATE INDEX idx_approvals_status ON approvals (status);
CREATE INDEX idx_approvals_requested_by ON approvals (requested_by);
CREATE INDEX idx_approvals_expires ON approvals (expires_at);
CREATE INDEX idx_approvals_work_item ON approvals (work_item_id);

CREATE TABLE approval_delegations (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    delegator_id  uuid NOT NULL REFERENCES users (id) ON DELETE NO ACTION DEFERRABLE,
    delegate_id   uuid NOT NULL REFERENCES users (id) ON DELETE NO ACTION DEFERRABLE,
    risk_levels   integer[],
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    reason        text,
    is_active     boolean DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT valid_delegation CHECK (delegator_id <> delegate_id),
    CONSTRAINT approval_delegations_period CHECK (ends_at > starts_at)
);
CREATE INDEX idx_approval_delegations_tenant ON approval_delegations (tenant_id);
CREATE INDEX idx_approval_delegations_delegate ON approval_delegations (delegate_id);

CREATE TABLE communication_policies (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id             uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    name                  text NOT NULL,
    from_assistant_types  text[],
    to_assistant_types    text[],
    allowed_channels      text[],            -- telegram, slack, email, internal
    content_rules         jsonb DEFAULT '{}',
    rate_limit_per_hour   integer DEFAULT 100,
    is_active             boolean DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_communication_policies_tenant ON communication_policies (tenant_id);

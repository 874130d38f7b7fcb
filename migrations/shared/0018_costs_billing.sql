-- 0018_costs_billing: AI cost records, budgets and alerts, provider credit pools, plans and billing.
-- Serves: cost_transactions (004) + cost_events (002 costEvents, view); 002 cost_summaries, budget_alerts;
--         004 provider_credit_pools; 001 plans (Plan), future subscriptions (Subscription), invoices (Invoice).
--
-- cost_transactions merges 004's per-call LLM cost rows with 002's per-event costs (any service: LLM,
-- embedding, reranking, ...). 004 rows have no `service`, and keep 004's NOT NULL assistant_id and model
-- (CHECK cost_transactions_llm_row); 002 rows name their service. Token counts default to 0 for 002 events.
-- 002's costUsd is cost_amount and its `timestamp` is created_at (the cost_events view restores the names).
-- 004 FKs are NO ACTION DEFERRABLE (RESTRICT semantics, see 0012).
-- plans is global reference data (no tenant_id). tenants.plan stays a code ('trial', 'pro') rather than an
-- FK, so tenants never depend on plan rows being present; plans.code carries the same codes.

CREATE TABLE cost_transactions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    assistant_id    uuid,                                  -- 004 (NOT NULL for 004 rows, see CHECK)
    work_item_id    uuid,                                  -- 004
    session_id      uuid,                                  -- 002
    service         varchar(50),                           -- 002; NULL = a 004 LLM transaction
    provider        text NOT NULL,
    model           text,                                  -- 004 (NOT NULL for 004 rows, see CHECK)
    input_tokens    integer NOT NULL DEFAULT 0,
    output_tokens   integer NOT NULL DEFAULT 0,
    cost_amount     numeric(10,6) NOT NULL,                -- 002 costUsd
    cache_hit_rate  numeric(5,4),                          -- 002
    reranking_cost  numeric(10,6),                         -- 002
    metadata        jsonb DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),    -- 002 `timestamp`
    CONSTRAINT cost_transactions_llm_row
        CHECK (service IS NOT NULL OR (assistant_id IS NOT NULL AND model IS NOT NULL)),
    FOREIGN KEY (assistant_id, tenant_id) REFERENCES assistants (id, tenant_id) ON DELETE NO ACTION DEFERRABLE,
    FOREIGN KEY (work_item_id, tenant_id) REFERENCES work_items (id, tenant_id) ON DELETE NO ACTION DEFERRABLE,
    FOREIGN KEY (session_id, tenant_id) REFERENCES chat_sessions (id, tenant_id)
        ON DELETE SET NULL (session_id) DEFERRABLE
);
CREATE INDEX idx_cost_transactions_tenant ON cost_transactions (tenant_id, created_at DESC);
CREATE INDEX idx_cost_transactions_assistant ON cost_transactions (assistant_id, created_at DESC);
CREATE INDEX idx_cost_transactions_work_item ON cost_transactions (work_item_id);
CREATE INDEX idx_cost_transactions_session ON cost_transactions (session_id);

-- 002 costEvents.
CREATE VIEW cost_events AS
    SELECT id, tenant_id, session_id, service, provider, cost_amount AS cost_usd, cache_hit_rate,
           reranking_cost, model, input_tokens, output_tokens, metadata, created_at AS "timestamp"
    FROM cost_transactions;

CREATE TABLE cost_summaries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    period_start    timestamptz NOT NULL,
    period_end      timestamptz NOT NULL,
    total_cost_usd  numeric(12,6) NOT NULL DEFAULT 0,
    breakdown       jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, period_start, period_end),
    CONSTRAINT cost_summaries_period CHECK (period_end > period_start)
);

CREATE TABLE budget_alerts (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    threshold      numeric(12,2) NOT NULL,
    current_spend  numeric(12,6),
    period         varchar(20) NOT NULL,
    severity       varchar(20) NOT NULL,
    resolved       boolean NOT NULL DEFAULT false,
    resolved_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_budget_alerts_tenant_resolved ON budget_alerts (tenant_id, resolved);

CREATE TABLE provider_credit_pools (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    provider            text NOT NULL CHECK (provider IN ('openai', 'anthropic', 'openrouter', 'local')),
    monthly_budget      numeric(12,2) NOT NULL,
    current_balance     numeric(12,2) NOT NULL,
    alert_threshold_50  boolean DEFAULT false,
    alert_threshold_75  boolean DEFAULT false,
    alert_threshold_90  boolean DEFAULT false,
    reset_day_of_month  integer DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, provider)
);

CREATE TABLE plans (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code              varchar(50) NOT NULL UNIQUE,     -- matches tenants.plan
    name              text NOT NULL,
    description       text,
    price_amount      numeric(12,2),
    currency          varchar(3) NOT NULL DEFAULT 'USD',
    billing_interval  varchar(10) CHECK (billing_interval IN ('month', 'year')),
    features          jsonb NOT NULL DEFAULT '{}',
    is_active         boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subscriptions (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id               uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    plan_id                 uuid NOT NULL REFERENCES plans (id) ON DELETE NO ACTION DEFERRABLE,
    status                  varchar(20) NOT NULL DEFAULT 'active'
                            CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'expired')),
    current_period_start    timestamptz,
    current_period_end      timestamptz,
    cancel_at               timestamptz,
    canceled_at             timestamptz,
    stripe_subscription_id  text UNIQUE,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_subscriptions_tenant_status ON subscriptions (tenant_id, status);
CREATE INDEX idx_subscriptions_plan ON subscriptions (plan_id);

CREATE TABLE invoices (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    subscription_id    uuid,
    invoice_number     varchar(50),
    status             varchar(20) NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
    currency           varchar(3) NOT NULL DEFAULT 'USD',
    amount_due         numeric(12,2) NOT NULL DEFAULT 0,
    amount_paid        numeric(12,2) NOT NULL DEFAULT 0,
    issued_at          timestamptz,
    due_at             timestamptz,
    paid_at            timestamptz,
    stripe_invoice_id  text UNIQUE,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, invoice_number),
    FOREIGN KEY (subscription_id, tenant_id) REFERENCES subscriptions (id, tenant_id)
        ON DELETE SET NULL (subscription_id) DEFERRABLE
);
CREATE INDEX idx_invoices_subscription ON invoices (subscription_id);
CREATE INDEX idx_invoices_tenant_status ON invoices (tenant_id, status);

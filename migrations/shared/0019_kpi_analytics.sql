-- 0019_kpi_analytics: business-client KPIs and their time series, plus (future) alerts and dashboards.
-- Serves: 003 client_kpis, financials, lead_events, custom_metrics, and 003's future alerts, dashboards.
--
-- 003 declares every FK ON DELETE CASCADE. Its time-series tables derive tenancy through client_kpis;
-- here each carries its own tenant_id, pinned to the client's with a composite FK.
-- 003 ids were cuid strings; here uuids. clientId (the source system's id) stays text.
-- custom_metrics.embedding is vector(1536) (003's OpenAI size) with an HNSW index (003 planned it for v2.0).
-- Partitioning financials by month is 003's "Year 2" plan, not done here.
-- alerts and dashboards are 003 "future" tables; their columns are a minimal reading of the seed.

CREATE TABLE client_kpis (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    client_id    text NOT NULL,
    client_name  text NOT NULL,
    industry     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, client_id),
    UNIQUE (id, tenant_id)
);

CREATE TABLE financials (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    client_kpi_id  uuid NOT NULL,
    record_date    date NOT NULL,
    revenue        numeric(12,2) NOT NULL,
    expenses       numeric(12,2) NOT NULL,
    net_profit     numeric(12,2) NOT NULL,
    cash_flow      numeric(12,2) NOT NULL,
    currency       text NOT NULL DEFAULT 'AUD',
    source_system  text,
    external_id    text,
    metadata       jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (client_kpi_id, record_date, source_system),   -- its index also serves 003's (clientKPIId, recordDate)
    FOREIGN KEY (client_kpi_id, tenant_id) REFERENCES client_kpis (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_financials_tenant ON financials (tenant_id);
CREATE INDEX idx_financials_record_date ON financials (record_date);

CREATE TABLE lead_events (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    client_kpi_id  uuid NOT NULL,
    event_date     timestamptz NOT NULL,
    lead_id        text NOT NULL,
    stage          text NOT NULL,
    value          numeric(12,2),
    status         text NOT NULL,
    source_system  text,
    external_id    text,
    metadata       jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (client_kpi_id, tenant_id) REFERENCES client_kpis (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_lead_events_tenant ON lead_events (tenant_id);
CREATE INDEX idx_lead_events_client_event_date ON lead_events (client_kpi_id, event_date);
CREATE INDEX idx_lead_events_lead ON lead_events (lead_id);
CREATE INDEX idx_lead_events_stage_status ON lead_events (stage, status);

CREATE TABLE custom_metrics (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    client_kpi_id  uuid NOT NULL,
    metric_name    text NOT NULL,
    metric_value   numeric(12,4) NOT NULL,
    unit           text,
    record_date    timestamptz NOT NULL,
    source_system  text,
    metadata       jsonb,
    embedding      vector(1536),
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (client_kpi_id, tenant_id) REFERENCES client_kpis (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_custom_metrics_tenant ON custom_metrics (tenant_id);
CREATE INDEX idx_custom_metrics_client_metric_date ON custom_metrics (client_kpi_id, metric_name, record_date);
CREATE INDEX idx_custom_metrics_embedding ON custom_metrics
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);

-- 003 v1.2 (future): alert configuration and its latest state.
CREATE TABLE alerts (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    client_kpi_id      uuid,
    name               text NOT NULL,
    metric_name        text NOT NULL,
    condition          jsonb NOT NULL DEFAULT '{}',
    threshold          numeric(12,4),
    severity           varchar(20) NOT NULL DEFAULT 'warning' CHECK (severity IN ('info', 'warning', 'critical')),
    status             varchar(20) NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'triggered', 'resolved', 'muted')),
    last_triggered_at  timestamptz,
    resolved_at        timestamptz,
    created_by         uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (client_kpi_id, tenant_id) REFERENCES client_kpis (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_alerts_tenant_status ON alerts (tenant_id, status);
CREATE INDEX idx_alerts_client_kpi ON alerts (client_kpi_id);

-- 003 v1.3 (future): several custom dashboards per tenant.
CREATE TABLE dashboards (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name         text NOT NULL,
    description  text,
    layout       jsonb NOT NULL DEFAULT '{}',
    is_default   boolean NOT NULL DEFAULT false,
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_dashboards_tenant ON dashboards (tenant_id);

-- 0010_netsuite: NetSuite schema discovery, SuiteScript sync tracking and API call logs.
-- Serves: 000 netsuite_metadata, script_sync_states, netsuite_api_logs.
--
-- netsuite_metadata keeps versioned snapshots (one row per discovery run and version).
-- netsuite_api_logs keeps request/response bodies for debugging: the writer must redact credentials
-- (Authorization headers and token-endpoint bodies are never stored), so no column here is server-only.

CREATE TABLE netsuite_metadata (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id                uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    version                  integer NOT NULL,
    transaction_body_fields  jsonb,
    custom_fields            jsonb,
    record_types             jsonb,
    subsidiaries             jsonb,
    departments              jsonb,
    locations                jsonb,
    classifications          jsonb,
    discovered_at            timestamptz NOT NULL DEFAULT now(),
    created_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, version)
);

CREATE TABLE script_sync_states (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL UNIQUE REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    status         varchar(50) NOT NULL DEFAULT 'idle',
    last_sync_at   timestamptz,
    total_files    integer NOT NULL DEFAULT 0,
    synced_files   integer NOT NULL DEFAULT 0,
    failed_files   integer NOT NULL DEFAULT 0,
    error_message  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE netsuite_api_logs (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    connection_id   uuid,
    api             varchar(20) NOT NULL DEFAULT 'rest' CHECK (api IN ('rest', 'mcp')),
    method          varchar(10) NOT NULL,
    url             text NOT NULL,
    status_code     integer,
    duration_ms     integer,
    request_body    text,
    response_body   text,
    error_message   text,
    correlation_id  varchar(255),
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id)
        ON DELETE SET NULL (connection_id) DEFERRABLE
);
CREATE INDEX idx_netsuite_api_logs_tenant_created ON netsuite_api_logs (tenant_id, created_at DESC);
CREATE INDEX idx_netsuite_api_logs_connection ON netsuite_api_logs (connection_id);
CREATE INDEX idx_netsuite_api_logs_correlation ON netsuite_api_logs (correlation_id);

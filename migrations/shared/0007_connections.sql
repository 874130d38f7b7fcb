-- 0007_connections: a tenant's connections to external systems, their sync cursors, CRM mapping/logs/webhooks
-- and MCP connectors.
-- Serves: connections (000) + integrations (003, view) + crm_connections (002 crmConnections, view);
--         cursor_states (000) + crm_sync_state (002 crmSyncState, view);
--         002 crm_field_mappings, crm_sync_logs, crm_webhooks; 000 mcp_connectors.
--
-- One connections table holds every provider credential, so secrets live in one place:
--   000 stores one Fernet blob (encrypted_credentials), 003 stores AES-GCM encrypted OAuth tokens
--   (access_token/refresh_token), 002 stores `credentials` (= encrypted_credentials). A row needs at least one.
-- 000 allows several labelled connections per provider; 003 allowed one integration per provider. Both hold
-- with UNIQUE (tenant_id, provider, label): rows created without a label get 'default', so a second unlabelled
-- connection of the same provider is refused as in 003.
-- Status: union of 000 (active/error/revoked, default active) and 003 (pending/active/error/disabled,
-- default pending: the integrations view carries that default).

CREATE TABLE connections (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id               uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    provider                varchar(50) NOT NULL
                            CHECK (provider IN ('netsuite', 'shopify', 'stripe',                 -- 000
                                                'xero', 'myob', 'hubspot', 'pipedrive', 'asana', -- 003
                                                'salesforce', 'zendesk')),                       -- 002
    label                   varchar(255) NOT NULL DEFAULT 'default',
    status                  varchar(50) NOT NULL DEFAULT 'active'
                            CHECK (status IN ('pending', 'active', 'error', 'revoked', 'disabled')),
    auth_type               varchar(50) DEFAULT 'oauth2' CHECK (auth_type IN ('oauth2', 'tba')),
    encrypted_credentials   text,                 -- 000 (NOT NULL there), 002 credentials
    encryption_key_version  integer DEFAULT 1,
    access_token            text,                 -- 003, encrypted (NOT NULL there)
    refresh_token           text,                 -- 003, encrypted
    expires_at              timestamptz,          -- 003
    metadata_json           jsonb,                -- 000; 003 metadata
    last_sync_at            timestamptz,          -- 003
    created_by              uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT connections_has_credentials
        CHECK (encrypted_credentials IS NOT NULL OR access_token IS NOT NULL),
    UNIQUE (tenant_id, provider, label),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_connections_tenant_status ON connections (tenant_id, status);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('connections', 'encrypted_credentials', 'Fernet-encrypted provider credentials (000; 002 crm credentials)'),
    ('connections', 'access_token', 'encrypted OAuth access token (003 integrations)'),
    ('connections', 'refresh_token', 'encrypted OAuth refresh token (003 integrations)');

-- 003 integrations: every connection, under 003's column names.
CREATE VIEW integrations AS
    SELECT id, tenant_id, provider, status, access_token, refresh_token, expires_at,
           metadata_json AS metadata, last_sync_at, label, created_at, updated_at
    FROM connections;
ALTER VIEW integrations ALTER COLUMN status SET DEFAULT 'pending';

-- 002 crmConnections: the CRM providers' connections.
CREATE VIEW crm_connections AS
    SELECT id, tenant_id, provider, status, encrypted_credentials AS credentials, label,
           metadata_json AS metadata, created_at, updated_at
    FROM connections
    WHERE provider IN ('salesforce', 'hubspot', 'zendesk')
    WITH CHECK OPTION;

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('integrations', 'access_token', 'alias of connections.access_token'),
    ('integrations', 'refresh_token', 'alias of connections.refresh_token'),
    ('crm_connections', 'credentials', 'alias of connections.encrypted_credentials');

-- Incremental sync cursors, one per (connection, object type). 002's CRM sync state is the same thing.
CREATE TABLE cursor_states (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    connection_id  uuid NOT NULL,
    object_type    varchar(100) NOT NULL,   -- 002 entity
    cursor         text,
    last_sync_at   timestamptz,
    status         varchar(50),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, connection_id, object_type),
    FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_cursor_states_connection ON cursor_states (connection_id);

CREATE VIEW crm_sync_state AS
    SELECT id, tenant_id, connection_id, object_type AS entity, last_sync_at, cursor, status,
           created_at, updated_at
    FROM cursor_states;

CREATE TABLE crm_field_mappings (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    connection_id   uuid NOT NULL,
    source_field    text NOT NULL,
    target_field    text NOT NULL,
    transform_rule  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_crm_field_mappings_tenant ON crm_field_mappings (tenant_id);
CREATE INDEX idx_crm_field_mappings_connection ON crm_field_mappings (connection_id);

CREATE TABLE crm_sync_logs (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    connection_id  uuid NOT NULL,
    direction      varchar(20) NOT NULL,
    entity         varchar(100) NOT NULL,
    record_count   integer NOT NULL DEFAULT 0,
    status         varchar(50) NOT NULL,
    errors         jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_crm_sync_logs_tenant_created ON crm_sync_logs (tenant_id, created_at DESC);
CREATE INDEX idx_crm_sync_logs_connection ON crm_sync_logs (connection_id);

CREATE TABLE crm_webhooks (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    connection_id  uuid NOT NULL,
    event_type     varchar(100) NOT NULL,
    url            text NOT NULL,
    secret         text,
    is_active      boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_crm_webhooks_tenant ON crm_webhooks (tenant_id);
CREATE INDEX idx_crm_webhooks_connection ON crm_webhooks (connection_id);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('crm_webhooks', 'secret', 'webhook signing secret');

-- MCP servers (000). 000's diagram lists oauth_* columns; the client secret and an API key (auth_type
-- 'api_key') need their own encrypted columns.
CREATE TABLE mcp_connectors (
    id                             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id                      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name                           varchar(255) NOT NULL,
    server_url                     text NOT NULL,
    auth_type                      varchar(20) NOT NULL DEFAULT 'none'
                                   CHECK (auth_type IN ('oauth2', 'api_key', 'none')),
    oauth_client_id                varchar(255),
    oauth_client_secret_encrypted  text,
    oauth_token_encrypted          text,
    api_key_encrypted              text,
    status                         varchar(20) NOT NULL DEFAULT 'active'
                                   CHECK (status IN ('active', 'error', 'inactive')),
    discovered_tools               jsonb,
    created_by                     uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    created_at                     timestamptz NOT NULL DEFAULT now(),
    updated_at                     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_mcp_connectors_tenant_status ON mcp_connectors (tenant_id, status);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('mcp_connectors', 'oauth_client_secret_encrypted', 'encrypted OAuth client secret'),
    ('mcp_connectors', 'oauth_token_encrypted', 'encrypted OAuth tokens'),
    ('mcp_connectors', 'api_key_encrypted', 'encrypted MCP server API key');

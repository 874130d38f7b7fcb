-- 0004_auth_security: authentication state, API keys, SSO and security records.
-- Serves: 002 accounts, auth_sessions (authSessions), verification_tokens, active_sessions, trusted_devices,
--         sso_configurations, api_keys, security_events, data_requests; 000 chat_api_keys (view).
--
-- These tables hold most of the secrets (see server_only_columns below). auth_sessions, accounts and
-- verification_tokens are Auth.js shapes and are server-only in practice: the sync server has no rule for them.
-- Every row owned by a user is pinned to that user's tenant with a composite FK.
-- verification_tokens is global (no tenant_id): Auth.js keys it by identifier (an email), not by tenant.

-- Auth.js OAuth accounts (002). The seed lists the key columns; the rest are the standard Auth.js columns.
CREATE TABLE accounts (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    user_id              uuid NOT NULL,
    type                 varchar(50) NOT NULL,
    provider             varchar(100) NOT NULL,
    provider_account_id  varchar(255) NOT NULL,
    access_token         text,
    refresh_token        text,
    id_token             text,
    expires_at           integer,          -- Auth.js: seconds since epoch
    token_type           varchar(50),
    scope                text,
    session_state        text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    -- Users exist per tenant, so one OAuth identity can be linked once in each tenant (holding and subsidiary).
    UNIQUE (tenant_id, provider, provider_account_id),
    FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_accounts_user ON accounts (user_id);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('accounts', 'access_token', 'OAuth access token (Auth.js account)'),
    ('accounts', 'refresh_token', 'OAuth refresh token (Auth.js account)'),
    ('accounts', 'id_token', 'OIDC id token (Auth.js account)'),
    ('accounts', 'session_state', 'OIDC session state (Auth.js account)');

-- Auth.js sessions (002 authSessions). The seed keeps the session token as the primary key.
CREATE TABLE auth_sessions (
    session_token  text PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    user_id        uuid NOT NULL,
    expires        timestamptz NOT NULL,
    ip_address     text,
    user_agent     text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_auth_sessions_tenant ON auth_sessions (tenant_id);
CREATE INDEX idx_auth_sessions_user ON auth_sessions (user_id);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('auth_sessions', 'session_token', 'session bearer token (also the primary key: never sync this table)');

-- Auth.js verification tokens (002): composite primary key as in the seed; global.
CREATE TABLE verification_tokens (
    identifier  text NOT NULL,
    token       text NOT NULL,
    expires     timestamptz NOT NULL,
    PRIMARY KEY (identifier, token)
);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('verification_tokens', 'token', 'email verification / magic-link token (also part of the primary key: never sync this table)');

-- Live session tracking (002 activeSessions).
CREATE TABLE active_sessions (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    user_id           uuid NOT NULL,
    token             text NOT NULL,
    device_info       jsonb,
    ip_address        text,
    last_activity_at  timestamptz NOT NULL DEFAULT now(),
    created_at        timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_active_sessions_tenant ON active_sessions (tenant_id);
CREATE INDEX idx_active_sessions_user ON active_sessions (user_id);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('active_sessions', 'token', 'session token');

-- Device trust registry (002 trustedDevices).
CREATE TABLE trusted_devices (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    user_id             uuid NOT NULL,
    device_fingerprint  text NOT NULL,
    device_name         text,
    trusted_at          timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, device_fingerprint),
    FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_trusted_devices_tenant ON trusted_devices (tenant_id);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('trusted_devices', 'device_fingerprint', 'device-trust credential: knowing it lets a device skip MFA');

-- SSO/SAML/OIDC configuration (002 ssoConfigurations). metadata is the public IdP metadata; the OIDC
-- client secret gets its own encrypted column so it can be kept server-only.
CREATE TABLE sso_configurations (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id                uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    provider                 varchar(100) NOT NULL,
    protocol                 varchar(20) NOT NULL CHECK (protocol IN ('saml', 'oidc')),
    metadata                 jsonb,
    client_secret_encrypted  text,
    is_active                boolean NOT NULL DEFAULT true,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, provider)
);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('sso_configurations', 'client_secret_encrypted', 'encrypted OIDC client secret');

-- API keys (002 apiKeys) merged with 000 chat_api_keys (hashed keys for /api/v1/integration/chat).
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name          varchar(255) NOT NULL,
    key_type      varchar(50) NOT NULL DEFAULT 'standard',   -- 'chat_integration' = a 000 chat API key
    key_hash      text NOT NULL UNIQUE,
    prefix        varchar(16) NOT NULL,                      -- shown in the UI to recognise a key
    permissions   text[] NOT NULL DEFAULT '{}',
    expires_at    timestamptz,
    last_used_at  timestamptz,
    created_by    uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_api_keys_tenant_type ON api_keys (tenant_id, key_type);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('api_keys', 'key_hash', 'API key hash (002 apiKeys.keyHash)');

CREATE VIEW chat_api_keys AS
    SELECT id, tenant_id, name, key_type, key_hash, prefix, permissions, expires_at, last_used_at,
           created_by, created_at, updated_at
    FROM api_keys
    WHERE key_type = 'chat_integration'
    WITH CHECK OPTION;
ALTER VIEW chat_api_keys ALTER COLUMN key_type SET DEFAULT 'chat_integration';

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('chat_api_keys', 'key_hash', 'alias of api_keys.key_hash (000 chat API key hash)');

-- Security event log (002 securityEvents).
CREATE TABLE security_events (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    event_type  varchar(100) NOT NULL,
    severity    varchar(20) NOT NULL,
    source      varchar(100),
    details     jsonb,
    ip_address  text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_security_events_tenant_created ON security_events (tenant_id, created_at DESC);

-- GDPR data requests (002 dataRequests). The request outlives the user it is about (deletion requests).
CREATE TABLE data_requests (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    user_id       uuid,
    request_type  varchar(20) NOT NULL CHECK (request_type IN ('export', 'deletion')),
    status        varchar(20) NOT NULL DEFAULT 'pending',
    export_url    text,
    completed_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id) ON DELETE SET NULL (user_id) DEFERRABLE
);
CREATE INDEX idx_data_requests_tenant_status ON data_requests (tenant_id, status);
CREATE INDEX idx_data_requests_user ON data_requests (user_id);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('data_requests', 'export_url', 'pre-signed download URL of a personal-data export: a bearer credential');

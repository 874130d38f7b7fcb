-- 0006_tenant_config_onboarding: per-tenant configuration, AI context profiles and the onboarding wizard.
-- Serves: 000 tenant_configs, tenant_profiles, policy_profiles, system_prompt_templates,
--         onboarding_checklist_items.
--
-- 000 describes most of these tables in prose only; their columns follow that prose (noted in README).
-- system_prompt_templates.tenant_id is nullable: NULL = the global base template; a tenant row is the
-- prompt generated from that tenant's profiles (a global row cannot point at tenant profiles: CHECK).

CREATE TABLE tenant_configs (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id                uuid NOT NULL UNIQUE REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    subsidiaries             jsonb,
    account_mappings         jsonb,
    posting_mode             varchar(50) DEFAULT 'lumpsum' CHECK (posting_mode IN ('lumpsum', 'detail')),
    posting_batch_size       integer DEFAULT 100,
    posting_attach_evidence  boolean DEFAULT false,
    netsuite_account_id      varchar(255),
    ai_provider              varchar(50) CHECK (ai_provider IN ('openai', 'anthropic', 'gemini')),
    ai_model                 varchar(100),
    ai_api_key_encrypted     text,
    ai_key_version           integer,
    multi_agent_enabled      boolean,
    onboarding_completed_at  timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('tenant_configs', 'ai_api_key_encrypted', 'Fernet-encrypted BYOK AI provider API key');

CREATE TABLE tenant_profiles (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    industry           text,
    description        text,
    subsidiaries       jsonb,
    chart_of_accounts  jsonb,
    item_types         jsonb,
    custom_segments    jsonb,
    fiscal_calendar    jsonb,
    version            integer NOT NULL DEFAULT 1,
    is_active          boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, version),
    UNIQUE (id, tenant_id)
);

CREATE TABLE policy_profiles (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id             uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name                  text NOT NULL DEFAULT 'default',
    read_only_mode        boolean NOT NULL DEFAULT true,
    allowed_record_types  text[],
    blocked_fields        jsonb,
    tool_allowlist        text[],
    max_rows_per_query    integer,
    custom_rules          jsonb,
    version               integer NOT NULL DEFAULT 1,
    is_active             boolean NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name, version),
    UNIQUE (id, tenant_id)
);

CREATE TABLE system_prompt_templates (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,  -- NULL = global base template
    tenant_profile_id  uuid,
    policy_profile_id  uuid,
    name               text NOT NULL DEFAULT 'default',
    version            integer NOT NULL DEFAULT 1,
    content            text NOT NULL,
    is_active          boolean NOT NULL DEFAULT true,
    generated_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (tenant_id, name, version),
    CONSTRAINT system_prompt_templates_global_has_no_profiles
        CHECK (tenant_id IS NOT NULL OR (tenant_profile_id IS NULL AND policy_profile_id IS NULL)),
    FOREIGN KEY (tenant_profile_id, tenant_id) REFERENCES tenant_profiles (id, tenant_id)
        ON DELETE SET NULL (tenant_profile_id) DEFERRABLE,
    FOREIGN KEY (policy_profile_id, tenant_id) REFERENCES policy_profiles (id, tenant_id)
        ON DELETE SET NULL (policy_profile_id) DEFERRABLE
);
CREATE INDEX idx_system_prompt_templates_tenant_profile ON system_prompt_templates (tenant_profile_id);
CREATE INDEX idx_system_prompt_templates_policy_profile ON system_prompt_templates (policy_profile_id);

CREATE TABLE onboarding_checklist_items (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    step          varchar(50) NOT NULL
                  CHECK (step IN ('connection', 'profile', 'policy', 'discovery', 'finalize')),
    status        varchar(20) NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'in_progress', 'completed', 'skipped')),
    data          jsonb,
    completed_by  uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    completed_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, step)
);

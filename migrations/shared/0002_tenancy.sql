-- 0002_tenancy: the tenant root table (one merged table for all five seeds).
-- Serves: 000 tenants, 001 Tenant (tenants), 002 tenants, 003 tenants, 004 tenants.
--
-- Tenancy model: tenant_type is 'holding', 'subsidiary' or 'standalone' (004's `type`, plus 'standalone'
-- for tenants outside a group). A subsidiary has exactly one parent, the others have none (CHECK).
-- "The parent is a holding" is not declarative here; it is left to the business-rule triggers.
-- status (001) and is_active (000/004) describe the same state: is_active = (status = 'active') (CHECK).
-- 003 used cuid text ids; every id here is a uuid.

CREATE TABLE tenants (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                      text NOT NULL,                                     -- 000 varchar(255), 004 text
    slug                      text NOT NULL UNIQUE,                              -- 000, 004 (001: optional)
    tenant_type               text NOT NULL DEFAULT 'standalone'
                              CHECK (tenant_type IN ('holding', 'subsidiary', 'standalone')),  -- 004 `type`
    parent_tenant_id          uuid REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,     -- 004 (RESTRICT)
    status                    text NOT NULL DEFAULT 'active'
                              CHECK (status IN ('active', 'suspended', 'archived')),           -- 001
    is_active                 boolean NOT NULL DEFAULT true,                     -- 000, 004
    plan                      varchar(50) NOT NULL DEFAULT 'trial' CHECK (plan IN ('trial', 'pro')),  -- 000, 002
    plan_expires_at           timestamptz,                                       -- 000
    industry                  text,                                              -- 003
    settings                  jsonb DEFAULT '{}',                                -- 001, 002, 004
    metadata                  jsonb,                                             -- 002
    api_key                   text,                                              -- 002 (secret)
    stripe_customer_id        text,                                              -- 002
    quota_max_assistants      integer DEFAULT 10,                                -- 004
    quota_max_users           integer DEFAULT 50,                                -- 004
    quota_monthly_cost_limit  numeric(12,2) DEFAULT 1000.00,                     -- 004
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenants_parent_matches_type
        CHECK ((tenant_type = 'subsidiary') = (parent_tenant_id IS NOT NULL)),
    CONSTRAINT tenants_not_own_parent CHECK (parent_tenant_id <> id),
    CONSTRAINT tenants_is_active_matches_status CHECK (is_active = (status = 'active'))
);
CREATE INDEX idx_tenants_parent ON tenants (parent_tenant_id);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('tenants', 'api_key', 'tenant API key (002 tenants.apiKey): a bearer credential');

-- 0003_identity_access: users and role-based access control.
-- Serves: users (000, 001 User, 002, 003, 004), roles (000, 001 Role) + custom_roles (002, view),
--         permissions (000), role_permissions (000), user_roles (000) + user_role_assignments (002, view),
--         policies (001 Policy).
--
-- Global vs tenant rows:
--   permissions          global catalogue, no tenant_id.
--   roles                tenant_id NULL = system role (000: admin, finance, ops, readonly);
--                        tenant_id set  = a tenant's custom role (002 customRoles).
--   role_permissions     tenant_id NULL for a system role's grants, else the custom role's tenant.
--   policies             tenant_id NULL = built-in policy, else a tenant's policy.
-- Role tenancy is declarative: roles.scope_id is COALESCE(tenant_id, nil uuid) (a stored generated
-- column); user_roles and role_permissions reference (role_id, scope) so a user can hold a system role
-- or a custom role of their own tenant, never another tenant's role.
-- users.role (003/004 single access level) and user_roles (000/002 RBAC assignments) coexist.
-- Actor columns (assigned_by, created_by, ...) reference users(id) without a tenant pin: holding-company
-- users act on subsidiary rows (004).

CREATE TABLE users (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,  -- 004 RESTRICT wins over 003 CASCADE
    email               text NOT NULL,                        -- 000 varchar(255), 004 text
    hashed_password     varchar(255),                         -- 000 (NOT NULL there), 002 passwordHash; NULL for SSO/Keycloak users
    password_algorithm  varchar(50),                          -- 002
    full_name           varchar(255),                         -- 000 (NOT NULL there), 001 displayName
    first_name          text,                                 -- 004
    last_name           text,                                 -- 004
    picture_url         text,                                 -- 001
    actor_type          varchar(50) NOT NULL DEFAULT 'user'
                        CHECK (actor_type IN ('user', 'service_account')),  -- 000
    role                text NOT NULL DEFAULT 'viewer'
                        CHECK (role IN ('super_admin', 'admin', 'manager', 'operator', 'editor', 'viewer')),  -- 002, 003, 004
    keycloak_id         text UNIQUE,                          -- 004
    mfa_enabled         boolean NOT NULL DEFAULT false,       -- 002
    mfa_secret          text,                                 -- 002 (secret)
    is_active           boolean NOT NULL DEFAULT true,        -- 000, 004
    last_login_at       timestamptz,                          -- 004
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, email),                                -- 000, 004 (also the tenant_id index)
    UNIQUE (id, tenant_id)                                    -- target of tenant-pinned FKs
);
CREATE INDEX idx_users_email ON users (email);

INSERT INTO server_only_columns (table_name, column_name, reason) VALUES
    ('users', 'hashed_password', 'password hash (000 hashed_password, 002 passwordHash)'),
    ('users', 'mfa_secret', 'TOTP/MFA shared secret (002)');

CREATE TABLE permissions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code         varchar(100) NOT NULL UNIQUE,   -- e.g. 'connections:read', 'mcp_tools:invoke' (000)
    description  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE roles (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,   -- NULL = system role
    scope_id     uuid NOT NULL GENERATED ALWAYS AS
                 (COALESCE(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)) STORED,
    name         varchar(100) NOT NULL,
    description  text,
    permissions  text[] NOT NULL DEFAULT '{}',   -- 002 customRoles.permissions (inline permission codes)
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (tenant_id, name),  -- one system role per name, one custom role per tenant and name
    UNIQUE (id, scope_id)
);

-- 002 customRoles: the tenant-owned roles.
CREATE VIEW custom_roles AS
    SELECT id, tenant_id, name, permissions, description, created_at, updated_at
    FROM roles
    WHERE tenant_id IS NOT NULL
    WITH CHECK OPTION;

CREATE TABLE role_permissions (
    role_id        uuid NOT NULL,
    permission_id  uuid NOT NULL REFERENCES permissions (id) ON DELETE CASCADE DEFERRABLE,
    tenant_id      uuid REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,  -- NULL for a system role
    role_scope_id  uuid NOT NULL GENERATED ALWAYS AS
                   (COALESCE(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)) STORED,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (role_id, permission_id),
    FOREIGN KEY (role_id, role_scope_id) REFERENCES roles (id, scope_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_role_permissions_tenant ON role_permissions (tenant_id);
CREATE INDEX idx_role_permissions_permission ON role_permissions (permission_id);

CREATE TABLE user_roles (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),   -- 002 userRoleAssignments.id
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    user_id        uuid NOT NULL,
    role_id        uuid NOT NULL,
    -- The role's scope: the nil uuid for a system role (default), tenant_id for a custom role.
    role_scope_id  uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    assigned_by    uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    assigned_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, role_id),
    CONSTRAINT user_roles_role_scope
        CHECK (role_scope_id IN (tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)),
    FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id) ON DELETE CASCADE DEFERRABLE,
    FOREIGN KEY (role_id, role_scope_id) REFERENCES roles (id, scope_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_user_roles_tenant ON user_roles (tenant_id);
CREATE INDEX idx_user_roles_role ON user_roles (role_id);

-- 002 userRoleAssignments.
CREATE VIEW user_role_assignments AS
    SELECT id, user_id, role_id, tenant_id, role_scope_id, assigned_by, assigned_at
    FROM user_roles;

-- 001 Policy: the seed names the entity without fields; a named, versionable policy document.
CREATE TABLE policies (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,   -- NULL = built-in policy
    name         text NOT NULL,
    description  text,
    statements   jsonb NOT NULL DEFAULT '[]',
    is_active    boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (tenant_id, name)
);

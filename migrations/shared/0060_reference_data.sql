-- 0060_reference_data: global reference rows every Outpost database holds, central and local alike.
-- Serves: 000 permissions, roles, role_permissions (the RBAC catalogue); 001 Plan (plans);
--         004 assistant_templates (built-in templates, is_system).
--
-- * Global rows, not demo data: the app's authorisation checks and the sync server's role mapping
--   refer to these codes and fixed ids, so a migration (which both sides apply) inserts them, with
--   fixed UUIDs (v4-shaped) and fixed created_at, and every database has identical rows without
--   syncing them. Demo tenants, users and their user_roles come from `npm run db:seed`.
-- * Permission codes are `resource:action`. Each domain has `:read` and `:write`; actions beyond
--   those are named for what they allow (approvals:decide, changesets:apply, ...). Admin-only powers
--   are `admin:*`. 000's codes are kept where they fit (connections, config, jobs, audit:read,
--   mcp_tools:invoke); 000's tables:read/export is commerce:read/export; 000's users:manage is
--   admin:users. audit has no :write: the audit log is append-only and written by the system.
-- * System roles (tenant_id NULL, so scope_id is the nil uuid): admin (everything), approver (every
--   :read outside admin:*, plus approvals:decide, approvals:delegate, changesets:review), viewer
--   (every :read except audit:read). Their grants are role_permissions rows (tenant_id NULL); the
--   inline roles.permissions array (002 customRoles) stays empty for system roles.
-- * Changing a grant later is a new migration (UPDATE/INSERT by these ids), never an edit here.

INSERT INTO permissions (id, code, description, created_at) VALUES
    ('7e5c0000-0000-4000-8000-000000000001', 'config:read',         'Read tenant configuration, profiles, policies and onboarding', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000002', 'config:write',        'Change tenant configuration, profiles, policies and onboarding', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000003', 'connections:read',    'Read connections, sync cursors, CRM mappings, webhooks and MCP connectors', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000004', 'connections:write',   'Create, re-authorise and revoke connections and MCP connectors', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000005', 'jobs:read',           'Read jobs, schedules and evidence packs', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000006', 'jobs:write',          'Start jobs and change schedules', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000007', 'workflows:read',      'Read workflows, their steps and runs', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000008', 'workflows:write',     'Define, run and archive workflows', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000009', 'commerce:read',       'Read canonical orders, payments, refunds, payouts and disputes', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000000a', 'commerce:write',      'Correct canonical commerce records', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000000b', 'commerce:export',     'Export canonical commerce records (000 tables:export)', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000000c', 'netsuite:read',       'Read NetSuite postings, metadata, script sync state and API logs', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000000d', 'netsuite:write',      'Post to NetSuite and refresh its metadata', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000000e', 'workspaces:read',     'Read workspaces, files, runs and artifacts', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000000f', 'workspaces:write',    'Edit workspace files and start runs', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000010', 'changesets:read',     'Read changesets and their patches', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000011', 'changesets:write',    'Create and edit draft changesets', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000012', 'changesets:submit',   'Submit a draft changeset for review', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000013', 'changesets:review',   'Approve or reject a changeset pending review', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000014', 'changesets:apply',    'Apply an approved changeset to NetSuite', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000015', 'assistants:read',     'Read assistants, personas, templates and communication policies', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000016', 'assistants:write',    'Configure assistants, personas and communication policies', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000017', 'work_items:read',     'Read work items', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000018', 'work_items:write',    'Create, assign and cancel work items', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000019', 'approvals:read',      'Read approval requests and delegations', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000001a', 'approvals:write',     'Request approvals', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000001b', 'approvals:decide',    'Approve or reject an approval request', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000001c', 'approvals:delegate',  'Delegate approval authority for a period', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000001d', 'chat:read',           'Read chat sessions, messages, files, widgets and meetings', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000001e', 'chat:write',          'Chat with assistants; manage widgets and meetings', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000001f', 'knowledge:read',      'Read and search knowledge documents', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000020', 'knowledge:write',     'Upload, re-index and remove knowledge documents', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000021', 'engagement:read',     'Read end users, surveys, unresolved problems and escalations', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000022', 'engagement:write',    'Handle escalations and unresolved problems', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000023', 'evaluations:read',    'Read RAG evaluation runs, test sets and CRAG traces', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000024', 'evaluations:write',   'Run evaluations and change quality thresholds', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000025', 'quality:read',        'Read QA reviews, metrics and hallucination flags', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000026', 'quality:write',       'Review responses and triage hallucination flags', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000027', 'costs:read',          'Read AI costs, summaries, budget alerts and credit pools', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000028', 'costs:write',         'Change budgets and credit pools; resolve budget alerts', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000029', 'billing:read',        'Read the subscription and invoices', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000002a', 'billing:write',       'Change the plan and payment details', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000002b', 'kpis:read',           'Read client KPIs, time series, alerts and dashboards', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000002c', 'kpis:write',          'Edit KPI alerts and dashboards; upload custom metrics', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000002d', 'audit:read',          'Read the audit log and verify its hash chain', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000002e', 'mcp_tools:invoke',    'Let assistants invoke tools of the tenant''s MCP connectors', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-00000000002f', 'admin:users',         'Invite, deactivate and assign roles to users (000 users:manage)', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000030', 'admin:roles',         'Create and change the tenant''s custom roles', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000031', 'admin:api_keys',      'Create and revoke API keys', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000032', 'admin:security',      'Manage SSO, sessions, trusted devices, security events and data requests', '2026-01-01 00:00:00+00'),
    ('7e5c0000-0000-4000-8000-000000000033', 'admin:tenant',        'Change tenant settings, quotas and plan', '2026-01-01 00:00:00+00');

INSERT INTO roles (id, tenant_id, name, description, created_at, updated_at) VALUES
    ('7e5c0001-0000-4000-8000-000000000001', NULL, 'admin',
     'Administrator: every permission, including user, role, key and security management',
     '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
    ('7e5c0001-0000-4000-8000-000000000002', NULL, 'approver',
     'Approver: reads everything outside administration; decides and delegates approvals; reviews changesets',
     '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
    ('7e5c0001-0000-4000-8000-000000000003', NULL, 'viewer',
     'Viewer: read-only access outside administration and the audit log',
     '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');

INSERT INTO role_permissions (role_id, permission_id, tenant_id, created_at)
SELECT '7e5c0001-0000-4000-8000-000000000001'::uuid, p.id, NULL, '2026-01-01 00:00:00+00'::timestamptz
  FROM permissions p
 WHERE p.id::text LIKE '7e5c0000-%';

INSERT INTO role_permissions (role_id, permission_id, tenant_id, created_at)
SELECT '7e5c0001-0000-4000-8000-000000000002'::uuid, p.id, NULL, '2026-01-01 00:00:00+00'::timestamptz
  FROM permissions p
 WHERE p.id::text LIKE '7e5c0000-%'
   AND ((p.code LIKE '%:read' AND p.code NOT LIKE 'admin:%')
        OR p.code IN ('approvals:decide', 'approvals:delegate', 'changesets:review'));

INSERT INTO role_permissions (role_id, permission_id, tenant_id, created_at)
SELECT '7e5c0001-0000-4000-8000-000000000003'::uuid, p.id, NULL, '2026-01-01 00:00:00+00'::timestamptz
  FROM permissions p
 WHERE p.id::text LIKE '7e5c0000-%'
   AND p.code LIKE '%:read' AND p.code NOT LIKE 'admin:%' AND p.code <> 'audit:read';

-- 001 Plan: the codes tenants.plan holds (CHECK trial, pro). Prices are list prices in USD.
INSERT INTO plans (id, code, name, description, price_amount, currency, billing_interval, features, is_active,
                   created_at, updated_at) VALUES
    ('7e5c0002-0000-4000-8000-000000000001', 'trial', 'Trial', '14-day evaluation with the Pro feature set and small quotas',
     0.00, 'USD', 'month',
     '{"max_users": 5, "max_assistants": 2, "max_connections": 3, "monthly_ai_budget_usd": 50, "sso": false, "support": "community"}',
     true, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
    ('7e5c0002-0000-4000-8000-000000000002', 'pro', 'Pro', 'Production plan: all connectors, SSO, audit export, priority support',
     499.00, 'USD', 'month',
     '{"max_users": 50, "max_assistants": 10, "max_connections": 25, "monthly_ai_budget_usd": 1000, "sso": true, "support": "priority"}',
     true, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');

-- 004 assistant_templates: the built-in presets a tenant creates its assistants from (is_system).
INSERT INTO assistant_templates (id, name, slug, description, type, configuration, capabilities, model_config, is_system,
                                 created_at, updated_at) VALUES
    ('7e5c0003-0000-4000-8000-000000000001', 'Chief of Staff', 'executive-chief-of-staff',
     'Summarises the day across finance and operations and routes decisions to the right approver',
     'executive_cos', '{"digest_schedule": "0 7 * * 1-5", "channels": ["internal", "email"]}',
     ARRAY['summarise', 'route_approvals', 'draft_email'], '{"provider": "anthropic", "model": "claude-sonnet-4-5-20250929"}',
     true, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
    ('7e5c0003-0000-4000-8000-000000000002', 'Finance Close Assistant', 'shared-finance-close',
     'Reconciles payouts with bank deposits and prepares NetSuite journal entries for approval',
     'shared_finance', '{"posting_mode": "lumpsum", "requires_approval_above": 1000}',
     ARRAY['reconcile_payouts', 'draft_journal_entry', 'suiteql_query'], '{"provider": "openai", "model": "gpt-5.2"}',
     true, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
    ('7e5c0003-0000-4000-8000-000000000003', 'Operations Assistant', 'company-operations',
     'Watches sync jobs and connection health and opens work items when something fails',
     'company_operations', '{"alert_on_job_failure": true}',
     ARRAY['monitor_jobs', 'retry_sync', 'open_work_item'], '{"provider": "openai", "model": "gpt-5.2"}',
     true, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
    ('7e5c0003-0000-4000-8000-000000000004', 'Customer Support Assistant', 'company-customer-support',
     'Answers order and refund questions from the knowledge base and escalates to a human',
     'company_customer', '{"escalate_after_turns": 6, "tone": "friendly"}',
     ARRAY['answer_questions', 'lookup_order', 'escalate'], '{"provider": "anthropic", "model": "claude-haiku-4-5"}',
     true, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
    ('7e5c0003-0000-4000-8000-000000000005', 'Compliance Monitor', 'company-compliance-monitor',
     'Checks postings and changesets against the tenant''s policies and flags exceptions',
     'company_compliance', '{"policies": ["segregation_of_duties", "posting_limits"]}',
     ARRAY['review_postings', 'flag_exception'], '{"provider": "anthropic", "model": "claude-sonnet-4-5-20250929"}',
     true, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');

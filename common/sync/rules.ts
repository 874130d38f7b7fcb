/**
 * common/sync/rules.ts: the sync rules, the one list of what may leave the central database and what a
 * client may write back. Shared by the sync server's gate (which enforces it), the write API, and the
 * client (which syncs the tables the signed-in user may read, grouped by domain for the explorer).
 *
 * Guarantees (checked by rules.test.ts against the schema and by the gate at start):
 *   - Default deny: a table without a rule here is never served and never written through the API.
 *     Auth.js secrets (`accounts`, `auth_sessions`, `verification_tokens`), `audit_log_integrity` and
 *     `schema_migrations` have no rule.
 *   - Every rule names the permission it needs to read (`null`: any signed-in member of the tenant) and
 *     how its rows are scoped to tenants. Columns listed in the `server_only_columns` registry are never
 *     sent and never writable, whatever a rule says; generated columns are never sent (clients compute
 *     them) and never written.
 *   - Writes are opt-in per table: a permission, the operations, and the columns an insert or update may
 *     set. Business operations that need more than a constraint are named mutations, not table writes.
 */

/** A permission code of the 0060 catalogue. */
export type PermissionCode = string;

/**
 * How a table's rows are scoped to tenants:
 *   tenant            tenant_id NOT NULL: rows of the visible tenants.
 *   tenant-or-global  tenant_id nullable: rows of the visible tenants and the global rows (NULL).
 *   tenant-root       the `tenants` table itself: rows whose id is a visible tenant.
 *   global            reference data without tenant_id: every row.
 */
export type TenantScopeKind = 'tenant' | 'tenant-or-global' | 'tenant-root' | 'global';

export type WriteOperation = 'insert' | 'update' | 'delete';

export interface WriteRule {
  readonly permission: PermissionCode;
  readonly operations: readonly WriteOperation[];
  /**
   * Columns an insert or update may set: `all` for every column the table sends (primary key and
   * tenant_id included on insert; an update never changes the primary key or tenant_id), or a list.
   */
  readonly columns: 'all' | readonly string[];
}

export interface DomainRule {
  readonly id: string;
  readonly label: string;
  readonly read: PermissionCode | null;
  readonly write: PermissionCode | null;
}

export interface TableRule {
  readonly table: string;
  readonly domain: string;
  readonly scope: TenantScopeKind;
  readonly read: PermissionCode | null;
  readonly write: WriteRule | null;
}

export const DOMAINS: readonly DomainRule[] = [
  { id: 'organisation', label: 'Organisation', read: null, write: 'admin:users' },
  { id: 'security', label: 'Security', read: 'admin:security', write: 'admin:security' },
  { id: 'audit', label: 'Audit', read: 'audit:read', write: null },
  { id: 'config', label: 'Configuration', read: 'config:read', write: 'config:write' },
  { id: 'connections', label: 'Connections', read: 'connections:read', write: 'connections:write' },
  { id: 'jobs', label: 'Jobs', read: 'jobs:read', write: 'jobs:write' },
  { id: 'workflows', label: 'Workflows', read: 'workflows:read', write: 'workflows:write' },
  { id: 'commerce', label: 'Commerce', read: 'commerce:read', write: 'commerce:write' },
  { id: 'netsuite', label: 'NetSuite', read: 'netsuite:read', write: 'netsuite:write' },
  { id: 'workspaces', label: 'Workspaces', read: 'workspaces:read', write: 'workspaces:write' },
  { id: 'changesets', label: 'Changesets', read: 'changesets:read', write: 'changesets:write' },
  { id: 'assistants', label: 'Assistants', read: 'assistants:read', write: 'assistants:write' },
  { id: 'work_items', label: 'Work items', read: 'work_items:read', write: 'work_items:write' },
  { id: 'approvals', label: 'Approvals', read: 'approvals:read', write: 'approvals:write' },
  { id: 'chat', label: 'Chat', read: 'chat:read', write: 'chat:write' },
  { id: 'knowledge', label: 'Knowledge', read: 'knowledge:read', write: 'knowledge:write' },
  { id: 'engagement', label: 'Engagement', read: 'engagement:read', write: 'engagement:write' },
  { id: 'evaluations', label: 'Evaluations', read: 'evaluations:read', write: 'evaluations:write' },
  { id: 'quality', label: 'Quality', read: 'quality:read', write: 'quality:write' },
  { id: 'costs', label: 'Costs', read: 'costs:read', write: 'costs:write' },
  { id: 'billing', label: 'Billing', read: 'billing:read', write: 'billing:write' },
  { id: 'kpis', label: 'KPIs', read: 'kpis:read', write: 'kpis:write' },
];

const ALL: WriteRule['columns'] = 'all';
const CRUD: readonly WriteOperation[] = ['insert', 'update', 'delete'];

interface TableSpec {
  readonly scope?: TenantScopeKind;
  /** Overrides the domain's read permission. */
  readonly read?: PermissionCode | null;
  /** `false`: read-only; otherwise the domain's write permission unless `permission` is given. */
  readonly write?:
    | false
    | { permission?: PermissionCode; operations?: readonly WriteOperation[]; columns?: WriteRule['columns'] };
}

/** Tables per domain. Unlisted options: tenant scope, domain permissions, full CRUD of every sent column. */
const TABLES: Readonly<Record<string, Readonly<Record<string, TableSpec>>>> = {
  organisation: {
    tenants: {
      scope: 'tenant-root',
      write: {
        permission: 'admin:tenant',
        operations: ['update'],
        columns: ['name', 'industry', 'settings', 'metadata', 'updated_at'],
      },
    },
    users: {
      write: {
        operations: ['update'],
        columns: ['full_name', 'first_name', 'last_name', 'picture_url', 'role', 'is_active', 'updated_at'],
      },
    },
    roles: { scope: 'tenant-or-global', write: { permission: 'admin:roles' } },
    role_permissions: {
      scope: 'tenant-or-global',
      write: { permission: 'admin:roles', operations: ['insert', 'delete'] },
    },
    user_roles: { write: { operations: ['insert', 'delete'] } },
    permissions: { scope: 'global', write: false },
    policies: { scope: 'tenant-or-global', read: 'config:read', write: { permission: 'config:write' } },
    plans: { scope: 'global', write: false },
    state_transitions: { scope: 'global', write: false },
    server_only_columns: { scope: 'global', write: false },
  },
  security: {
    active_sessions: { write: { operations: ['delete'] } },
    trusted_devices: { write: { operations: ['delete'] } },
    sso_configurations: {},
    security_events: { write: false },
    data_requests: { write: { operations: ['insert'] } },
    api_keys: {
      read: 'admin:api_keys',
      write: {
        permission: 'admin:api_keys',
        operations: ['update'],
        columns: ['name', 'expires_at', 'updated_at'],
      },
    },
  },
  audit: {
    audit_logs: { write: false },
    audit_chain_heads: { write: false },
  },
  config: {
    tenant_configs: {},
    tenant_profiles: {},
    policy_profiles: {},
    system_prompt_templates: { scope: 'tenant-or-global' },
    onboarding_checklist_items: {},
  },
  connections: {
    connections: {
      write: { operations: ['update'], columns: ['label', 'status', 'metadata_json', 'updated_at'] },
    },
    cursor_states: { write: false },
    crm_field_mappings: {},
    crm_sync_logs: { write: false },
    crm_webhooks: {},
    mcp_connectors: {
      write: { operations: ['update', 'delete'], columns: ['name', 'status', 'updated_at'] },
    },
  },
  jobs: { jobs: { write: false }, schedules: {}, evidence_packs: { write: false } },
  workflows: { workflows: {}, workflow_steps: {}, workflow_runs: { write: false } },
  commerce: {
    orders: {},
    payments: {},
    refunds: {},
    payouts: {},
    payout_lines: {},
    disputes: {},
  },
  netsuite: {
    netsuite_postings: { write: false },
    netsuite_metadata: { write: false },
    script_sync_states: { write: false },
    netsuite_api_logs: { write: false },
  },
  workspaces: {
    workspaces: {},
    workspace_files: {},
    workspace_runs: { write: false },
    workspace_artifacts: { write: false },
  },
  changesets: {
    workspace_changesets: {
      write: {
        operations: ['insert', 'update', 'delete'],
        columns: ['id', 'tenant_id', 'workspace_id', 'title', 'description', 'proposed_by', 'updated_at'],
      },
    },
    workspace_patches: {},
  },
  assistants: {
    ai_personalities: {},
    assistants: {},
    assistant_templates: { scope: 'global', write: false },
    communication_policies: {},
  },
  work_items: { work_items: {} },
  approvals: {
    approvals: {
      write: {
        operations: ['insert'],
        columns: [
          'id',
          'tenant_id',
          'work_item_id',
          'title',
          'description',
          'risk_level',
          'requested_by',
          'approver_ids',
          'expires_at',
          'context',
        ],
      },
    },
    approval_delegations: { write: false },
  },
  chat: {
    widgets: {},
    meetings: {},
    chat_sessions: {},
    chat_messages: { write: { operations: ['insert'] } },
    chat_files: {},
    conversation_memory: { write: false },
    conversation_logs: { write: false },
  },
  knowledge: { knowledge_documents: {}, knowledge_chunks: { write: false }, knowledge_gaps: {} },
  engagement: {
    end_users: {},
    survey_responses: { write: false },
    unresolved_problems: {},
    unresolved_problem_users: { write: false },
    escalations: {},
  },
  evaluations: {
    rag_test_sets: {},
    rag_evaluation_runs: { write: false },
    rag_evaluations: { write: false },
    rag_quality_thresholds: {},
    crag_evaluations: { write: false },
    query_refinements: { write: false },
    reasoning_steps: { write: false },
    crag_responses: { write: false },
    crag_metrics: { write: false },
    reranking_events: { write: false },
  },
  quality: { qa_reviews: {}, qa_metrics: { write: false }, hallucination_flags: {} },
  costs: {
    cost_transactions: { write: false },
    cost_summaries: { write: false },
    budget_alerts: {},
    provider_credit_pools: {},
  },
  billing: { subscriptions: { write: false }, invoices: { write: false } },
  kpis: {
    client_kpis: {},
    financials: {},
    lead_events: {},
    custom_metrics: {},
    alerts: {},
    dashboards: {},
  },
};

function buildRules(): ReadonlyMap<string, TableRule> {
  const rules = new Map<string, TableRule>();
  for (const domain of DOMAINS) {
    for (const [table, spec] of Object.entries(TABLES[domain.id] ?? {})) {
      if (rules.has(table)) throw new Error(`sync rules: ${table} is listed twice`);
      let write: WriteRule | null = null;
      if (spec.write !== false) {
        const permission = spec.write?.permission ?? domain.write;
        if (permission !== null) {
          write = {
            permission,
            operations: spec.write?.operations ?? CRUD,
            columns: spec.write?.columns ?? ALL,
          };
        }
      }
      rules.set(table, {
        table,
        domain: domain.id,
        scope: spec.scope ?? 'tenant',
        read: spec.read === undefined ? domain.read : spec.read,
        write,
      });
    }
  }
  return rules;
}

/** Every sync rule by table name. */
export const SYNC_RULES: ReadonlyMap<string, TableRule> = buildRules();

/** Tables that are never synced (and why), so a new table is a conscious decision. */
export const UNSYNCED_TABLES: Readonly<Record<string, string>> = {
  accounts: 'Auth.js OAuth accounts: mostly provider tokens',
  auth_sessions: 'sign-in sessions: the key is a bearer secret',
  verification_tokens: 'Auth.js magic-link tokens, global',
  audit_log_integrity: 'checkpoints spanning every tenant',
  schema_migrations: 'each database has its own ledger',
};

export function ruleFor(table: string): TableRule | undefined {
  return SYNC_RULES.get(table);
}

/** Whether a holder of `permissions` may read a table under its rule. */
export function mayRead(rule: TableRule, permissions: ReadonlySet<string>): boolean {
  return rule.read === null || permissions.has(rule.read);
}

/** The rules a holder of `permissions` may read, in domain order: what a client syncs. */
export function readableRules(permissions: ReadonlySet<string>): TableRule[] {
  return [...SYNC_RULES.values()].filter((rule) => mayRead(rule, permissions));
}

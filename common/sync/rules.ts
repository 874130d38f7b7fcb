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
 *   - Writes are opt-in per table: a permission, the operations, and the columns an insert may set and an
 *     update may change, each named (WriteRule). System columns (keys after the insert, tenant_id,
 *     timestamps, lifecycle states, server-computed values) are never among them. Business operations
 *     that need more than a constraint (every lifecycle move among them) are named mutations.
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

/** How a stamped column is filled: with the writing user's id. */
export type Stamp = 'actor';

/**
 * What a plain table write may do (common/mutations/table-mutation.ts enforces it on the server and,
 * through the same code, on the client; the client's local copy is generated from it).
 *
 *   insert  may set the primary key, `columns`, `createOnly` and the `stamps` (tenant_id is the row's
 *           scope: the writer's tenant unless another visible tenant is named)
 *   update  may change `columns` only
 *   never   tenant_id after the insert, a primary key, created_at / updated_at (the database and the
 *           server set them), a lifecycle column (changed by the `<machine>.transition` named
 *           operations), server-computed values (counters, versions, hashes, totals, timestamps of
 *           events), server-only and generated columns
 */
export interface WriteRule {
  readonly permission: PermissionCode;
  readonly operations: readonly WriteOperation[];
  /** Columns an insert may set and an update may change. */
  readonly columns: readonly string[];
  /** Columns only an insert sets (the parent a row belongs to, its kind): fixed afterwards. */
  readonly createOnly: readonly string[];
  /**
   * Columns the writer does not choose: an insert gets the writing user's id there, and any other value
   * is refused. Fixed afterwards.
   */
  readonly stamps: Readonly<Record<string, Stamp>>;
  /**
   * Rows that belong to a parent with a lifecycle are written only while the parent is in one of
   * `states` (a changeset's patches only while it is a draft): checked by every plain insert, update
   * and delete, against the parent's state at the time of the write.
   */
  readonly whileParent?: WhileParent;
}

export interface WhileParent {
  /** The column of this table naming the parent row. */
  readonly column: string;
  readonly table: string;
  /** The parent's lifecycle column. */
  readonly state: string;
  readonly states: readonly string[];
}

/**
 * The columns an insert of a table with primary key `primaryKey` may carry under `rule`: the key, the
 * tenant the row belongs to (checked against the writer's visible tenants), and the rule's columns.
 */
export function insertColumns(rule: WriteRule, primaryKey: readonly string[]): string[] {
  return [
    ...new Set([
      ...primaryKey,
      'tenant_id',
      ...rule.columns,
      ...rule.createOnly,
      ...Object.keys(rule.stamps),
    ]),
  ];
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

const CRUD: readonly WriteOperation[] = ['insert', 'update', 'delete'];
const CRU: readonly WriteOperation[] = ['insert', 'update'];

interface WriteSpec {
  /** Default: the domain's write permission. */
  readonly permission?: PermissionCode;
  readonly operations: readonly WriteOperation[];
  readonly columns?: readonly string[];
  readonly createOnly?: readonly string[];
  readonly stamps?: Readonly<Record<string, Stamp>>;
  readonly whileParent?: WhileParent;
}

interface TableSpec {
  readonly scope?: TenantScopeKind;
  /** Overrides the domain's read permission. */
  readonly read?: PermissionCode | null;
  /** Absent: read-only (named operations may still write it, common/mutations/named.ts). */
  readonly write?: WriteSpec;
}

const BY_ACTOR = { created_by: 'actor' } as const;

/**
 * Tables per domain, with what a plain write may do. Unlisted options: tenant scope and the domain's
 * permissions. docs/security.md ("What a client may write") is the reviewed copy of the write part;
 * common/sync/write-rules.test.ts fails when the two differ.
 */
const TABLES: Readonly<Record<string, Readonly<Record<string, TableSpec>>>> = {
  organisation: {
    tenants: {
      scope: 'tenant-root',
      write: {
        permission: 'admin:tenant',
        operations: ['update'],
        columns: ['name', 'industry', 'settings', 'metadata'],
      },
    },
    users: {
      write: {
        operations: ['update'],
        columns: ['full_name', 'first_name', 'last_name', 'picture_url', 'role', 'is_active'],
      },
    },
    roles: {
      scope: 'tenant-or-global',
      write: { permission: 'admin:roles', operations: CRUD, columns: ['name', 'description', 'permissions'] },
    },
    role_permissions: {
      scope: 'tenant-or-global',
      write: { permission: 'admin:roles', operations: ['insert', 'delete'] },
    },
    user_roles: {
      write: {
        operations: ['insert', 'delete'],
        createOnly: ['user_id', 'role_id', 'role_scope_id'],
        stamps: { assigned_by: 'actor' },
      },
    },
    permissions: { scope: 'global' },
    policies: {
      scope: 'tenant-or-global',
      read: 'config:read',
      write: {
        permission: 'config:write',
        operations: CRUD,
        columns: ['name', 'description', 'statements', 'is_active'],
      },
    },
    plans: { scope: 'global' },
    state_transitions: { scope: 'global' },
    server_only_columns: { scope: 'global' },
  },
  security: {
    active_sessions: { write: { operations: ['delete'] } },
    trusted_devices: { write: { operations: ['delete'] } },
    sso_configurations: {
      write: { operations: CRUD, columns: ['provider', 'protocol', 'metadata', 'is_active'] },
    },
    security_events: {},
    data_requests: { write: { operations: ['insert'], createOnly: ['user_id', 'request_type'] } },
    api_keys: {
      read: 'admin:api_keys',
      write: { permission: 'admin:api_keys', operations: ['update'], columns: ['name', 'expires_at'] },
    },
  },
  audit: {
    audit_logs: {},
    audit_chain_heads: {},
  },
  config: {
    tenant_configs: {
      write: {
        operations: CRUD,
        columns: [
          'subsidiaries',
          'account_mappings',
          'posting_mode',
          'posting_batch_size',
          'posting_attach_evidence',
          'netsuite_account_id',
          'ai_provider',
          'ai_model',
          'multi_agent_enabled',
        ],
      },
    },
    tenant_profiles: {
      write: {
        operations: CRUD,
        columns: [
          'industry',
          'description',
          'subsidiaries',
          'chart_of_accounts',
          'item_types',
          'custom_segments',
          'fiscal_calendar',
          'is_active',
        ],
      },
    },
    policy_profiles: {
      write: {
        operations: CRUD,
        columns: [
          'name',
          'read_only_mode',
          'allowed_record_types',
          'blocked_fields',
          'tool_allowlist',
          'max_rows_per_query',
          'custom_rules',
          'is_active',
        ],
      },
    },
    system_prompt_templates: {
      scope: 'tenant-or-global',
      write: {
        operations: CRUD,
        columns: ['name', 'content', 'is_active'],
        createOnly: ['tenant_profile_id', 'policy_profile_id'],
      },
    },
    onboarding_checklist_items: {
      write: { operations: CRUD, columns: ['data'], createOnly: ['step'] },
    },
  },
  connections: {
    connections: { write: { operations: ['update'], columns: ['label', 'metadata_json'] } },
    cursor_states: {},
    crm_field_mappings: {
      write: {
        operations: CRUD,
        columns: ['source_field', 'target_field', 'transform_rule'],
        createOnly: ['connection_id'],
      },
    },
    crm_sync_logs: {},
    crm_webhooks: {
      write: {
        operations: CRUD,
        columns: ['event_type', 'url', 'is_active'],
        createOnly: ['connection_id'],
      },
    },
    mcp_connectors: { write: { operations: ['update', 'delete'], columns: ['name'] } },
  },
  jobs: {
    jobs: {},
    schedules: {
      write: {
        operations: CRUD,
        columns: ['job_type', 'cron_expression', 'timezone', 'parameters', 'is_active'],
        createOnly: ['connection_id'],
      },
    },
    evidence_packs: {},
  },
  workflows: {
    workflows: { write: { operations: CRUD, columns: ['name', 'steps'] } },
    workflow_steps: {
      write: {
        operations: CRUD,
        columns: ['position', 'name', 'executor', 'input_schema', 'output_schema', 'config'],
        createOnly: ['workflow_id'],
      },
    },
    workflow_runs: {},
  },
  // Mirrored from the providers (Shopify, Stripe) by connectors: a row needs the provider's source id
  // and dedupe key, which only a connector has. Their states move by the providers' events.
  commerce: {
    orders: {},
    payments: {},
    refunds: {},
    payouts: {},
    payout_lines: {},
    disputes: {},
  },
  netsuite: {
    netsuite_postings: {},
    netsuite_metadata: {},
    script_sync_states: {},
    netsuite_api_logs: {},
  },
  // Files change only through changesets (changeset.apply); a changeset's patches only while it is a
  // draft (whileParent, checked by every plain write).
  workspaces: {
    workspaces: { write: { operations: CRUD, columns: ['name', 'description'], stamps: BY_ACTOR } },
    workspace_files: {},
    workspace_runs: {},
    workspace_artifacts: {},
  },
  changesets: {
    workspace_changesets: {
      write: {
        operations: CRU,
        columns: ['title', 'description'],
        createOnly: ['workspace_id'],
        stamps: { proposed_by: 'actor' },
      },
    },
    workspace_patches: {
      write: {
        operations: CRUD,
        columns: ['file_path', 'operation', 'unified_diff', 'new_content', 'position'],
        createOnly: ['changeset_id', 'file_id'],
        whileParent: {
          column: 'changeset_id',
          table: 'workspace_changesets',
          state: 'status',
          states: ['draft'],
        },
      },
    },
    // Named only (common/mutations/workspace-review.ts, changesets.ts): a patch's base hash
    // (changeset.create), review comments (changeset.comment, changeset.resolve_comment), per-hunk
    // decisions (changeset.decide_hunk) and the conflicts of an apply (changeset.apply).
    workspace_patch_bases: {},
    workspace_changeset_comments: {},
    workspace_hunk_decisions: {},
    workspace_patch_conflicts: {},
  },
  assistants: {
    ai_personalities: {
      write: {
        operations: CRUD,
        columns: ['name', 'system_prompt', 'temperature', 'max_tokens', 'preferred_model'],
      },
    },
    assistants: {
      write: {
        operations: CRUD,
        columns: [
          'name',
          'slug',
          'description',
          'type',
          'configuration',
          'capabilities',
          'model_config',
          'risk_tier',
          'max_cost_per_day',
        ],
        stamps: BY_ACTOR,
      },
    },
    assistant_templates: { scope: 'global' },
    communication_policies: {
      write: {
        operations: CRUD,
        columns: [
          'name',
          'from_assistant_types',
          'to_assistant_types',
          'allowed_channels',
          'content_rules',
          'rate_limit_per_hour',
          'is_active',
        ],
      },
    },
  },
  work_items: {
    work_items: {
      write: {
        operations: CRU,
        columns: ['title', 'description', 'priority', 'risk_level', 'estimated_cost', 'context', 'due_at'],
        createOnly: ['assistant_id'],
        stamps: BY_ACTOR,
      },
    },
  },
  approvals: {
    approvals: {
      write: {
        operations: ['insert'],
        createOnly: [
          'work_item_id',
          'title',
          'description',
          'risk_level',
          'approver_ids',
          'expires_at',
          'context',
        ],
        stamps: { requested_by: 'actor' },
      },
    },
    approval_delegations: {},
    // Named only: approval.decide records one row per decision (quorum).
    approval_decisions: {},
    approval_policies: {
      write: {
        permission: 'admin:tenant',
        operations: CRUD,
        columns: [
          'quorum_min_risk_level',
          'quorum_required',
          'on_expiry',
          'escalation_chain',
          'escalation_window_minutes',
        ],
      },
    },
  },
  chat: {
    widgets: {
      write: {
        operations: CRUD,
        columns: ['name', 'domain_whitelist', 'settings', 'ai_personality_id', 'is_active'],
      },
    },
    meetings: { write: { operations: CRUD, columns: ['room_name', 'metadata'], stamps: BY_ACTOR } },
    chat_sessions: {
      write: {
        operations: CRUD,
        columns: ['title', 'is_archived', 'mode', 'ai_personality_id'],
        createOnly: ['session_type', 'workspace_id', 'widget_id', 'meeting_id', 'end_user_id'],
        stamps: { user_id: 'actor' },
      },
    },
    chat_messages: {
      write: { operations: ['insert'], createOnly: ['session_id', 'role', 'content', 'attachments'] },
    },
    chat_files: { write: { operations: ['delete'] } },
    conversation_memory: {},
    conversation_logs: {},
  },
  knowledge: {
    knowledge_documents: {
      write: {
        operations: CRUD,
        columns: ['title', 'content', 'content_type', 'url', 'uri', 'tags', 'metadata'],
        stamps: { user_id: 'actor' },
      },
    },
    knowledge_chunks: {},
    knowledge_gaps: { write: { operations: ['update'], columns: ['suggested_topics'] } },
  },
  engagement: {
    end_users: {
      write: { operations: CRUD, columns: ['external_id', 'email', 'name', 'metadata'] },
    },
    survey_responses: {},
    unresolved_problems: { write: { operations: ['update'], columns: ['cluster_label'] } },
    unresolved_problem_users: {},
    escalations: {
      write: {
        operations: CRU,
        columns: ['reason', 'priority', 'assigned_to'],
        createOnly: ['session_id', 'end_user_id'],
      },
    },
  },
  evaluations: {
    rag_test_sets: { write: { operations: CRUD, columns: ['name', 'description', 'test_cases'] } },
    rag_evaluation_runs: {},
    rag_evaluations: {},
    rag_quality_thresholds: {
      write: { operations: CRUD, columns: ['metric', 'threshold', 'action', 'is_active'] },
    },
    crag_evaluations: {},
    query_refinements: {},
    reasoning_steps: {},
    crag_responses: {},
    crag_metrics: {},
    reranking_events: {},
  },
  quality: {
    qa_reviews: {
      write: {
        operations: CRUD,
        columns: ['review_type', 'score', 'feedback'],
        createOnly: ['message_id'],
        stamps: { reviewer: 'actor' },
      },
    },
    qa_metrics: {},
    hallucination_flags: {
      write: {
        operations: CRU,
        columns: ['notes'],
        createOnly: [
          'assistant_id',
          'work_item_id',
          'conversation_log_id',
          'message_id',
          'detection_method',
          'confidence_score',
          'flagged_content',
          'evidence',
        ],
      },
    },
  },
  costs: {
    cost_transactions: {},
    cost_summaries: {},
    budget_alerts: { write: { operations: CRUD, columns: ['threshold', 'period', 'severity'] } },
    provider_credit_pools: {
      write: {
        operations: CRUD,
        columns: [
          'provider',
          'monthly_budget',
          'alert_threshold_50',
          'alert_threshold_75',
          'alert_threshold_90',
          'reset_day_of_month',
        ],
        // The opening balance; the server keeps it afterwards.
        createOnly: ['current_balance'],
      },
    },
  },
  billing: { subscriptions: {}, invoices: {} },
  kpis: {
    client_kpis: { write: { operations: CRUD, columns: ['client_id', 'client_name', 'industry'] } },
    financials: {
      write: {
        operations: CRUD,
        columns: [
          'record_date',
          'revenue',
          'expenses',
          'net_profit',
          'cash_flow',
          'currency',
          'source_system',
          'external_id',
          'metadata',
        ],
        createOnly: ['client_kpi_id'],
      },
    },
    lead_events: {
      write: {
        operations: CRUD,
        columns: [
          'event_date',
          'lead_id',
          'stage',
          'value',
          'status',
          'source_system',
          'external_id',
          'metadata',
        ],
        createOnly: ['client_kpi_id'],
      },
    },
    custom_metrics: {
      write: {
        operations: CRUD,
        columns: ['metric_name', 'metric_value', 'unit', 'record_date', 'source_system', 'metadata'],
        createOnly: ['client_kpi_id'],
      },
    },
    alerts: {
      write: {
        operations: CRUD,
        columns: ['name', 'metric_name', 'condition', 'threshold', 'severity'],
        createOnly: ['client_kpi_id'],
        stamps: BY_ACTOR,
      },
    },
    dashboards: {
      write: {
        operations: CRUD,
        columns: ['name', 'description', 'layout', 'is_default'],
        stamps: BY_ACTOR,
      },
    },
  },
};

function buildRules(): ReadonlyMap<string, TableRule> {
  const rules = new Map<string, TableRule>();
  for (const domain of DOMAINS) {
    for (const [table, spec] of Object.entries(TABLES[domain.id] ?? {})) {
      if (rules.has(table)) throw new Error(`sync rules: ${table} is listed twice`);
      let write: WriteRule | null = null;
      const permission = spec.write?.permission ?? domain.write;
      if (spec.write && permission !== null) {
        write = {
          permission,
          operations: spec.write.operations,
          columns: spec.write.columns ?? [],
          createOnly: spec.write.createOnly ?? [],
          stamps: spec.write.stamps ?? {},
          ...(spec.write.whileParent ? { whileParent: spec.write.whileParent } : {}),
        };
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

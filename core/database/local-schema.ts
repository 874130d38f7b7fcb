/**
 * core/database/local-schema.ts: the names of the local schema (migrations/client, docs/local-schema.md)
 * as the rest of the core needs them: where the sync applier writes each table, and which tables a
 * client writes through the outbox.
 *
 *   writable table t (a `write` rule):  synced.t (server state, the applier's)  ─►  local.t_state (what
 *                                        the app sees)  ◄─  public.t (view; INSTEAD OF ─► outbox)
 *   any other synced table t:           public.t (server state, the applier's only)
 *
 * Guarantees: derived from common/sync/rules.ts only, so it names the same tables as the client
 * migrations (core/database/local-schema.pglite.test.ts checks the installed schema against it).
 */
import { NAMED_MUTATIONS } from '../../common/mutations/named.ts';
import { SYNC_RULES, type TableRule } from '../../common/sync/rules.ts';

/** Server state of the writable tables (pglite-sync writes here). */
export const SERVER_STATE_SCHEMA = 'synced';
/** What the app sees of the writable tables (`local.<t>_state`): server state plus pending local writes. */
export const LOCAL_STATE_SCHEMA = 'local';
/** The write path: mutations, effects, rejections, and the machinery functions. */
export const OUTBOX_SCHEMA = 'outbox';
/** Column of every synced.<t>: the txid of the last shape message that wrote the row. */
export const SYNCED_TXID_COLUMN = '_synced_txid';

/** The rules of the tables a client writes through the outbox, by table name. */
export const WRITABLE_RULES: ReadonlyMap<string, TableRule> = new Map(
  [...SYNC_RULES.values()].filter((rule) => rule.write !== null).map((rule) => [rule.table, rule]),
);

/**
 * The tables migrations/client/0202 gave an overlay (its frozen rule list). An overlay is never
 * removed: a table whose rule later allows no plain write keeps its view and synced.<t>, with a rule
 * that allows nothing (core/database/write-rules.ts).
 */
const OVERLAID_BY_0202: readonly string[] = [
  'tenants',
  'users',
  'roles',
  'role_permissions',
  'user_roles',
  'policies',
  'active_sessions',
  'trusted_devices',
  'sso_configurations',
  'data_requests',
  'api_keys',
  'tenant_configs',
  'tenant_profiles',
  'policy_profiles',
  'system_prompt_templates',
  'onboarding_checklist_items',
  'connections',
  'crm_field_mappings',
  'crm_webhooks',
  'mcp_connectors',
  'schedules',
  'workflows',
  'workflow_steps',
  'orders',
  'payments',
  'refunds',
  'payouts',
  'payout_lines',
  'disputes',
  'workspaces',
  'workspace_files',
  'workspace_changesets',
  'workspace_patches',
  'ai_personalities',
  'assistants',
  'communication_policies',
  'work_items',
  'approvals',
  'widgets',
  'meetings',
  'chat_sessions',
  'chat_messages',
  'chat_files',
  'knowledge_documents',
  'knowledge_gaps',
  'end_users',
  'unresolved_problems',
  'escalations',
  'rag_test_sets',
  'rag_quality_thresholds',
  'qa_reviews',
  'hallucination_flags',
  'budget_alerts',
  'provider_credit_pools',
  'client_kpis',
  'financials',
  'lead_events',
  'custom_metrics',
  'alerts',
  'dashboards',
];

/** Every table a named mutation writes (each needs an overlay, even without a plain write rule). */
const NAMED_WRITES: readonly string[] = [...NAMED_MUTATIONS.values()].flatMap((op) => op.writes);

/** The tables with a local overlay (a view over local.<t>_state, server state in synced.<t>). */
export const OVERLAY_TABLES: ReadonlySet<string> = new Set(
  [...OVERLAID_BY_0202, ...WRITABLE_RULES.keys(), ...NAMED_WRITES].filter((t) => SYNC_RULES.has(t)),
);

/** Overlaid tables that no plain write may touch (only named mutations, or nothing any more). */
export const NAMED_ONLY_TABLES: ReadonlySet<string> = new Set(
  [...OVERLAY_TABLES].filter((table) => !WRITABLE_RULES.has(table)),
);

/** Whether `table` is a view over local.<t>_state with its server state in synced.<t>. */
export function hasLocalOverlay(table: string): boolean {
  return OVERLAY_TABLES.has(table);
}

/**
 * The name of a writable table's local state in LOCAL_STATE_SCHEMA. Not the table's own name: PGlite's
 * live queries follow view dependencies by relation name, and would recurse forever from the view
 * `public.t` into a table also called `t`.
 */
export function localStateTableOf(table: string): string {
  return `${table}_state`;
}

export function isWritableTable(table: string): boolean {
  return WRITABLE_RULES.has(table);
}

/** The schema the sync applier writes `table` into. */
export function applierSchemaOf(table: string): typeof SERVER_STATE_SCHEMA | 'public' {
  return hasLocalOverlay(table) ? SERVER_STATE_SCHEMA : 'public';
}

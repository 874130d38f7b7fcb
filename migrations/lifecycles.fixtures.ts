/**
 * Rows for the lifecycle tests (lifecycles.testkit.ts): one parent world per database (a tenant,
 * users, an assistant, a workspace, a connection, a workflow), and for each lifecycle table an INSERT
 * of one row in a given state and the UPDATE that moves it, with what the table's other rules tie to
 * the state (tenants.is_active, an approval's decider and reason, a changeset's reviewer).
 * Written for the shared schema; the same SQL runs on central PostgreSQL and on PGlite.
 */
import type { SqlExecutor } from '../common/migrations/runner.ts';

export interface LifecycleWorld {
  readonly tenant: string;
  readonly admin: string;
  readonly approver: string;
  readonly assistant: string;
  readonly workItem: string;
  readonly workspace: string;
  readonly connection: string;
  readonly workflow: string;
  readonly plan: string;
}

async function one<T>(db: SqlExecutor, sql: string, params: readonly unknown[] = []): Promise<T> {
  const { rows } = await db.query<T>(sql, params);
  if (!rows[0]) throw new Error(`expected a row from: ${sql}`);
  return rows[0];
}

const id = async (db: SqlExecutor, sql: string, params: readonly unknown[]) =>
  (await one<{ id: string }>(db, sql, params)).id;

export async function lifecycleWorld(db: SqlExecutor): Promise<LifecycleWorld> {
  const slug = `lifecycles-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const tenant = await id(db, `INSERT INTO tenants (name, slug) VALUES ('Lifecycles', $1) RETURNING id`, [
    slug,
  ]);
  const user = (email: string) =>
    id(db, `INSERT INTO users (tenant_id, email, role) VALUES ($1, $2, 'admin') RETURNING id`, [
      tenant,
      `${email}@${slug}.test`,
    ]);
  const admin = await user('admin');
  const approver = await user('approver');
  const assistant = await id(
    db,
    `INSERT INTO assistants (tenant_id, name, slug, type) VALUES ($1, 'Finance', 'finance', 'shared_finance') RETURNING id`,
    [tenant],
  );
  const workItem = await id(
    db,
    `INSERT INTO work_items (tenant_id, assistant_id, title) VALUES ($1, $2, 'Close the month') RETURNING id`,
    [tenant, assistant],
  );
  const workspace = await id(
    db,
    `INSERT INTO workspaces (tenant_id, name) VALUES ($1, 'Scripts') RETURNING id`,
    [tenant],
  );
  const connection = await id(
    db,
    `INSERT INTO connections (tenant_id, provider, encrypted_credentials) VALUES ($1, 'netsuite', 'x') RETURNING id`,
    [tenant],
  );
  const workflow = await id(
    db,
    `INSERT INTO workflows (tenant_id, name) VALUES ($1, 'Reconcile') RETURNING id`,
    [tenant],
  );
  const plan = await id(db, `SELECT id FROM plans ORDER BY code LIMIT 1`, []);
  return { tenant, admin, approver, assistant, workItem, workspace, connection, workflow, plan };
}

/** A canonical record's dedupe_key and source columns (0009: `{tenant}:{source}:{object}:{source_id}`). */
const canonical = (object: string) =>
  `dedupe_key, source, source_id) VALUES (:tenant, :state, concat_ws(chr(58), :tenant, 'stripe', '${object}', :token), 'stripe', :token)`;

/**
 * INSERT of one row of each lifecycle table with its status `:state`; `:tenant`, `:token` (unique per
 * row) and the world's ids by name (`:assistant`, ...) are bound by `bind`.
 */
const INSERTS: Readonly<Record<string, string>> = {
  tenants: `INSERT INTO tenants (name, slug, status, is_active) VALUES ('T', 't-' || :token, :state, :state = 'active')`,
  data_requests: `INSERT INTO data_requests (tenant_id, request_type, status) VALUES (:tenant, 'export', :state)`,
  onboarding_checklist_items: `INSERT INTO onboarding_checklist_items (tenant_id, step, status) VALUES (:tenant, 'profile', :state)`,
  connections: `INSERT INTO connections (tenant_id, provider, label, encrypted_credentials, status)
                VALUES (:tenant, 'shopify', :token, 'x', :state)`,
  cursor_states: `INSERT INTO cursor_states (tenant_id, connection_id, object_type, status) VALUES (:tenant, :connection, :token, :state)`,
  mcp_connectors: `INSERT INTO mcp_connectors (tenant_id, name, server_url, status) VALUES (:tenant, 'm', 'https://mcp.test', :state)`,
  jobs: `INSERT INTO jobs (tenant_id, job_type, status) VALUES (:tenant, 'sync', :state)`,
  workflows: `INSERT INTO workflows (tenant_id, name, status) VALUES (:tenant, 'w', :state)`,
  workflow_runs: `INSERT INTO workflow_runs (tenant_id, workflow_id, status) VALUES (:tenant, :workflow, :state)`,
  orders: `INSERT INTO orders (tenant_id, status, ${canonical('order')}`,
  payments: `INSERT INTO payments (tenant_id, status, ${canonical('charge')}`,
  refunds: `INSERT INTO refunds (tenant_id, status, ${canonical('refund')}`,
  payouts: `INSERT INTO payouts (tenant_id, status, ${canonical('payout')}`,
  disputes: `INSERT INTO disputes (tenant_id, status, ${canonical('dispute')}`,
  script_sync_states: `INSERT INTO script_sync_states (tenant_id, status) VALUES (:tenant, :state)`,
  workspace_changesets: `INSERT INTO workspace_changesets (tenant_id, workspace_id, title, status, rejected_reason)
                         VALUES (:tenant, :workspace, 'Fix rounding', :state, 'needs tests')`,
  workspace_runs: `INSERT INTO workspace_runs (tenant_id, workspace_id, run_type, status) VALUES (:tenant, :workspace, 'jest_test', :state)`,
  assistants: `INSERT INTO assistants (tenant_id, name, slug, type, status) VALUES (:tenant, 'A', :token, 'custom', :state)`,
  work_items: `INSERT INTO work_items (tenant_id, assistant_id, title, status) VALUES (:tenant, :assistant, 'W', :state)`,
  approvals: `INSERT INTO approvals (tenant_id, work_item_id, title, risk_level, status, requested_by, approver_ids,
                                     approved_by, rejected_reason, expires_at)
              VALUES (:tenant, :workItem, 'Pay vendor', 3, :state, :admin, ARRAY[:approver],
                      CASE WHEN :state IN ('approved', 'rejected') THEN :approver END,
                      CASE WHEN :state = 'rejected' THEN 'over budget' END, now() - interval '1 hour')`,
  knowledge_documents: `INSERT INTO knowledge_documents (tenant_id, title, status) VALUES (:tenant, 'd', :state)`,
  knowledge_gaps: `INSERT INTO knowledge_gaps (tenant_id, cluster_id, status) VALUES (:tenant, 1, :state)`,
  unresolved_problems: `INSERT INTO unresolved_problems (tenant_id, description, status) VALUES (:tenant, 'p', :state)`,
  escalations: `INSERT INTO escalations (tenant_id, reason, status) VALUES (:tenant, 'r', :state)`,
  rag_evaluation_runs: `INSERT INTO rag_evaluation_runs (tenant_id, name, status) VALUES (:tenant, 'r', :state)`,
  hallucination_flags: `INSERT INTO hallucination_flags (tenant_id, assistant_id, detection_method, status)
                        VALUES (:tenant, :assistant, 'nli', :state)`,
  subscriptions: `INSERT INTO subscriptions (tenant_id, plan_id, status) VALUES (:tenant, :plan, :state)`,
  invoices: `INSERT INTO invoices (tenant_id, status) VALUES (:tenant, :state)`,
  alerts: `INSERT INTO alerts (tenant_id, name, metric_name, status) VALUES (:tenant, 'a', 'revenue', :state)`,
};

/** Columns an UPDATE of the state sets besides it, because another rule of the table ties them. */
const TIED: Readonly<Record<string, string>> = {
  tenants: `, is_active = (:state = 'active')`,
  approvals: `, approved_by = coalesce(approved_by, :approver), rejected_reason = coalesce(rejected_reason, 'no')`,
  workspace_changesets: `, reviewed_by = :approver`,
};

/**
 * `sql` with its `:name` placeholders as `$n` parameters (each name once, in order of appearance,
 * typed: the state and the token as text, everything else as uuid), and the values for them.
 */
function bind(sql: string, values: Readonly<Record<string, string | null>>): [string, (string | null)[]] {
  const order: string[] = [];
  const text = sql.replace(/(?<!:):([a-zA-Z]+)\b/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for :${name}`);
    if (!order.includes(name)) order.push(name);
    const type = name === 'state' || name === 'token' ? 'text' : 'uuid';
    return `$${order.indexOf(name) + 1}::${type}`;
  });
  return [text, order.map((name) => values[name] ?? null)];
}

let tokens = 0;

/** Inserts one row of `table` in `state` (NULL where the column allows it), returning its id. */
export async function insertInState(
  db: SqlExecutor,
  world: LifecycleWorld,
  table: string,
  state: string | null,
): Promise<string> {
  const sql = INSERTS[table];
  if (sql === undefined) throw new Error(`no lifecycle fixture for ${table}: add one to INSERTS`);
  const token = `lc${++tokens}x${Date.now().toString(36)}`;
  const [text, params] = bind(`${sql} RETURNING id`, { ...world, state, token });
  return id(db, text, params);
}

/** Moves row `rowId` of `table` to `state` (and sets what the table ties to it). */
export async function updateState(
  db: SqlExecutor,
  world: LifecycleWorld,
  table: string,
  column: string,
  rowId: string,
  state: string | null,
): Promise<void> {
  const [text, params] = bind(`UPDATE ${table} SET ${column} = :state${TIED[table] ?? ''} WHERE id = :row`, {
    ...world,
    state,
    row: rowId,
  });
  await db.query(text, params);
}

export const LIFECYCLE_FIXTURE_TABLES: readonly string[] = Object.keys(INSERTS);

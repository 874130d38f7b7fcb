/**
 * The `<machine>.transition` operations (transitions.ts), written once and run on PostgreSQL 15
 * (transitions.pg.test.ts) and on PGlite (transitions.pglite.test.ts): for every lifecycle a person may
 * move, every state × every event a person may trigger: the operation moves the record exactly when the
 * lifecycle allows it (and the database agrees), else it is refused with `invalid_transition` and a
 * sentence saying what may happen from there; plus what moves with the state (who and when), the
 * permission, the event check and the tenant scope.
 *
 * `transitionRow` inserts one record of a machine's table in a given state, with the parents it needs,
 * for this contract and for the local-first comparison in core/outbox.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { isOutpostError } from '../errors.ts';
import { LIFECYCLES, type LifecycleBinding } from '../lifecycles/registry.ts';
import { nextState, REFUSED } from '../lifecycles/state-machine.ts';
import { loadWriteCatalog, type WriteCatalog } from './catalog.ts';
import { mapDatabaseError } from './database-errors.ts';
import { prepareMutation } from './mutation.ts';
import { actorOf, fixturesSql, IDS, type OpenedDatabase } from './operations.testkit.ts';
import { queryRows, type SqlQueryable } from './sql.ts';
import { TRANSITION_OPERATIONS, transitionPermission } from './transitions.ts';
import type { AppliedMutation, MutationActor } from './types.ts';

const uuid = (n: number) => `e1000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Parents the transition tables need, on top of the write operations' fixtures. */
export const PARENTS = {
  connection: uuid(1),
  workflow: uuid(2),
  clientKpi: uuid(3),
} as const;

export function transitionParentsSql(): string {
  return `
    INSERT INTO connections (id, tenant_id, provider, access_token) VALUES ('${PARENTS.connection}', '${IDS.tenant}', 'stripe', 'token');
    INSERT INTO workflows (id, tenant_id, name) VALUES ('${PARENTS.workflow}', '${IDS.tenant}', 'Month end');
    INSERT INTO client_kpis (id, tenant_id, client_id, client_name) VALUES ('${PARENTS.clientKpi}', '${IDS.tenant}', 'c-1', 'Client One');`;
}

let serial = 0;

/** Columns and values (SQL literals) of a new row of `table`, besides id, tenant and state. */
function rowValues(table: string): Record<string, string> {
  const n = ++serial;
  switch (table) {
    case 'tenants':
      return { name: `'Tenant ${n}'`, slug: `'t-${n}-${Date.now().toString(36)}'` };
    case 'data_requests':
      return { request_type: `'export'`, user_id: `'${IDS.admin}'` };
    case 'onboarding_checklist_items':
      return { step: `'profile'` };
    case 'connections':
      return { provider: `'shopify'`, access_token: `'t'` };
    case 'cursor_states':
      return { connection_id: `'${PARENTS.connection}'`, object_type: `'o${n}'` };
    case 'mcp_connectors':
      return { name: `'MCP ${n}'`, server_url: `'https://mcp.test/${n}'` };
    case 'jobs':
      return { job_type: `'sync'` };
    case 'workflows':
      return { name: `'Flow ${n}'` };
    case 'workflow_runs':
      return { workflow_id: `'${PARENTS.workflow}'` };
    case 'script_sync_states':
      return {};
    case 'workspace_runs':
      return { workspace_id: `'${IDS.workspace}'`, run_type: `'jest_test'` };
    case 'assistants':
      return { name: `'Bot ${n}'`, slug: `'bot-${n}'`, type: `'custom'` };
    case 'work_items':
      return { assistant_id: `'${IDS.assistant}'`, title: `'Item ${n}'` };
    case 'knowledge_documents':
      return { title: `'Doc ${n}'` };
    case 'knowledge_gaps':
      return { cluster_id: `${n}` };
    case 'unresolved_problems':
      return { description: `'Problem ${n}'` };
    case 'escalations':
      return { reason: `'Needs a human'` };
    case 'rag_evaluation_runs':
      return { name: `'Run ${n}'` };
    case 'hallucination_flags':
      return { detection_method: `'judge'`, assistant_id: `'${IDS.assistant}'` };
    case 'alerts':
      return { name: `'Alert ${n}'`, metric_name: `'revenue'`, client_kpi_id: `'${PARENTS.clientKpi}'` };
    default:
      throw new Error(`transitionRow: no fixture for ${table}`);
  }
}

/**
 * Inserts one row of the machine's table in `state` (as the writer given: server state on a client)
 * and returns its id. A tenant row is standalone and active exactly when its status is.
 */
export async function transitionRow(
  write: (sql: string) => Promise<void>,
  binding: LifecycleBinding,
  state: string,
): Promise<string> {
  const id = uuid(100_000 + ++serial);
  const values: Record<string, string> = { id: `'${id}'`, ...rowValues(binding.table) };
  values[binding.column] = `'${state}'`;
  if (binding.table === 'tenants') values['is_active'] = state === 'active' ? 'true' : 'false';
  else values['tenant_id'] = `'${IDS.tenant}'`;
  await write(
    `INSERT INTO ${binding.table} (${Object.keys(values).join(', ')}) VALUES (${Object.values(values).join(', ')})`,
  );
  return id;
}

/** The machines the transition operations move. */
export const MOVABLE: readonly LifecycleBinding[] = LIFECYCLES.filter((b) =>
  TRANSITION_OPERATIONS.some((op) => op.name === `${b.lifecycle.name}.transition`),
);

function actorFor(binding: LifecycleBinding, tenants: readonly string[] = [IDS.tenant]): MutationActor {
  return { ...actorOf(IDS.admin, [transitionPermission(binding.table)]), visibleTenantIds: tenants };
}

let seq = 0;
const mutationId = () => `e2000000-0000-4000-8000-${(++seq).toString(16).padStart(12, '0')}`;

export function transitionsContract(open: () => Promise<OpenedDatabase>): void {
  let db: OpenedDatabase;
  let catalog: WriteCatalog;

  beforeAll(async () => {
    db = await open();
    await db.exec(fixturesSql() + transitionParentsSql());
    catalog = await loadWriteCatalog(db.sql);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.sql.query('BEGIN');
  });
  afterEach(async () => {
    await db.sql.query('ROLLBACK');
  });

  const write = async (sql: string) => {
    if (db.serverWrite) await db.serverWrite(sql, []);
    else await db.sql.query(sql);
  };

  const run = (actor: MutationActor, name: string, id: string, values: Record<string, unknown>) => {
    const mutation = { id: mutationId(), name, key: { id }, values };
    const prepared = prepareMutation(mutation, { actor, catalog });
    return db.runNamed ? db.runNamed(mutation, prepared) : prepared.run(db.sql);
  };

  /** The outcome of one attempt: applied, or the code it was refused with (nothing changed). */
  async function attempt(
    actor: MutationActor,
    name: string,
    id: string,
    values: Record<string, unknown>,
  ): Promise<{ applied: AppliedMutation } | { code: string; message: string }> {
    await db.sql.query('SAVEPOINT attempt');
    try {
      const applied = await run(actor, name, id, values);
      await db.sql.query('RELEASE SAVEPOINT attempt');
      return { applied };
    } catch (error) {
      await db.sql.query('ROLLBACK TO SAVEPOINT attempt');
      const known = isOutpostError(error) ? error : mapDatabaseError(error);
      if (!known) throw error;
      return { code: known.code, message: known.message };
    }
  }

  const stateOf = async (sql: SqlQueryable, binding: LifecycleBinding, id: string) =>
    (
      await queryRows<{ s: string }>(
        sql,
        `SELECT ${binding.column}::text AS s FROM ${binding.table} WHERE id = $1`,
        [id],
      )
    )[0]?.s;

  it('covers every lifecycle a person may move, except those with operations of their own', () => {
    expect(MOVABLE.map((b) => `${b.lifecycle.name}.transition`).sort()).toEqual(
      TRANSITION_OPERATIONS.map((op) => op.name).sort(),
    );
    expect(MOVABLE.length).toBeGreaterThanOrEqual(15);
  });

  const cases = MOVABLE.flatMap((binding) =>
    binding.lifecycle.states.flatMap((from) =>
      binding.userEvents.map((event) => [binding.lifecycle.name, from, event, binding] as const),
    ),
  );

  it.each(cases)(
    '%s: %s --%s--> moves exactly when the lifecycle allows it',
    async (machine, from, event, binding) => {
      const tenants = [IDS.tenant];
      const id = await transitionRow(write, binding, from);
      if (binding.table === 'tenants') tenants.push(id);
      const outcome = await attempt(actorFor(binding, tenants), `${machine}.transition`, id, { event });
      const to = nextState(binding.lifecycle, from, event);
      if (to === REFUSED) {
        expect(outcome).toMatchObject({ code: 'invalid_transition' });
        expect('message' in outcome && outcome.message).toMatch(/^This .* is .*, so it cannot .*; /);
        expect(await stateOf(db.sql, binding, id)).toBe(from);
      } else {
        if (!('applied' in outcome))
          throw new Error(`${machine} ${from} --${event}--> refused: ${outcome.message}`);
        expect(outcome.applied.result).toEqual({ id, from, to, event });
        expect(outcome.applied.changes).toMatchObject([
          { action: `${machine}.${event}`, entityType: machine, entityId: id, metadata: { from, to, event } },
        ]);
        expect(await stateOf(db.sql, binding, id)).toBe(to);
      }
    },
  );

  const bindingOf = (machine: string) => {
    const found = MOVABLE.find((b) => b.lifecycle.name === machine);
    if (!found) throw new Error(`no movable lifecycle ${machine}`);
    return found;
  };

  it('records who moved a record and when, where the table says so', async () => {
    const flag = bindingOf('hallucination_flag');
    const flagId = await transitionRow(write, flag, 'pending');
    await run(actorFor(flag), 'hallucination_flag.transition', flagId, { event: 'confirm', note: 'made up' });
    const [reviewed] = await queryRows<Record<string, unknown>>(
      db.sql,
      `SELECT status, reviewed_by::text AS by, reviewed_at IS NOT NULL AS at FROM hallucination_flags WHERE id = $1`,
      [flagId],
    );
    expect(reviewed).toEqual({ status: 'confirmed', by: IDS.admin, at: true });

    const escalation = bindingOf('escalation');
    const escalationId = await transitionRow(write, escalation, 'pending');
    await run(actorFor(escalation), 'escalation.transition', escalationId, { event: 'assign' });
    const [assigned] = await queryRows<{ to: string }>(
      db.sql,
      `SELECT assigned_to::text AS to FROM escalations WHERE id = $1`,
      [escalationId],
    );
    expect(assigned?.to).toBe(IDS.admin);

    const tenant = bindingOf('tenant');
    const tenantId = await transitionRow(write, tenant, 'active');
    await run(actorFor(tenant, [IDS.tenant, tenantId]), 'tenant.transition', tenantId, { event: 'suspend' });
    const [suspended] = await queryRows<Record<string, unknown>>(
      db.sql,
      `SELECT status, is_active FROM tenants WHERE id = $1`,
      [tenantId],
    );
    expect(suspended).toEqual({ status: 'suspended', is_active: false });
  });

  it('refuses before anything runs: the permission, an event nobody may trigger, another tenant’s record', async () => {
    const workItem = bindingOf('work_item');
    const id = await transitionRow(write, workItem, 'backlog');
    const noPermission = await attempt(
      { ...actorFor(workItem), permissions: new Set(['work_items:read']) },
      'work_item.transition',
      id,
      { event: 'cancel' },
    );
    expect(noPermission).toMatchObject({ code: 'forbidden' });
    const workerEvent = await attempt(actorFor(workItem), 'work_item.transition', id, { event: 'complete' });
    expect(workerEvent).toMatchObject({ code: 'validation' });
    expect('message' in workerEvent && workerEvent.message).toContain('the choices are retry or cancel');
    const elsewhere = await attempt(actorFor(workItem, [IDS.other]), 'work_item.transition', id, {
      event: 'cancel',
    });
    expect(elsewhere).toMatchObject({ code: 'not_found' });
    const extra = await attempt(actorFor(workItem), 'work_item.transition', id, { event: 'cancel', to: 'x' });
    expect(extra).toMatchObject({ code: 'validation' });
    expect(await stateOf(db.sql, workItem, id)).toBe('backlog');
  });

  it('says what may happen from a state, in words', async () => {
    const workItem = bindingOf('work_item');
    const id = await transitionRow(write, workItem, 'completed');
    const refused = await attempt(actorFor(workItem), 'work_item.transition', id, { event: 'cancel' });
    expect(refused).toEqual({
      code: 'invalid_transition',
      message: 'This work item is completed, so it cannot cancel; completed is final.',
    });
    const backlog = await transitionRow(write, workItem, 'backlog');
    const wrong = await attempt(actorFor(workItem), 'work_item.transition', backlog, { event: 'retry' });
    expect(wrong).toEqual({
      code: 'invalid_transition',
      message: 'This work item is backlog, so it cannot retry; from here you can cancel.',
    });
  });
}

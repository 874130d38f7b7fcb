/**
 * Every lifecycle transition operation (common/mutations/transitions.ts) run optimistically on a
 * client's local database does what the server does: the same result and the same row, as one named
 * outbox mutation whose effects touch only the operation's table; and a refused move leaves nothing
 * changed or queued. The server side is the shared schema on PGlite (as in local-operation.pglite.test.ts).
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWriteCatalog } from '../../common/mutations/catalog.ts';
import { prepareMutation } from '../../common/mutations/mutation.ts';
import { actorOf, fixturesSql, IDS } from '../../common/mutations/operations.testkit.ts';
import { MOVABLE, transitionParentsSql, transitionRow } from '../../common/mutations/transitions.testkit.ts';
import { transitionPermission } from '../../common/mutations/transitions.ts';
import { allowedUserEvents } from '../../common/lifecycles/registry.ts';
import { asServerState, createLocalPGlite, createMigratedPGlite } from '../../scripts/testing/migrated.ts';
import { runLocalNamedMutation } from './local-operation.ts';
import { allMutations, toWireMutation } from './outbox.ts';

let seq = 0;
const newMutationId = () => `d1000000-0000-4000-8000-${(++seq).toString(16).padStart(12, '0')}`;

describe('lifecycle transitions run locally as the server runs them', () => {
  let central: PGlite;
  let local: PGlite;

  beforeAll(async () => {
    [central, local] = await Promise.all([createMigratedPGlite(), createLocalPGlite()]);
    await central.exec(fixturesSql() + transitionParentsSql());
    await asServerState(local, (tx) => tx.exec(fixturesSql() + transitionParentsSql()));
  });
  afterAll(async () => {
    await Promise.all([central?.close(), local?.close()]);
  });

  const movable = MOVABLE.map((b) => [b.lifecycle.name, b] as const);

  it.each(movable)('%s: the server’s result and row, one named outbox mutation', async (machine, binding) => {
    const from = binding.lifecycle.states.find((s) => allowedUserEvents(binding, s).length > 0);
    const event = from ? allowedUserEvents(binding, from)[0]?.event : undefined;
    if (!from || !event) throw new Error(`${machine}: no state a person can move`);
    // The same row on both sides (server state on the client).
    let insert = '';
    const id = await transitionRow(
      async (sql) => {
        insert = sql;
        await central.query(sql);
      },
      binding,
      from,
    );
    await asServerState(local, (tx) => tx.query(insert));
    const tenants = binding.table === 'tenants' ? [IDS.tenant, id] : [IDS.tenant];
    const actor = { ...actorOf(IDS.admin, [transitionPermission(binding.table)]), visibleTenantIds: tenants };
    const call = { id: newMutationId(), name: `${machine}.transition`, key: { id }, values: { event } };
    const row = async (db: PGlite) =>
      (
        await db.query<Record<string, unknown>>(
          `SELECT to_jsonb(t) - 'created_at' - 'updated_at' - 'reviewed_at' - 'completed_at' - 'resolved_at' - 'started_at' AS row
             FROM ${binding.table} t WHERE id = $1`,
          [id],
        )
      ).rows[0]?.['row'];

    await central.query('BEGIN');
    let expected: Record<string, unknown>;
    try {
      const applied = await prepareMutation(call, { actor, catalog: await loadWriteCatalog(central) }).run(
        central,
      );
      expected = { result: applied.result, row: await row(central) };
    } finally {
      await central.query('ROLLBACK');
    }

    const before = (await allMutations(local)).length;
    const outcome = await runLocalNamedMutation(local, actor, call);
    expect({ result: outcome.result, row: await row(local) }).toEqual(expected);
    const queued = await allMutations(local);
    expect(queued.length).toBe(before + 1);
    expect(toWireMutation(queued[queued.length - 1]!)).toEqual({
      id: call.id,
      name: call.name,
      key: call.key,
      values: call.values,
    });
    const { rows } = await local.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM outbox.effects WHERE mutation_id = $1`,
      [call.id],
    );
    expect(rows.map((r) => r.table_name)).toEqual([binding.table]);
  });

  it('refuses a move the lifecycle does not allow, leaving nothing changed or queued', async () => {
    const workItem = MOVABLE.find((b) => b.table === 'work_items')!;
    const id = await transitionRow(
      (sql) => asServerState(local, async (tx) => void (await tx.query(sql))),
      workItem,
      'completed',
    );
    const before = await allMutations(local);
    await expect(
      runLocalNamedMutation(local, actorOf(IDS.admin, ['work_items:write']), {
        name: 'work_item.transition',
        key: { id },
        values: { event: 'cancel' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_transition' });
    expect(await allMutations(local)).toEqual(before);
    const { rows } = await local.query<{ status: string }>(`SELECT status FROM work_items WHERE id = $1`, [
      id,
    ]);
    expect(rows).toEqual([{ status: 'completed' }]);
  });
});

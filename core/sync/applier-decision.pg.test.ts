/**
 * A decision made on the device while another decision of the same approval reaches it through sync,
 * with the real applier (@electric-sql/pglite-sync fed by a real sync server over PostgreSQL 15):
 * the server's row is stored as server state under the pending decision, and when the server refuses
 * the device's decision, the device shows the winner. (The same order without the applier:
 * core/outbox/approval-races.pglite.test.ts.)
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, fixturesSql, IDS } from '../../common/mutations/operations.testkit.ts';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import type { TestDatabase } from '../../scripts/testing/postgres.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import { eventually } from '../../scripts/testing/eventually.ts';
import {
  createMigratedSyncPGlite,
  syncWholeTables,
  type SyncPGlite,
} from '../../scripts/testing/synced-schema.ts';
import { runLocalNamedMutation } from '../outbox/local-operation.ts';
import { rejectMutation } from '../outbox/outbox.ts';

const TABLES = [
  'tenants',
  'users',
  'assistants',
  'work_items',
  'approvals',
  'approval_decisions',
  'approval_delegations',
  'approval_policies',
].map((name) => ({ name, primaryKey: ['id'] }));

describe('a decision on the device while the winner arrives through sync', () => {
  let db: TestDatabase;
  let central: pg.Client;
  let sync: TestSyncServer;
  let local: SyncPGlite;
  let subscription: { unsubscribe(): void } | undefined;
  const errors: unknown[] = [];

  const onDevice = async (table: 'synced.approvals' | 'approvals') =>
    (
      await local.query<{ status: string; by: string | null }>(
        `SELECT status, approved_by::text AS by FROM ${table} WHERE id = $1`,
        [IDS.pending],
      )
    ).rows[0];

  beforeAll(async () => {
    db = await createMigratedTestDatabase('applier_decision');
    central = new pg.Client({ connectionString: db.url });
    await central.connect();
    await central.query(fixturesSql());
    sync = await startTestSyncServer(db.url);
    local = await createMigratedSyncPGlite();
    subscription = await syncWholeTables(local, sync.shapeUrl, TABLES, 'decision-test', errors);
    await eventually(
      async () => (await onDevice('approvals'))?.status === 'pending',
      'the initial sync',
      30_000,
    );
  }, 120_000);

  afterAll(async () => {
    subscription?.unsubscribe();
    await local?.close();
    await sync?.stop();
    await central?.end();
    await db?.drop();
  });

  it('stores the winner under the pending decision, and shows it once the decision is refused', async () => {
    const mine = await runLocalNamedMutation(local, actorOf(IDS.approver), {
      name: 'approval.decide',
      key: { id: IDS.pending },
      values: { decision: 'approve' },
    });
    expect(await onDevice('approvals')).toMatchObject({ status: 'approved', by: IDS.approver });
    await central.query(
      `UPDATE approvals SET status = 'rejected', approved_by = $2, rejected_reason = 'Budget frozen' WHERE id = $1`,
      [IDS.pending, IDS.admin],
    );
    await eventually(
      async () => (await onDevice('synced.approvals'))?.status === 'rejected',
      'the winner in server state',
      30_000,
    );
    expect(errors).toEqual([]);
    await rejectMutation(local, mine.id, { code: 'conflict', message: 'Approval is already rejected.' });
    expect(await onDevice('approvals')).toMatchObject({ status: 'rejected', by: IDS.admin });
  });
});

/**
 * The real applier against the local write path: @electric-sql/pglite-sync, fed by a real sync server
 * over a real PostgreSQL 15, writes server state into synced.<t> (applierTarget) while local writes
 * through the views stay visible on top; an acknowledged write's local state goes when its txid
 * arrives through sync; a rejected one is undone. (must-refetch.pg.test.ts: a must-refetch.)
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import type { TestDatabase } from '../../scripts/testing/postgres.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import { eventually } from '../../scripts/testing/eventually.ts';
import {
  createMigratedSyncPGlite,
  syncWholeTables,
  type SyncPGlite,
} from '../../scripts/testing/synced-schema.ts';
import { acknowledgeMutation, allMutations, pendingMutations, rejectMutation } from '../outbox/outbox.ts';

const TENANT = '60000000-0000-4000-8000-000000000001';
const A = '60000000-0000-4000-8000-00000000000a';
const B = '60000000-0000-4000-8000-00000000000b';
const C = '60000000-0000-4000-8000-00000000000c';
const D = '60000000-0000-4000-8000-00000000000d';
const TABLES = [
  { name: 'tenants', primaryKey: ['id'] },
  { name: 'workflows', primaryKey: ['id'] },
];

const until = (check: () => Promise<boolean>, what: string, timeoutMs = 20_000) =>
  eventually(check, what, timeoutMs);

describe('pglite-sync writing server state under local writes', () => {
  let db: TestDatabase;
  let central: pg.Client;
  let sync: TestSyncServer;
  let local: SyncPGlite;
  let subscription: { unsubscribe(): void } | undefined;
  const errors: unknown[] = [];

  const workflows = async () =>
    (
      await local.query<{ id: string; name: string; status: string }>(
        `SELECT id, name, status FROM workflows ORDER BY id`,
      )
    ).rows;
  const centralWorkflows = async () =>
    (
      await central.query<{ id: string; name: string; status: string }>(
        `SELECT id, name, status FROM workflows ORDER BY id`,
      )
    ).rows;

  /** What the write API does for a plain write: apply it and report the transaction's 32-bit xid. */
  async function applyCentrally(sql: string, params: unknown[]): Promise<number> {
    await central.query('BEGIN');
    try {
      await central.query(sql, params);
      const { rows } = await central.query<{ txid: string }>(
        `SELECT pg_current_xact_id()::xid::text AS txid`,
      );
      await central.query('COMMIT');
      return Number(rows[0]?.txid);
    } catch (error) {
      await central.query('ROLLBACK');
      throw error;
    }
  }

  beforeAll(async () => {
    db = await createMigratedTestDatabase('applier');
    central = new pg.Client({ connectionString: db.url });
    await central.connect();
    await central.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Acme', 'acme')`, [TENANT]);
    await central.query(
      `INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $4, 'a'), ($2, $4, 'b'), ($3, $4, 'c')`,
      [A, B, C, TENANT],
    );
    sync = await startTestSyncServer(db.url);
    local = await createMigratedSyncPGlite();
    subscription = await syncWholeTables(local, sync.shapeUrl, TABLES, 'applier-test', errors);
    await until(async () => (await workflows()).length === 3, 'the initial sync');
  });

  afterAll(async () => {
    subscription?.unsubscribe();
    await local?.close();
    await sync?.stop();
    await central?.end();
    await db?.drop();
  });

  it('writes into synced.<t>; the views show it', async () => {
    expect((await local.query(`SELECT count(*)::int AS n FROM synced.workflows`)).rows).toEqual([{ n: 3 }]);
    expect(await workflows()).toEqual(await centralWorkflows());
    expect(errors).toEqual([]);
  });

  it('keeps local writes visible while server changes arrive, and settles them when their txid does', async () => {
    await local.query(`UPDATE workflows SET name = 'a (local)' WHERE id = $1`, [A]);
    await local.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'd (local)')`, [
      D,
      TENANT,
    ]);
    // Another client archives A meanwhile: its status arrives, our name stays on top.
    await central.query(`UPDATE workflows SET status = 'archived' WHERE id = $1`, [A]);
    await until(
      async () => (await workflows()).find((w) => w.id === A)?.status === 'archived',
      'the concurrent change',
    );
    expect((await workflows()).find((w) => w.id === A)).toMatchObject({
      name: 'a (local)',
      status: 'archived',
    });
    expect((await workflows()).map((w) => w.id)).toEqual([A, B, C, D]);

    // Upload: the server applies both in one transaction and answers with its txid.
    const [update, insert] = await pendingMutations(local);
    const txid = await applyCentrally(
      `WITH u AS (UPDATE workflows SET name = 'a (local)' WHERE id = $1)
       INSERT INTO workflows (id, tenant_id, name) VALUES ($2, $3, 'd (local)')`,
      [A, D, TENANT],
    );
    await acknowledgeMutation(local, update!.id, { txid });
    await acknowledgeMutation(local, insert!.id, { txid });
    await until(async () => (await allMutations(local)).length === 0, 'the acknowledged writes to settle');
    expect(await workflows()).toEqual(await centralWorkflows());
    expect(
      (await local.query(`SELECT _synced_txid::int AS t FROM synced.workflows WHERE id = $1`, [D])).rows,
    ).toEqual([{ t: txid }]);
    expect((await local.query(`SELECT count(*)::int AS n FROM outbox.effects`)).rows).toEqual([{ n: 0 }]);
  });

  it('undoes a rejected write and keeps following the server', async () => {
    await local.query(`UPDATE workflows SET name = 'b (refused)' WHERE id = $1`, [B]);
    const [m] = await pendingMutations(local);
    await rejectMutation(local, m!.id, { code: 'forbidden', message: 'not yours' });
    expect((await workflows()).find((w) => w.id === B)?.name).toBe('b');
    await central.query(`UPDATE workflows SET name = 'b (server)' WHERE id = $1`, [B]);
    await until(
      async () => (await workflows()).find((w) => w.id === B)?.name === 'b (server)',
      'the server change',
    );
  });
});

/**
 * A must-refetch under pending local writes, with the real applier: the central table is truncated, the
 * sync server invalidates the shape, pglite-sync deletes synced.<t> and loads the new snapshot in one
 * transaction; pending local writes stay (a local insert stays visible, a local update shows again on the
 * refetched row), and stay queued.
 *
 * Its own file (its own process): after live changes, the sync server's re-snapshot of a truncated table
 * currently fails with an uncaught RangeError in pg-copy-streams (OffsetBuffer.take), independently of
 * the local schema, so this must-refetch runs before any live change of the server.
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
import { pendingMutations } from '../outbox/outbox.ts';

const TENANT = '61000000-0000-4000-8000-000000000001';
const C = '61000000-0000-4000-8000-00000000000c';
const E = '61000000-0000-4000-8000-00000000000e';

const until = (check: () => Promise<boolean>, what: string, timeoutMs = 20_000) =>
  eventually(check, what, timeoutMs);

describe('a must-refetch under pending local writes', () => {
  let db: TestDatabase;
  let central: pg.Client;
  let sync: TestSyncServer;
  let local: SyncPGlite;
  let subscription: { unsubscribe(): void } | undefined;
  const errors: unknown[] = [];

  const workflows = async () =>
    (await local.query<{ id: string; name: string }>(`SELECT id, name FROM workflows ORDER BY id`)).rows;

  beforeAll(async () => {
    db = await createMigratedTestDatabase('refetch');
    central = new pg.Client({ connectionString: db.url });
    await central.connect();
    await central.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Acme', 'acme')`, [TENANT]);
    await central.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'c')`, [C, TENANT]);
    sync = await startTestSyncServer(db.url);
    local = await createMigratedSyncPGlite();
    subscription = await syncWholeTables(
      local,
      sync.shapeUrl,
      [
        { name: 'tenants', primaryKey: ['id'] },
        { name: 'workflows', primaryKey: ['id'] },
      ],
      'refetch-test',
      errors,
    );
    await until(async () => (await workflows()).length === 1, 'the initial sync');
  });

  afterAll(async () => {
    subscription?.unsubscribe();
    await local?.close();
    await sync?.stop();
    await central?.end();
    await db?.drop();
  });

  it('keeps pending local writes through a must-refetch', async () => {
    await local.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'e (local)')`, [
      E,
      TENANT,
    ]);
    await local.query(`UPDATE workflows SET name = 'c (local)' WHERE id = $1`, [C]);
    await central.query(`TRUNCATE workflows CASCADE`);
    await central.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'c (after)')`, [
      C,
      TENANT,
    ]);
    await until(
      async () =>
        (await local.query<{ name: string }>(`SELECT name FROM synced.workflows`)).rows
          .map((r) => r.name)
          .join() === 'c (after)',
      'the refetched shape',
    );
    expect(await workflows()).toEqual([
      { id: C, name: 'c (local)' },
      { id: E, name: 'e (local)' },
    ]);
    expect((await pendingMutations(local)).map((m) => m.op)).toEqual(['insert', 'update']);
    expect(errors).toEqual([]);
  });
});

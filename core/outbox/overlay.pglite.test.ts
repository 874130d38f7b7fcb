/**
 * The local write path on representative tables (a real PGlite with the local schema): what the public
 * views show for every sequence of local writes and server changes, what the outbox records, and how
 * acknowledgements, sync and rejections settle it.
 *
 *   workflows            full CRUD of its name and steps (its status moves only by named operations)
 *   approvals            insert of listed columns only; decided by a named mutation (lifecycle trigger)
 *   roles                a generated column (scope_id) and a UNIQUE NULLS NOT DISTINCT key
 *   knowledge_documents  a vector(1024) column with an HNSW index
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { runNamedMutation } from './named-mutation.ts';
import {
  acknowledgeMutation,
  allMutations,
  dismissRejection,
  markUploading,
  openRejections,
  outboxCounts,
  pendingMutations,
  rejectMutation,
  settleThroughSubscriptions,
  toWireMutation,
} from './outbox.ts';

const TENANT = '10000000-0000-4000-8000-000000000001';
const USER = '10000000-0000-4000-8000-000000000002';
const ASSISTANT = '10000000-0000-4000-8000-000000000003';
const WORK_ITEM = '10000000-0000-4000-8000-000000000004';
const APPROVAL = '10000000-0000-4000-8000-000000000005';
const WF_SYNCED = '20000000-0000-4000-8000-000000000001';
const WF_LOCAL = '20000000-0000-4000-8000-000000000002';

async function seedServerState(db: PGlite): Promise<void> {
  await asServerState(db, async (tx) => {
    await tx.exec(`
      INSERT INTO tenants (id, name, slug) VALUES ('${TENANT}', 'Acme', 'acme');
      INSERT INTO users (id, tenant_id, email) VALUES ('${USER}', '${TENANT}', 'ada@acme.test');
      INSERT INTO assistants (id, tenant_id, name, slug, type) VALUES ('${ASSISTANT}', '${TENANT}', 'Ops', 'ops', 'custom');
      INSERT INTO work_items (id, tenant_id, assistant_id, title) VALUES ('${WORK_ITEM}', '${TENANT}', '${ASSISTANT}', 'Close May');
      INSERT INTO approvals (id, tenant_id, work_item_id, title, risk_level, requested_by, approver_ids, expires_at)
        VALUES ('${APPROVAL}', '${TENANT}', '${WORK_ITEM}', 'Post journal', 3, '${USER}', ARRAY['${USER}']::uuid[],
                '2099-01-01 00:00:00+00');
      INSERT INTO workflows (id, tenant_id, name, created_at, updated_at)
        VALUES ('${WF_SYNCED}', '${TENANT}', 'synced flow', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');
    `);
  });
}

/** The server's copy of a row arriving through sync, as pglite-sync writes it (txid from the message). */
async function serverWrites(db: PGlite, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx: Transaction) => {
    await tx.exec(`SET LOCAL electric.syncing = true`);
    await tx.query(sql, params);
  });
}

const names = async (db: PGlite) =>
  (await db.query<{ name: string }>(`SELECT name FROM workflows ORDER BY name`)).rows.map((r) => r.name);
const workflow = async (db: PGlite, id: string) =>
  (await db.query<Record<string, unknown>>(`SELECT * FROM workflows WHERE id = $1`, [id])).rows[0];
const effects = async (db: PGlite) =>
  (
    await db.query<{ table_name: string; op: string; row_values: Record<string, unknown> }>(
      `SELECT table_name, op, row_values FROM outbox.effects ORDER BY seq`,
    )
  ).rows;

describe('the local write path', () => {
  let db: PGlite;

  beforeEach(async () => {
    db = await createLocalPGlite();
    await seedServerState(db);
  });
  afterEach(async () => {
    await db?.close();
  });

  describe('reads through a view', () => {
    it('shows a local insert, and records it as one pending mutation in wire form', async () => {
      const { rows } = await db.query<{ id: string; status: string; steps: unknown }>(
        `INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'local flow') RETURNING id, status, steps`,
        [WF_LOCAL, TENANT],
      );
      // Defaults of the table apply through the view, and RETURNING shows the stored row.
      expect(rows).toEqual([{ id: WF_LOCAL, status: 'active', steps: [] }]);
      expect(await names(db)).toEqual(['local flow', 'synced flow']);
      expect((await db.query(`SELECT 1 FROM synced.workflows WHERE id = $1`, [WF_LOCAL])).rows).toEqual([]);
      const [m] = await pendingMutations(db);
      expect(m).toMatchObject({ table: 'workflows', op: 'insert', key: { id: WF_LOCAL }, status: 'pending' });
      expect(toWireMutation(m!)).toEqual({
        id: m!.id,
        table: 'workflows',
        op: 'insert',
        key: { id: WF_LOCAL },
        values: expect.objectContaining({
          id: WF_LOCAL,
          tenant_id: TENANT,
          name: 'local flow',
          steps: [],
        }) as unknown,
      });
    });

    it('overlays an update of a synced row on the columns it changed; server state stays as it was', async () => {
      await db.query(`UPDATE workflows SET name = 'renamed' WHERE id = $1`, [WF_SYNCED]);
      expect((await workflow(db, WF_SYNCED))?.['name']).toBe('renamed');
      expect((await db.query(`SELECT name FROM synced.workflows WHERE id = $1`, [WF_SYNCED])).rows).toEqual([
        { name: 'synced flow' },
      ]);
      const [m] = await pendingMutations(db);
      expect(m).toMatchObject({ op: 'update', key: { id: WF_SYNCED }, values: { name: 'renamed' } });
    });

    it('keeps a server change to another column of a locally updated row (column-level merge)', async () => {
      await db.query(`UPDATE workflows SET name = 'renamed' WHERE id = $1`, [WF_SYNCED]);
      await serverWrites(
        db,
        `UPDATE synced.workflows SET status = 'archived', _synced_txid = 900 WHERE id = $1`,
        [WF_SYNCED],
      );
      expect(await workflow(db, WF_SYNCED)).toMatchObject({ name: 'renamed', status: 'archived' });
      // The server's change of the locally changed column waits until the server has our write.
      await serverWrites(
        db,
        `UPDATE synced.workflows SET name = 'server name', _synced_txid = 901 WHERE id = $1`,
        [WF_SYNCED],
      );
      expect(await workflow(db, WF_SYNCED)).toMatchObject({ name: 'renamed', status: 'archived' });
    });

    it('updates a locally inserted row: one row in the view, an insert and an update in the outbox', async () => {
      await db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'draft')`, [
        WF_LOCAL,
        TENANT,
      ]);
      await db.query(`UPDATE workflows SET name = 'final' WHERE id = $1`, [WF_LOCAL]);
      expect(await names(db)).toEqual(['final', 'synced flow']);
      expect((await pendingMutations(db)).map((m) => [m.op, m.values?.['name']])).toEqual([
        ['insert', 'draft'],
        ['update', 'final'],
      ]);
    });

    it('deletes a synced row locally (hidden until the server deletes it) and a locally inserted one', async () => {
      await db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'temp')`, [
        WF_LOCAL,
        TENANT,
      ]);
      const deleted = await db.query(`DELETE FROM workflows WHERE id = ANY ($1::uuid[]) RETURNING name`, [
        [WF_SYNCED, WF_LOCAL],
      ]);
      expect(deleted.rows).toHaveLength(2);
      expect(await names(db)).toEqual([]);
      expect((await db.query(`SELECT count(*)::int AS n FROM synced.workflows`)).rows).toEqual([{ n: 1 }]);
      expect((await pendingMutations(db)).map((m) => [m.op, m.key])).toEqual([
        ['insert', { id: WF_LOCAL }],
        ['delete', { id: WF_SYNCED }],
        ['delete', { id: WF_LOCAL }],
      ]);
      // A server update of the locally deleted row does not bring it back.
      await serverWrites(db, `UPDATE synced.workflows SET name = 'edited elsewhere' WHERE id = $1`, [
        WF_SYNCED,
      ]);
      expect(await names(db)).toEqual([]);
      // Inserting the key again after the local delete is allowed (a new row).
      await db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'again')`, [
        WF_SYNCED,
        TENANT,
      ]);
      expect(await names(db)).toEqual(['again']);
    });

    it('orders repeated edits: every write is its own mutation, the view shows their fold', async () => {
      for (const name of ['one', 'two', 'three'])
        await db.query(`UPDATE workflows SET name = $2 WHERE id = $1`, [WF_SYNCED, name]);
      await db.query(`UPDATE workflows SET steps = '["review"]' WHERE id = $1`, [WF_SYNCED]);
      expect(await workflow(db, WF_SYNCED)).toMatchObject({ name: 'three', steps: ['review'] });
      const pending = await pendingMutations(db);
      expect(pending.map((m) => m.values)).toEqual([
        { name: 'one' },
        { name: 'two' },
        { name: 'three' },
        { steps: ['review'] },
      ]);
      expect(pending.map((m) => m.seq)).toEqual([...pending.map((m) => m.seq)].sort((a, b) => a - b));
    });

    it('records nothing for an update that changes nothing', async () => {
      await db.query(`UPDATE workflows SET name = name WHERE id = $1`, [WF_SYNCED]);
      expect(await allMutations(db)).toEqual([]);
    });

    it('groups the writes of one local transaction', async () => {
      await db.transaction(async (tx) => {
        await tx.query(`UPDATE workflows SET name = 'a' WHERE id = $1`, [WF_SYNCED]);
        await tx.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'b')`, [
          WF_LOCAL,
          TENANT,
        ]);
      });
      await db.query(`UPDATE workflows SET name = 'c' WHERE id = $1`, [WF_SYNCED]);
      const txids = (await pendingMutations(db)).map((m) => m.localTxid);
      expect(txids[0]).toBe(txids[1]);
      expect(txids[2]).not.toBe(txids[0]);
    });

    it('keeps column types exact through effects (re-derivation gives back the written row)', async () => {
      // Inside a named mutation every column may be written (the mechanics, whatever the plain rule).
      await runNamedMutation(db, { name: 'test.types' }, (sql) =>
        sql.query(
          `INSERT INTO knowledge_documents (tenant_id, title, tags, metadata, embedding, created_at)
           VALUES ($1, 'quotes "and" \\ backslashes', ARRAY['a,b', NULL, '{x}'], '{"n": 1.50, "z": [null]}',
                   (SELECT array_agg(g / 7.0)::vector FROM generate_series(1, 1024) g), '2026-02-03 04:05:06.789+02')`,
          [TENANT],
        ),
      );
      const read = () =>
        db.query(
          `SELECT title, tags::text, metadata::text, embedding::text, created_at::text FROM knowledge_documents`,
        );
      const before = (await read()).rows;
      const { rows } = await db.query<{ table_name: string; key: unknown }>(
        `SELECT table_name, key FROM outbox.effects`,
      );
      await db.query(`SELECT outbox.rederive($1, $2)`, [rows[0]?.table_name, rows[0]?.key]);
      expect((await read()).rows).toEqual(before);
    });
  });

  describe('settling', () => {
    it('keeps an acknowledged write visible until sync brings the row with its txid, then shows server state', async () => {
      await db.query(`UPDATE workflows SET name = 'renamed' WHERE id = $1`, [WF_SYNCED]);
      const [m] = await pendingMutations(db);
      await markUploading(db, [m!.id]);
      await acknowledgeMutation(db, m!.id, { txid: 1000 });
      expect((await allMutations(db)).map((x) => x.status)).toEqual(['acknowledged']);
      // An older transaction's change does not settle it.
      await serverWrites(
        db,
        `UPDATE synced.workflows SET status = 'archived', _synced_txid = 999 WHERE id = $1`,
        [WF_SYNCED],
      );
      expect(await workflow(db, WF_SYNCED)).toMatchObject({ name: 'renamed', status: 'archived' });
      expect(await allMutations(db)).toHaveLength(1);
      // The server's copy (written by our mutation's transaction) settles it.
      await serverWrites(
        db,
        `UPDATE synced.workflows SET name = 'renamed (server)', _synced_txid = 1000 WHERE id = $1`,
        [WF_SYNCED],
      );
      expect(await workflow(db, WF_SYNCED)).toMatchObject({ name: 'renamed (server)', status: 'archived' });
      expect(await allMutations(db)).toEqual([]);
      expect(await effects(db)).toEqual([]);
    });

    it('settles at once when sync was faster than the acknowledgement', async () => {
      await db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'new')`, [
        WF_LOCAL,
        TENANT,
      ]);
      const [m] = await pendingMutations(db);
      await serverWrites(
        db,
        `INSERT INTO synced.workflows (id, tenant_id, name, _synced_txid) VALUES ($1, $2, 'new (server)', 77)`,
        [WF_LOCAL, TENANT],
      );
      // Still pending: the local row wins over the server's copy until the mutation is acknowledged.
      expect((await workflow(db, WF_LOCAL))?.['name']).toBe('new');
      await acknowledgeMutation(db, m!.id, { txid: 77 });
      expect((await workflow(db, WF_LOCAL))?.['name']).toBe('new (server)');
      expect(await allMutations(db)).toEqual([]);
    });

    it('settles a delete when the server deletes the row, and treats xids modulo 2^32', async () => {
      await db.query(`DELETE FROM workflows WHERE id = $1`, [WF_SYNCED]);
      const [m] = await pendingMutations(db);
      await acknowledgeMutation(db, m!.id, { txid: 4294967290 });
      await serverWrites(db, `DELETE FROM synced.workflows WHERE id = $1`, [WF_SYNCED]);
      expect(await allMutations(db)).toEqual([]);
      expect(await names(db)).toEqual([]);
      // Wrap-around: xid 5 comes after 4294967290.
      await db.query(`UPDATE approvals SET title = 'x' WHERE false`);
      expect(
        (
          await db.query(
            `SELECT outbox.xid_reached(5, 4294967290) AS a, outbox.xid_reached(4294967290, 5) AS b`,
          )
        ).rows,
      ).toEqual([{ a: true, b: false }]);
    });

    it('settles when an older xid that committed later wrote the row after ours', async () => {
      await db.query(`UPDATE workflows SET name = 'ours' WHERE id = $1`, [WF_SYNCED]);
      const [m] = await pendingMutations(db);
      // Both arrive before the acknowledgement: ours (xid 600), then another client's (xid 599).
      await serverWrites(db, `UPDATE synced.workflows SET name = 'ours', _synced_txid = 600 WHERE id = $1`, [
        WF_SYNCED,
      ]);
      await serverWrites(
        db,
        `UPDATE synced.workflows SET status = 'archived', _synced_txid = 599 WHERE id = $1`,
        [WF_SYNCED],
      );
      await acknowledgeMutation(db, m!.id, { txid: 600 });
      expect(await allMutations(db)).toEqual([]);
      expect(await workflow(db, WF_SYNCED)).toMatchObject({ name: 'ours', status: 'archived' });
    });

    it('keeps later pending writes of a key when an earlier acknowledged one settles', async () => {
      await db.query(`UPDATE workflows SET name = 'first' WHERE id = $1`, [WF_SYNCED]);
      const [first] = await pendingMutations(db);
      await acknowledgeMutation(db, first!.id, { txid: 500 });
      await db.query(`UPDATE workflows SET steps = '["review"]' WHERE id = $1`, [WF_SYNCED]);
      await serverWrites(db, `UPDATE synced.workflows SET name = 'first', _synced_txid = 500 WHERE id = $1`, [
        WF_SYNCED,
      ]);
      expect(await workflow(db, WF_SYNCED)).toMatchObject({ name: 'first', steps: ['review'] });
      expect((await allMutations(db)).map((m) => m.values)).toEqual([{ steps: ['review'] }]);
    });

    it('keeps pending writes through a must-refetch (pglite-sync deletes the table and reloads it)', async () => {
      await db.query(`UPDATE workflows SET name = 'renamed' WHERE id = $1`, [WF_SYNCED]);
      await db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'local')`, [
        WF_LOCAL,
        TENANT,
      ]);
      await db.transaction(async (tx) => {
        await tx.exec(`SET LOCAL electric.syncing = true`);
        await tx.exec(`DELETE FROM "synced"."workflows"`);
        await tx.query(
          `INSERT INTO "synced"."workflows" (id, tenant_id, name, status) VALUES ($1, $2, 'refetched', 'archived')`,
          [WF_SYNCED, TENANT],
        );
      });
      expect((await db.query(`SELECT id, name, status FROM workflows ORDER BY name`)).rows).toEqual([
        { id: WF_LOCAL, name: 'local', status: 'active' },
        { id: WF_SYNCED, name: 'renamed', status: 'archived' },
      ]);
      expect(await pendingMutations(db)).toHaveLength(2);
    });

    it('settles writes acknowledged with an LSN once every subscription has applied it', async () => {
      await db.query(`UPDATE workflows SET name = 'lsn' WHERE id = $1`, [WF_SYNCED]);
      const [m] = await pendingMutations(db);
      await acknowledgeMutation(db, m!.id, { txid: 31, lsn: '0/2000' });
      expect(await settleThroughSubscriptions(db)).toBe(0);
      // pglite-sync's metadata table, as it creates it, with two subscriptions.
      await db.exec(`CREATE SCHEMA electric;
        CREATE TABLE electric.subscriptions_metadata (key TEXT PRIMARY KEY, shape_metadata JSONB NOT NULL, last_lsn TEXT NOT NULL);
        INSERT INTO electric.subscriptions_metadata VALUES ('a', '{}', '${0x3000}'), ('b', '{}', '${0x1000}')`);
      expect(await settleThroughSubscriptions(db)).toBe(0);
      await db.exec(`UPDATE electric.subscriptions_metadata SET last_lsn = '${0x2000}' WHERE key = 'b'`);
      expect(await settleThroughSubscriptions(db)).toBe(1);
      expect(await allMutations(db)).toEqual([]);
      expect((await workflow(db, WF_SYNCED))?.['name']).toBe('synced flow');
    });

    it('drops the local change at once when no shape will show the row', async () => {
      await db.query(`UPDATE workflows SET name = 'elsewhere' WHERE id = $1`, [WF_SYNCED]);
      const [m] = await pendingMutations(db);
      await acknowledgeMutation(db, m!.id, { txid: 12, echoExpected: false });
      expect(await allMutations(db)).toEqual([]);
      expect((await workflow(db, WF_SYNCED))?.['name']).toBe('synced flow');
    });
  });

  describe('rejections', () => {
    it('rolls back a rejected mutation, re-derives the view from the remaining writes, and reports it', async () => {
      await db.query(`UPDATE workflows SET name = 'bad name' WHERE id = $1`, [WF_SYNCED]);
      await db.query(`UPDATE workflows SET steps = '["review"]' WHERE id = $1`, [WF_SYNCED]);
      const [bad] = await pendingMutations(db);
      expect(await rejectMutation(db, bad!.id, { code: 'validation', message: 'name is reserved' })).toBe(
        true,
      );
      expect(await workflow(db, WF_SYNCED)).toMatchObject({ name: 'synced flow', steps: ['review'] });
      expect((await pendingMutations(db)).map((m) => m.values)).toEqual([{ steps: ['review'] }]);
      expect(await openRejections(db)).toMatchObject([
        {
          mutationId: bad!.id,
          table: 'workflows',
          op: 'update',
          code: 'validation',
          message: 'name is reserved',
        },
      ]);
      expect(await rejectMutation(db, bad!.id, { code: 'validation', message: 'again' })).toBe(false);
      expect(await outboxCounts(db)).toEqual({ pending: 1, uploading: 0, acknowledged: 0, rejected: 1 });
      await dismissRejection(db, bad!.id);
      expect(await openRejections(db)).toEqual([]);
    });

    it('removes a rejected insert; a later update of that row stays pending but has nothing to show', async () => {
      await db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'dup')`, [
        WF_LOCAL,
        TENANT,
      ]);
      await db.query(`UPDATE workflows SET name = 'dup 2' WHERE id = $1`, [WF_LOCAL]);
      const [insert] = await pendingMutations(db);
      await rejectMutation(db, insert!.id, { code: 'conflict', message: 'exists' });
      expect(await names(db)).toEqual(['synced flow']);
      expect((await pendingMutations(db)).map((m) => m.op)).toEqual(['update']);
    });

    it('brings back a row whose local delete was rejected', async () => {
      await db.query(`DELETE FROM workflows WHERE id = $1`, [WF_SYNCED]);
      const [m] = await pendingMutations(db);
      await rejectMutation(db, m!.id, { code: 'forbidden', message: 'no' });
      expect(await names(db)).toEqual(['synced flow']);
    });
  });

  describe('rules', () => {
    it('applies the sync rule of the table to plain writes', async () => {
      await expect(
        db.query(`UPDATE approvals SET title = 'x' WHERE id = $1`, [APPROVAL]),
      ).rejects.toMatchObject({
        code: '42501',
      });
      await expect(db.query(`DELETE FROM approvals WHERE id = $1`, [APPROVAL])).rejects.toMatchObject({
        code: '42501',
      });
      // approvals take inserts of the listed columns only; status is the server's.
      const insert = (extra: string) =>
        db.query(
          `INSERT INTO approvals (tenant_id, work_item_id, title, risk_level, requested_by, expires_at${extra ? ', status' : ''})
           VALUES ($1, $2, 'Pay', 1, $3, '2099-01-01 00:00:00+00'${extra ? `, '${extra}'` : ''}) RETURNING status`,
          [TENANT, WORK_ITEM, USER],
        );
      await expect(insert('approved')).rejects.toMatchObject({ code: '42501' });
      expect((await insert('')).rows).toEqual([{ status: 'pending' }]);
      const [m] = await pendingMutations(db);
      expect(Object.keys(m!.values ?? {}).sort()).toEqual([
        'approver_ids',
        'context',
        'description',
        'expires_at',
        'id',
        'requested_by',
        'risk_level',
        'tenant_id',
        'title',
        'work_item_id',
      ]);
      expect(await allMutations(db)).toHaveLength(1);
    });

    it('refuses a key change, a generated column, a duplicate key and a duplicate unique value', async () => {
      await expect(
        db.query(`UPDATE workflows SET id = gen_random_uuid() WHERE id = $1`, [WF_SYNCED]),
      ).rejects.toMatchObject({
        code: 'OP003',
      });
      await expect(
        db.query(`INSERT INTO roles (tenant_id, name, scope_id) VALUES ($1, 'x', $1)`, [TENANT]),
      ).rejects.toMatchObject({ code: '428C9' });
      await expect(
        db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'dup')`, [WF_SYNCED, TENANT]),
      ).rejects.toMatchObject({ code: '23505' });
      const { rows } = await db.query<{ scope_id: string }>(
        `INSERT INTO roles (tenant_id, name) VALUES ($1, 'auditor') RETURNING scope_id`,
        [TENANT],
      );
      expect(rows).toEqual([{ scope_id: TENANT }]);
      await expect(
        db.query(`INSERT INTO roles (tenant_id, name) VALUES ($1, 'auditor')`, [TENANT]),
      ).rejects.toMatchObject({
        code: '23505',
      });
      // System role names are unique too (NULLS NOT DISTINCT), including the migration's reference rows.
      await expect(db.query(`INSERT INTO roles (name) VALUES ('admin')`)).rejects.toMatchObject({
        code: '23505',
      });
      expect((await allMutations(db)).map((m) => [m.table, m.op])).toEqual([['roles', 'insert']]);
    });

    it('checks the table constraints on local writes', async () => {
      await expect(
        db.query(
          `INSERT INTO workflow_steps (tenant_id, workflow_id, position, name, executor) VALUES ($1, $2, 0, 'x', 'bogus')`,
          [TENANT, WF_SYNCED],
        ),
      ).rejects.toMatchObject({
        code: '23514',
      });
      // A column no plain write may set is refused before the table's own checks.
      await expect(
        db.query(`UPDATE workflows SET status = 'bogus' WHERE id = $1`, [WF_SYNCED]),
      ).rejects.toMatchObject({
        code: '42501',
      });
      await expect(db.query(`INSERT INTO workflows (tenant_id) VALUES ($1)`, [TENANT])).rejects.toMatchObject(
        {
          code: '23502',
        },
      );
      expect(await allMutations(db)).toEqual([]);
    });

    it('refuses direct writes to server state and to local state', async () => {
      await expect(db.query(`UPDATE synced.workflows SET name = 'x'`)).rejects.toMatchObject({
        code: '42501',
      });
      await expect(db.query(`UPDATE local.workflows_state SET name = 'x'`)).rejects.toMatchObject({
        code: '42501',
      });
      await expect(db.query(`DELETE FROM permissions`)).rejects.toMatchObject({ code: '42501' });
    });
  });

  describe('named mutations', () => {
    it('runs an approval decision through the view with the lifecycle rules, as one outbox entry', async () => {
      const { id } = await runNamedMutation(
        db,
        { name: 'approval.decide', key: { id: APPROVAL }, values: { decision: 'approve' } },
        async (sql) =>
          sql.query(
            `UPDATE approvals AS t SET status = 'approved', approved_by = $2 WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
            [APPROVAL, USER],
          ),
      );
      const { rows } = await db.query<{ status: string; approved_at: Date | null }>(
        `SELECT status, approved_at FROM approvals WHERE id = $1 FOR UPDATE`,
        [APPROVAL],
      );
      // The 0050 trigger stamped approved_at, as it does centrally.
      expect(rows[0]?.status).toBe('approved');
      expect(rows[0]?.approved_at).toBeInstanceOf(Date);
      const all = await allMutations(db);
      expect(all.map(toWireMutation)).toEqual([
        { id, name: 'approval.decide', key: { id: APPROVAL }, values: { decision: 'approve' } },
      ]);
      expect((await effects(db)).map((e) => [e.table_name, e.op, Object.keys(e.row_values).sort()])).toEqual([
        ['approvals', 'update', ['approved_at', 'approved_by', 'status', 'updated_at']],
      ]);
      // A rejection undoes exactly the named mutation's changes.
      await rejectMutation(db, id, { code: 'conflict', message: 'already decided elsewhere' });
      expect((await db.query(`SELECT status FROM approvals WHERE id = $1`, [APPROVAL])).rows).toEqual([
        { status: 'pending' },
      ]);
    });

    it('leaves no trace when the operation fails (invalid transition)', async () => {
      // The lifecycle allows pending -> expired, but not before expires_at (0050, OP003).
      await expect(
        runNamedMutation(db, { name: 'approval.expire', key: { id: APPROVAL } }, (sql) =>
          sql.query(`UPDATE approvals SET status = 'expired' WHERE id = $1`, [APPROVAL]),
        ),
      ).rejects.toMatchObject({ code: 'OP003' });
      // A decision is final (OP001).
      await expect(
        runNamedMutation(db, { name: 'approval.decide', key: { id: APPROVAL } }, async (sql) => {
          await sql.query(`UPDATE approvals SET status = 'approved', approved_by = $2 WHERE id = $1`, [
            APPROVAL,
            USER,
          ]);
          await sql.query(`UPDATE approvals SET status = 'pending' WHERE id = $1`, [APPROVAL]);
        }),
      ).rejects.toMatchObject({ code: 'OP001' });
      expect(await allMutations(db)).toEqual([]);
      expect(await effects(db)).toEqual([]);
    });
  });

  it('runs live queries on the views: local writes and server changes both refresh them', async () => {
    const live = (db as PGlite & { live: LiveNamespace }).live;
    const seen: string[][] = [];
    const query = await live.query<{ name: string }>(`SELECT name FROM workflows ORDER BY name`, [], (r) => {
      seen.push(r.rows.map((x) => x.name));
    });
    expect(query.initialResults.rows).toEqual([{ name: 'synced flow' }]);
    await db.query(`INSERT INTO workflows (tenant_id, name) VALUES ($1, 'local flow')`, [TENANT]);
    await serverWrites(db, `UPDATE synced.workflows SET name = 'server flow' WHERE id = $1`, [WF_SYNCED]);
    const started = Date.now();
    while (
      JSON.stringify(seen.at(-1)) !== JSON.stringify(['local flow', 'server flow']) &&
      Date.now() - started < 5000
    )
      await new Promise((r) => setTimeout(r, 20));
    expect(seen.at(-1)).toEqual(['local flow', 'server flow']);
    await query.unsubscribe();
  });

  it('searches vectors through the view with the HNSW index, local rows included', async () => {
    const vec = (x: number) =>
      `(SELECT array_agg(CASE WHEN g = ${x} THEN 1 ELSE 0 END)::vector FROM generate_series(1, 1024) g)`;
    await asServerState(db, (tx) =>
      tx.exec(
        `INSERT INTO knowledge_documents (tenant_id, title, embedding) VALUES ('${TENANT}', 'server doc', ${vec(1)})`,
      ),
    );
    // Embeddings are computed by the server (or written by a named operation), never by a plain write.
    await runNamedMutation(db, { name: 'test.embed' }, (sql) =>
      sql.query(
        `INSERT INTO knowledge_documents (tenant_id, title, embedding) VALUES ($1, 'local doc', ${vec(2)})`,
        [TENANT],
      ),
    );
    const query = `SELECT title FROM knowledge_documents ORDER BY embedding <=> ${vec(2)} LIMIT 2`;
    expect((await db.query(query)).rows).toEqual([{ title: 'local doc' }, { title: 'server doc' }]);
    await db.exec(`SET enable_seqscan = off`);
    const plan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`)).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toContain('idx_knowledge_documents_embedding');
  });
});

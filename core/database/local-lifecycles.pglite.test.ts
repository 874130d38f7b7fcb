/**
 * The lifecycles on a client's local schema (shared + client migrations on a real PGlite), where
 * migration 0300 reached the tables through the schema hooks of 0204:
 *   - a write of the state through the public view of an overlaid table (inside a named mutation: no
 *     plain write may set a state) is refused (OP001) for a transition the lifecycle does not allow and
 *     accepted for one it does, while the sync applier stores any server state, and the machinery
 *     re-derives pending writes over it without the trigger;
 *   - every lifecycle has its trigger and CHECK where the local schema needs them: on local.<t>_state
 *     for overlays (skipping the machinery), disabled on public.<t> for applier-only tables, none on
 *     synced.<t>;
 *   - a client database migrated up to 0203 and then upgraded ends with the same triggers,
 *     constraints, functions and state_transitions as a fresh one, legacy rows outside the new state
 *     sets included.
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLES } from '../../common/lifecycles/registry.ts';
import { pgliteExecutor } from '../../common/migrations/executors.ts';
import { runMigrations } from '../../common/migrations/runner.ts';
import { asServerState, createLocalPGlite, migrationFiles } from '../../scripts/testing/migrated.ts';
import { createTestPGlite } from '../../scripts/testing/pglite.ts';
import { runNamedMutation } from '../outbox/named-mutation.ts';
import { hasLocalOverlay, localStateTableOf } from './local-schema.ts';
import { applyWriteRules } from './write-rules.ts';

const TENANT = '50000000-0000-4000-8000-000000000001';
const ASSISTANT = '50000000-0000-4000-8000-000000000002';
const DONE = '50000000-0000-4000-8000-000000000003';
const QUEUED = '50000000-0000-4000-8000-000000000004';
const JOB = '50000000-0000-4000-8000-000000000005';
const ORDER = '50000000-0000-4000-8000-000000000006';

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected the statement to be refused');
}

const statusOf = async (db: PGlite, relation: string, id: string) =>
  (await db.query<{ status: string }>(`SELECT status FROM ${relation} WHERE id = $1`, [id])).rows[0]?.status;
const mutations = async (db: PGlite) =>
  (await db.query<{ name: string }>(`SELECT name FROM outbox.mutations ORDER BY seq`)).rows.map(
    (r) => r.name,
  );

/** Writes the state as a named operation does (the only writer of a state on a client). */
const moveState = (db: PGlite, sql: string, params: unknown[]) =>
  runNamedMutation(db, { name: 'test.move' }, async (tx) => {
    await tx.query(sql, params);
  });

describe('lifecycles on the local schema', () => {
  let db: PGlite;

  beforeAll(async () => {
    db = await createLocalPGlite();
    await asServerState(db, async (tx) => {
      await tx.exec(`
        INSERT INTO tenants (id, name, slug) VALUES ('${TENANT}', 'Acme', 'acme');
        INSERT INTO assistants (id, tenant_id, name, slug, type) VALUES ('${ASSISTANT}', '${TENANT}', 'Ops', 'ops', 'custom');
        INSERT INTO work_items (id, tenant_id, assistant_id, title, status)
          VALUES ('${DONE}', '${TENANT}', '${ASSISTANT}', 'Closed May', 'completed'),
                 ('${QUEUED}', '${TENANT}', '${ASSISTANT}', 'Close June', 'backlog');
        INSERT INTO jobs (id, tenant_id, job_type, status) VALUES ('${JOB}', '${TENANT}', 'sync', 'completed');
      `);
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('refuses a transition the lifecycle does not allow through the view, and records nothing', async () => {
    const error = await failure(
      moveState(db, `UPDATE work_items SET status = 'backlog' WHERE id = $1`, [DONE]),
    );
    expect(error.code).toBe('OP001');
    expect(error.message).toContain('invalid work_item transition: completed -> backlog');
    expect(await statusOf(db, 'work_items', DONE)).toBe('completed');
    expect(await mutations(db)).toEqual([]);
  });

  it('accepts an allowed transition through the view as a pending write', async () => {
    await moveState(db, `UPDATE work_items SET status = 'in_progress' WHERE id = $1`, [QUEUED]);
    expect(await statusOf(db, 'work_items', QUEUED)).toBe('in_progress');
    expect(await statusOf(db, 'synced.work_items', QUEUED)).toBe('backlog');
    expect(await mutations(db)).toEqual(['test.move']);
    // A plain write may not set a state at all.
    const plain = await failure(
      db.query(`UPDATE work_items SET status = 'cancelled' WHERE id = $1`, [QUEUED]),
    );
    expect(plain.code).toBe('42501');
  });

  it('stores any server state from the applier, and re-derives pending writes over it', async () => {
    // The server says the item was cancelled meanwhile; the pending in_progress still shows (pending
    // writes win) although cancelled -> in_progress is no transition: the machinery is not policed.
    await asServerState(db, async (tx) => {
      await tx.query(`UPDATE synced.work_items SET status = 'cancelled', _synced_txid = 7 WHERE id = $1`, [
        QUEUED,
      ]);
      await tx.query(`UPDATE work_items SET status = 'backlog' WHERE id = $1`, [DONE]);
      await tx.query(`UPDATE jobs SET status = 'pending' WHERE id = $1`, [JOB]);
    });
    expect(await statusOf(db, 'synced.work_items', QUEUED)).toBe('cancelled');
    expect(await statusOf(db, 'work_items', QUEUED)).toBe('in_progress');
    expect(await statusOf(db, 'work_items', DONE)).toBe('backlog');
    expect(await statusOf(db, 'jobs', JOB)).toBe('pending');
    // A value outside the state set is still not a state of the app's rows.
    const bogus = await failure(
      moveState(db, `UPDATE work_items SET status = 'bogus' WHERE id = $1`, [DONE]),
    );
    expect(bogus.code).toBe('23514');
  });

  it('keeps each lifecycle trigger and CHECK where the local schema needs it', async () => {
    const { rows } = await db.query<{ rel: string; kind: string; name: string; state: string }>(
      `SELECT tgrelid::regclass::text AS rel, 'trigger' AS kind, tgname::text AS name,
              CASE WHEN tgenabled = 'D' THEN 'disabled'
                   WHEN pg_get_triggerdef(oid) LIKE '%NOT outbox.machinery_active()%' THEN 'skips machinery'
                   ELSE 'fires' END AS state
         FROM pg_trigger WHERE tgname LIKE '%\\_lifecycle'
       UNION ALL
       SELECT conrelid::regclass::text, 'check', conname::text, CASE WHEN convalidated THEN 'valid' ELSE 'new rows' END
         FROM pg_constraint WHERE contype = 'c' AND conname LIKE '%\\_status\\_check'
       ORDER BY 1, 2`,
    );
    const expected = LIFECYCLES.flatMap((b) => {
      const overlay = hasLocalOverlay(b.table);
      const rel = overlay ? `local.${localStateTableOf(b.table)}` : b.table;
      return [
        { rel, kind: 'check', name: `${b.table}_${b.column}_check` },
        {
          rel,
          kind: 'trigger',
          name: `${b.table}_lifecycle`,
          state: overlay ? 'skips machinery' : 'disabled',
        },
      ];
    });
    const rels = new Set(expected.map((e) => e.rel));
    expect(rows.filter((r) => r.rel.startsWith('synced.'))).toEqual([]);
    expect(
      rows
        .filter((r) => rels.has(r.rel))
        .map((r) => (r.kind === 'check' ? { rel: r.rel, kind: r.kind, name: r.name } : r)),
    ).toEqual(expected.sort((a, b) => a.rel.localeCompare(b.rel) || a.kind.localeCompare(b.kind)));
  });
});

/** What the upgrade must reproduce: triggers, constraints, routines and the lifecycle rows. */
interface Catalog {
  readonly triggers: string[];
  readonly constraints: string[];
  readonly routines: string[];
  readonly transitions: string[];
}

async function catalog(db: PGlite): Promise<Catalog> {
  const list = async (sql: string) => (await db.query<{ x: string }>(sql)).rows.map((r) => r.x);
  const schemas = `('public', 'local', 'synced', 'outbox')`;
  return {
    triggers: await list(
      `SELECT tgrelid::regclass::text || ' ' || tgenabled::text || ' ' || pg_get_triggerdef(t.oid) AS x
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND c.relnamespace::regnamespace::text IN ${schemas} ORDER BY 1`,
    ),
    constraints: await list(
      `SELECT conrelid::regclass::text || ' ' || conname || ' ' || convalidated || ' ' || pg_get_constraintdef(oid) AS x
         FROM pg_constraint WHERE contype IN ('c', 'u', 'f', 'p')
          AND connamespace::regnamespace::text IN ${schemas} ORDER BY 1`,
    ),
    routines: await list(
      `SELECT p.oid::regprocedure::text || ' ' || md5(pg_get_functiondef(p.oid)) AS x FROM pg_proc p
        WHERE p.pronamespace::regnamespace::text IN ${schemas} AND p.prokind IN ('f', 'p') ORDER BY 1`,
    ),
    transitions: await list(
      `SELECT concat_ws(' ', machine, from_state, event, to_state) AS x FROM state_transitions ORDER BY 1`,
    ),
  };
}

describe('upgrading a client database to the lifecycles', () => {
  it('ends like a fresh one when it had run the client migrations up to 0203 before', async () => {
    const files = await migrationFiles();
    const old = await createTestPGlite();
    const fresh = await createLocalPGlite();
    try {
      // What a client had before this change: 0001-0203, without 0061 (added with 0204 and 0300).
      const before = files.filter(
        (f) => Number(f.name.slice(0, 4)) <= 203 && f.name !== '0061_schema_hooks.sql',
      );
      await runMigrations(pgliteExecutor(old), before, 'local');
      // A row from before there was a state set: kept, not re-checked (the CHECKs are NOT VALID).
      await asServerState(old, async (tx) => {
        await tx.exec(`
          INSERT INTO tenants (id, name, slug) VALUES ('${TENANT}', 'Acme', 'acme');
          INSERT INTO orders (id, tenant_id, dedupe_key, source, source_id, status)
            VALUES ('${ORDER}', '${TENANT}', '${TENANT}:shopify:order:1', 'shopify', '1', 'legacy');
        `);
      });
      const upgrade = await runMigrations(pgliteExecutor(old), files, 'local');
      expect(upgrade.applied).toEqual([
        '0061_schema_hooks.sql',
        '0204_local_schema_hooks.sql',
        '0205_local_write_rules.sql',
        '0300_lifecycles.sql',
        '0301_schema_foreign_key_hook.sql',
        '0302_local_foreign_key_hook.sql',
        '0303_approval_quorum.sql',
        '0310_local_undo_window.sql',
        '0320_workspace_review.sql',
        '0321_local_workspace_drafts.sql',
        '0330_local_inbox_indexes.sql',
        '0340_embedding_models.sql',
        '0350_changeset_withdraw.sql',
      ]);
      // As the core does at every open (local-database.ts).
      await applyWriteRules(old);
      expect(await statusOf(old, 'orders', ORDER)).toBe('legacy');
      const expected = await catalog(fresh);
      expect(expected.triggers.filter((t) => t.includes('enforce_lifecycle'))).toHaveLength(27);
      expect(await catalog(old)).toEqual(expected);
    } finally {
      await Promise.all([old.close(), fresh.close()]);
    }
  });
});

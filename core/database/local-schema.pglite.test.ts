/**
 * The local schema (shared + client migrations on a real PGlite) against the shared one: every relation
 * of the full schema is there by name with the same columns; every writable table of the sync rules has
 * its server-state table, local table and view; the write rules equal common/sync/rules.ts; and server
 * state is stored as the applier delivers it (deferred foreign keys, no lifecycle or audit triggers,
 * generated columns computed, reference rows accepted again, server-only columns optional).
 */
import type { PGlite } from '@electric-sql/pglite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLES } from '../../common/lifecycles/registry.ts';
import { SYNC_RULES } from '../../common/sync/rules.ts';
import {
  asServerState,
  createLocalPGlite,
  createMigratedPGlite,
  migratedPGliteDump,
  migrationFiles,
} from '../../scripts/testing/migrated.ts';
import { openLocalDatabase } from './local-database.ts';
import { loadWriteCatalog } from '../../common/mutations/catalog.ts';
import {
  hasLocalOverlay,
  localStateTableOf,
  NAMED_ONLY_TABLES,
  OVERLAY_TABLES,
  WRITABLE_RULES,
} from './local-schema.ts';
import { applyWriteRules } from './write-rules.ts';

interface Relation {
  schema: string;
  name: string;
  kind: string;
}

const relations = async (db: PGlite, kinds: string) =>
  (
    await db.query<Relation>(
      `SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'local', 'synced') AND c.relkind = ANY ($1::"char"[])
        ORDER BY 1, 2`,
      [kinds.split('')],
    )
  ).rows;

const columnsOf = async (db: PGlite, schema: string, name: string) =>
  (
    await db.query<{ c: string }>(
      `SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) AS c FROM pg_attribute a
        WHERE a.attrelid = format('%I.%I', $1::text, $2::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [schema, name],
    )
  ).rows.map((r) => r.c);

describe('the local schema', () => {
  let shared: PGlite;
  let local: PGlite;

  beforeAll(async () => {
    [shared, local] = await Promise.all([createMigratedPGlite(), createLocalPGlite()]);
  });
  afterAll(async () => {
    await Promise.all([shared?.close(), local?.close()]);
  });

  it('contains every relation of the shared schema by name, with the same columns', async () => {
    const expected = await relations(shared, 'rpviS');
    const present = await relations(local, 'rpviS');
    const publicByName = new Map(present.filter((r) => r.schema === 'public').map((r) => [r.name, r]));
    const anyByName = new Set(present.map((r) => r.name));
    const missing: string[] = [];
    for (const r of expected) {
      if (r.kind === 'i' || r.kind === 'S') {
        if (!anyByName.has(r.name)) missing.push(`${r.kind} ${r.name}`);
        continue;
      }
      const found = publicByName.get(r.name);
      if (!found) missing.push(`${r.kind} ${r.name}`);
      else if (found.kind !== r.kind && !(found.kind === 'v' && hasLocalOverlay(r.name)))
        missing.push(`${r.name}: ${found.kind} instead of ${r.kind}`);
    }
    expect(missing).toEqual([]);
    expect(expected.filter((r) => r.kind === 'r').length).toBeGreaterThan(90);

    const differing: string[] = [];
    for (const r of expected.filter((x) => 'rpv'.includes(x.kind))) {
      const [a, b] = await Promise.all([
        columnsOf(shared, 'public', r.name),
        columnsOf(local, 'public', r.name),
      ]);
      if (JSON.stringify(a) !== JSON.stringify(b)) differing.push(r.name);
    }
    expect(differing).toEqual([]);
  });

  it('puts every writable table behind a view, with its server state in synced and its local state in local', async () => {
    const present = await relations(local, 'rpv');
    const kinds = (schema: string) =>
      new Map(present.filter((r) => r.schema === schema).map((r) => [r.name, r.kind]));
    const [pub, loc, syn] = [kinds('public'), kinds('local'), kinds('synced')];
    const overlays = [...WRITABLE_RULES.keys(), ...NAMED_ONLY_TABLES];
    for (const table of overlays) {
      const state = localStateTableOf(table);
      expect([table, pub.get(table), loc.get(state), syn.get(table)]).toEqual([table, 'v', 'r', 'r']);
      const [p, l, s] = await Promise.all([
        columnsOf(local, 'public', table),
        columnsOf(local, 'local', state),
        columnsOf(local, 'synced', table),
      ]);
      expect(l).toEqual(p);
      expect(s).toEqual([...l, '_synced_txid bigint']);
    }
    expect([...loc.keys()].sort()).toEqual(overlays.map(localStateTableOf).sort());
    // Every other synced table stays a table in public, written only by the applier.
    const { rows } = await local.query<{ t: string }>(
      `SELECT c.relname::text AS t FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        WHERE g.tgname = 'outbox_applier_only' AND c.relnamespace = 'public'::regnamespace ORDER BY 1`,
    );
    const others = [...SYNC_RULES.keys()].filter((t) => !hasLocalOverlay(t)).sort();
    expect(rows.map((r) => r.t)).toEqual(others);
  });

  it('holds the write part of common/sync/rules.ts, as the write path resolves it', async () => {
    const { rows } = await local.query<{
      table_name: string;
      operations: string[];
      columns: string[];
      update_columns: string[];
    }>(`SELECT table_name, operations, columns, update_columns FROM outbox.write_rules ORDER BY table_name`);
    const catalog = await loadWriteCatalog(local);
    const expected = [...OVERLAY_TABLES].sort().map((table) => {
      const info = catalog.require(table);
      const write = WRITABLE_RULES.get(table)?.write;
      const order = [...info.columns.keys()];
      return {
        table_name: table,
        operations: write ? [...write.operations] : [],
        columns: write?.operations.includes('insert') ? order.filter((c) => info.insertColumns.has(c)) : [],
        update_columns: write?.operations.includes('update')
          ? order.filter((c) => info.updateColumns.has(c))
          : [],
      };
    });
    expect(rows).toEqual(expected);
    for (const row of rows) {
      expect(row.update_columns, row.table_name).not.toContain('tenant_id');
      expect(
        row.update_columns.some((c) => c.startsWith('_')),
        row.table_name,
      ).toBe(false);
      expect(
        [...row.columns, ...row.update_columns].some((c) => info(row.table_name).serverOnly.has(c)),
        row.table_name,
      ).toBe(false);
    }
    function info(table: string) {
      return catalog.require(table);
    }
    // Every table with a plain write rule may do something.
    for (const table of WRITABLE_RULES.keys())
      expect(rows.find((r) => r.table_name === table)?.operations.length, table).toBeGreaterThan(0);
  });

  it('re-creates a write rule that differs from rules.ts, and changes nothing when they agree', async () => {
    const db = await createLocalPGlite();
    try {
      expect(await applyWriteRules(db)).toEqual([]);
      await db.query(
        `SELECT outbox.set_write_rule('work_items', '{insert,update,delete}', '{id,title,status}', '{title,status}')`,
      );
      // The old rule is in force: status could be written directly.
      expect(await applyWriteRules(db)).toEqual(['work_items']);
      const { rows } = await db.query<{ columns: string[]; update_columns: string[] }>(
        `SELECT columns, update_columns FROM outbox.write_rules WHERE table_name = 'work_items'`,
      );
      expect(rows[0]?.update_columns).not.toContain('status');
      expect(rows[0]?.columns).toContain('assistant_id');
      expect(await applyWriteRules(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('keeps server state as the applier stores it', async () => {
    // Foreign keys: all deferred, all between server-state tables; none on local state.
    const { rows: fks } = await local.query<{ rel: string; deferred: boolean; target: string }>(
      `SELECT conrelid::regclass::text AS rel, condeferred AS deferred, confrelid::regclass::text AS target
         FROM pg_constraint WHERE contype = 'f' AND conparentid = 0
          AND connamespace::regnamespace::text IN ('public', 'synced', 'local')`,
    );
    expect(fks.length).toBeGreaterThan(150);
    expect(fks.filter((f) => !f.deferred)).toEqual([]);
    expect(fks.filter((f) => f.rel.startsWith('local.') || f.target.startsWith('local.'))).toEqual([]);
    // Lifecycle and audit triggers never fire for the applier.
    const { rows: triggers } = await local.query<{ rel: string; name: string; enabled: string; def: string }>(
      `SELECT tgrelid::regclass::text AS rel, tgname::text AS name, tgenabled::text AS enabled,
              pg_get_triggerdef(oid) AS def
         FROM pg_trigger WHERE NOT tgisinternal AND tgname NOT LIKE 'outbox\\_%' ORDER BY 1, 2`,
    );
    const firing = triggers.filter(
      (t) =>
        t.enabled !== 'D' && !(t.rel.startsWith('local.') && t.def.includes('NOT outbox.machinery_active()')),
    );
    expect(firing).toEqual([]);
    expect(
      triggers
        .filter((t) => t.rel.startsWith('local.'))
        .map((t) => t.name)
        .sort(),
    ).toEqual(
      [
        'approval_decisions_rules',
        'approval_delegations_rules',
        'work_items_timestamps',
        ...LIFECYCLES.filter((b) => hasLocalOverlay(b.table)).map((b) => `${b.table}_lifecycle`),
      ].sort(),
    );
  });

  it('stores rows as the applier sends them: any table order, generated columns computed, reference rows again', async () => {
    const tenant = '30000000-0000-4000-8000-000000000001';
    const role = '30000000-0000-4000-8000-000000000002';
    await asServerState(local, async (tx) => {
      // A child before its parent, as pglite-sync applies one table after the other.
      await tx.query(`INSERT INTO synced.roles (id, tenant_id, name) VALUES ($1, $2, 'clerk')`, [
        role,
        tenant,
      ]);
      await tx.query(`INSERT INTO synced.tenants (id, name, slug) VALUES ($1, 'T', 't')`, [tenant]);
      // The server's copies of rows the migrations inserted (0050, 0060): accepted, not duplicated.
      await tx.query(
        `INSERT INTO permissions (id, code, description, created_at)
         SELECT id, code, description || ' (server)', created_at FROM permissions WHERE code = 'config:read'`,
      );
      await tx.query(`INSERT INTO state_transitions SELECT * FROM state_transitions`);
      await tx.query(
        `INSERT INTO synced.roles (id, name) SELECT id, name FROM roles WHERE tenant_id IS NULL`,
      );
      // Server-only columns never arrive.
      await tx.query(
        `INSERT INTO synced.api_keys (tenant_id, name, key_type, prefix) VALUES ($1, 'k', 'chat_integration', 'op_')`,
        [tenant],
      );
      // The audit chain trigger does not rewrite server rows.
      await tx.query(
        `INSERT INTO audit_logs (tenant_id, actor_type, action, entity_type, chain_seq, previous_hash, integrity_hash)
         VALUES ($1, 'system', 'x', 'y', 41, 'p', 'h')`,
        [tenant],
      );
    });
    expect((await local.query(`SELECT scope_id FROM roles WHERE id = $1`, [role])).rows).toEqual([
      { scope_id: tenant },
    ]);
    expect(
      (await local.query(`SELECT description FROM permissions WHERE code = 'config:read'`)).rows,
    ).toEqual([{ description: expect.stringMatching(/\(server\)$/) as unknown }]);
    expect((await local.query(`SELECT count(*)::int AS n FROM roles WHERE tenant_id IS NULL`)).rows).toEqual([
      { n: 3 },
    ]);
    expect((await local.query(`SELECT chain_seq::int, integrity_hash FROM audit_logs`)).rows).toEqual([
      { chain_seq: 41, integrity_hash: 'h' },
    ]);
    expect((await local.query(`SELECT count(*)::int AS n FROM outbox.mutations`)).rows).toEqual([{ n: 0 }]);
  });

  it('opens a persistent local database and applies only missing migrations', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'outpost-local-'));
    try {
      const migrations = await migrationFiles();
      const first = await openLocalDatabase({
        dataDir: dir,
        migrations,
        loadDataDir: await migratedPGliteDump('local'),
      });
      expect(first.migrations.applied).toEqual([]);
      await first.db.query(`INSERT INTO workflows (tenant_id, name) VALUES (gen_random_uuid(), 'kept')`);
      await first.db.close();
      const again = await openLocalDatabase({ dataDir: dir, migrations });
      expect(again.migrations.applied).toEqual([]);
      expect((await again.db.query(`SELECT name FROM workflows`)).rows).toEqual([{ name: 'kept' }]);
      expect(typeof again.db.sync.syncShapesToTables).toBe('function');
      await again.db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

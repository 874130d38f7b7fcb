/**
 * bench/pglite-sync.ts: the initial sync of one tenant, end to end: central PostgreSQL ─► sync
 * server ─► @electric-sql/pglite-sync ─► a migrated local PGlite.
 *
 *   npx tsx bench/pglite-sync.ts [--scale 10] [--methods insert,json] [--foreign-keys deferred|dropped]
 *
 * Setup, on a throwaway PostgreSQL 15 cluster: the central migrations, `seedDatabase({ scale })`
 * (anchor 2026-11-22T12:00Z), and the tenant `acme`. Then one run per `initialInsertMethod`, after
 * a first run that warms the code up (reported with `cold: true`), each on a fresh sync server (so
 * every run snapshots its shapes) and a fresh local PGlite with the local schema
 * (createMigratedPGlite's cached template, loaded again with pglite-sync):
 *
 *   one syncShapesToTables subscription: `tenants` (where id = $1) and every table with a tenant_id
 *   column (where tenant_id = $1, $1 = acme's id) that has rows of acme, generated columns left out
 *   of `columns`, with the options docs/protocol.md requires (parser PGLITE_SHAPE_PARSERS,
 *   mapColumns withArrayLiterals; for `json`, int8 also kept as text, since the rows travel as one
 *   JSON parameter and JSON has no BigInt). Timed from subscribe until every local count equals
 *   acme's central count; pglite-sync downloads every shape first, then applies everything in one
 *   transaction, so the JSON splits the time at the start of that transaction.
 *
 * Local relaxations (what the applier needs until a client-only migration provides it; the same as
 * scripts/testing/synced-schema.ts): every foreign key DEFERRABLE INITIALLY DEFERRED (pglite-sync
 * applies table after table inside one transaction, so a child row can come before its parent;
 * `--foreign-keys dropped` drops them instead, to show what the deferred checks cost), and the user
 * triggers of the tables disabled (without that the apply fails: the business-rule triggers of
 * migrations 0050/0051 check or rewrite rows the applier must store as the server has them).
 * Prints JSON: rows, seconds, rows/s, memory (process RSS, PGlite's WebAssembly memory, its
 * database size) per run.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { electricSync } from '@electric-sql/pglite-sync';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pgExecutor } from '../common/migrations/executors.ts';
import { runMigrations } from '../common/migrations/runner.ts';
import { withArrayLiterals } from '../common/sync/pg-array-literal.ts';
import { PGLITE_SHAPE_PARSERS } from '../common/sync/shape-parsers.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';
import { seedDatabase } from '../scripts/db/seed/index.ts';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import { createMigratedPGlite } from '../scripts/testing/migrated.ts';
import { SyncServer } from '../sync-server/server.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const scale = Number(arg('scale', '10'));
const methods = arg('methods', 'insert,json').split(',') as ('insert' | 'json')[];
const foreignKeys = arg('foreign-keys', 'deferred') === 'dropped' ? 'dropped' : 'deferred';
const TENANT = 'acme';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const mb = (bytes: number) => +(bytes / 1e6).toFixed(1);

interface TenantTable {
  readonly name: string;
  readonly primaryKey: string[];
  /** Columns a client can write (generated ones left out), in table order. */
  readonly columns: string[];
  readonly generated: string[];
  /** The tenant filter column: `tenant_id`, or `id` for `tenants` itself. */
  readonly filter: 'tenant_id' | 'id';
}

/** `tenants` and every table of `public` with a tenant_id column (partitioned ones by their root). */
async function tenantTables(client: pg.Client): Promise<TenantTable[]> {
  const { rows } = await client.query<{
    name: string;
    primary_key: string[];
    columns: string[];
    generated: string[] | null;
  }>(
    `SELECT c.relname::text AS name,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord), pg_attribute a
              WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid AND a.attnum = k.attnum) AS primary_key,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> '') AS generated
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND (c.relname = 'tenants' OR EXISTS (SELECT 1 FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
      ORDER BY 1`,
  );
  return rows.map((r) => ({
    name: r.name,
    primaryKey: r.primary_key,
    columns: r.columns,
    generated: r.generated ?? [],
    filter: r.name === 'tenants' ? 'id' : 'tenant_id',
  }));
}

/** Row counts of the tenant's rows, per table, in one query (works on PostgreSQL and PGlite). */
function countsSql(tables: readonly TenantTable[], tenantId: string): string {
  return `SELECT ${tables
    .map(
      (t) =>
        `(SELECT count(*) FROM ${ident(t.name)} WHERE ${t.filter} = '${tenantId}')::int AS ${ident(t.name)}`,
    )
    .join(', ')}`;
}

/** The size of PGlite's WebAssembly memory (a private field of PGlite 0.5; null if it moved). */
function wasmHeapBytes(db: PGlite): number | null {
  const mod = (db as unknown as { mod?: { wasmMemory?: { buffer: ArrayBuffer } } }).mod;
  return mod?.wasmMemory?.buffer.byteLength ?? null;
}

/** A local PGlite with the local schema and pglite-sync, relaxed for the applier (see the header). */
async function localDatabase() {
  const migrated = await createMigratedPGlite();
  const dump = await migrated.dumpDataDir('none');
  await migrated.close();
  const db = await PGlite.create({ extensions: { vector, sync: electricSync() }, loadDataDir: dump });
  const fks = await db.query<{ rel: string; name: string }>(
    `SELECT conrelid::regclass::text AS rel, conname::text AS name FROM pg_constraint
      WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND conparentid = 0
        AND NOT (condeferrable AND condeferred)`,
  );
  const triggers = await db.query<{ rel: string }>(
    `SELECT DISTINCT tgrelid::regclass::text AS rel FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace`,
  );
  await db.transaction(async (tx) => {
    for (const fk of fks.rows) {
      await tx.exec(
        foreignKeys === 'dropped'
          ? `ALTER TABLE ${fk.rel} DROP CONSTRAINT ${ident(fk.name)}`
          : `ALTER TABLE ${fk.rel} ALTER CONSTRAINT ${ident(fk.name)} DEFERRABLE INITIALLY DEFERRED`,
      );
    }
    for (const t of triggers.rows) await tx.exec(`ALTER TABLE ${t.rel} DISABLE TRIGGER USER`);
  });
  return { db, foreignKeys: fks.rows.length, tablesWithTriggersDisabled: triggers.rows.length };
}

interface SyncRun {
  readonly method: 'insert' | 'json';
  /** The first run of the process: server, client and PGlite code not yet warm. */
  readonly cold: boolean;
  readonly ok: boolean;
  readonly error?: string;
  readonly rows: number;
  /** Until the applier's transaction began: every shape downloaded (snapshots, HTTP, parsing). */
  readonly seconds_until_apply_began: number | null;
  /** pglite-sync's transactions (the initial data is one), deferred foreign-key checks included. */
  readonly apply_seconds: number[];
  readonly seconds_until_rows_landed: number | null;
  readonly rows_per_s: number | null;
  readonly memory_mb: Record<string, number>;
  readonly mismatched_tables?: Record<string, { central: number; local: number }>;
  readonly local_relaxations: { foreign_keys: string; tables_with_user_triggers_disabled: number };
}

async function syncOnce(
  method: 'insert' | 'json',
  cold: boolean,
  databaseUrl: string,
  tables: readonly TenantTable[],
  tenantId: string,
  expected: Record<string, number>,
): Promise<SyncRun> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-'));
  const server = await SyncServer.start({ databaseUrl, dataDir, log: () => undefined });
  const rssBefore = process.memoryUsage().rss;
  const { db, foreignKeys: fkCount, tablesWithTriggersDisabled } = await localDatabase();
  const rssWithDatabase = process.memoryUsage().rss;
  const heapBefore = wasmHeapBytes(db);
  // Time the applier's transactions (pglite-sync commits the initial data in one).
  const applies: { start: number; end: number }[] = [];
  const transaction = db.transaction.bind(db);
  db.transaction = async (fn) => {
    const start = performance.now();
    try {
      return await transaction(fn);
    } finally {
      applies.push({ start, end: performance.now() });
    }
  };
  let peakRss = rssWithDatabase;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const errors: string[] = [];
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  // json_to_recordset takes the rows as one JSON parameter: int8 must stay a string (JSON has no BigInt).
  const parser =
    method === 'json' ? { ...PGLITE_SHAPE_PARSERS, int8: (v: string) => v } : PGLITE_SHAPE_PARSERS;
  const started = performance.now();
  let landedAt: number | null = null;
  let local: Record<string, number> = {};
  try {
    const subscription = await db.sync.syncShapesToTables({
      key: `bench-${method}`,
      initialInsertMethod: method,
      shapes: Object.fromEntries(
        tables.map((t) => [
          t.name,
          {
            shape: {
              url: `${server.url}/v1/shape`,
              params: { table: t.name, where: `${t.filter} = $1`, params: [tenantId], columns: t.columns },
              // PGLITE_SHAPE_PARSERS' bytea parser returns a Uint8Array, which the client's Parser type does not list.
              parser: parser as never,
            },
            table: t.name,
            primaryKey: t.primaryKey,
            mapColumns: (m: { value: Record<string, unknown> }) => withArrayLiterals(m.value),
          },
        ]),
      ),
      onError: (error) => errors.push(error.message),
    });
    const deadline = started + 600_000;
    while (performance.now() < deadline && errors.length === 0) {
      if (subscription.isUpToDate) {
        // Queues behind the applier's transaction (PGlite runs one at a time).
        local = (await db.query<Record<string, number>>(countsSql(tables, tenantId))).rows[0] ?? {};
        if (tables.every((t) => local[t.name] === expected[t.name])) {
          landedAt = performance.now();
          break;
        }
      }
      await sleep(50);
    }
    subscription.unsubscribe();
  } catch (error) {
    errors.push((error as Error).message);
  }
  clearInterval(sampler);
  const { rows: size } = await db.query<{ bytes: string }>(
    `SELECT pg_database_size(current_database())::text AS bytes`,
  );
  const rssAfter = process.memoryUsage().rss;
  const heapAfter = wasmHeapBytes(db);
  await db.close();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });

  const seconds = (at: number | null) => (at === null ? null : +((at - started) / 1000).toFixed(2));
  const mismatched = Object.fromEntries(
    tables
      .filter((t) => local[t.name] !== expected[t.name])
      .map((t) => [t.name, { central: expected[t.name] ?? 0, local: local[t.name] ?? 0 }]),
  );
  return {
    method,
    cold,
    ok: landedAt !== null,
    ...(errors.length > 0 ? { error: errors.join('; ').slice(0, 2000) } : {}),
    rows: total,
    seconds_until_apply_began: seconds(applies[0]?.start ?? null),
    apply_seconds: applies.map((a) => +((a.end - a.start) / 1000).toFixed(2)),
    seconds_until_rows_landed: seconds(landedAt),
    rows_per_s: landedAt === null ? null : Math.round(total / ((landedAt - started) / 1000)),
    memory_mb: {
      process_rss_before_pglite: mb(rssBefore),
      process_rss_with_empty_pglite: mb(rssWithDatabase),
      process_rss_peak_during_sync: mb(peakRss),
      process_rss_after_sync: mb(rssAfter),
      pglite_wasm_memory_before_sync: heapBefore === null ? NaN : mb(heapBefore),
      pglite_wasm_memory_after_sync: heapAfter === null ? NaN : mb(heapAfter),
      pglite_database_size: mb(Number(size[0]?.bytes ?? 0)),
    },
    ...(landedAt === null ? { mismatched_tables: mismatched } : {}),
    local_relaxations: {
      foreign_keys: `${fkCount} ${foreignKeys}`,
      tables_with_user_triggers_disabled: tablesWithTriggersDisabled,
    },
  };
}

const cluster = await PostgresCluster.start();
try {
  const client = new pg.Client({ connectionString: cluster.url() });
  await client.connect();
  let t = performance.now();
  await runMigrations(pgExecutor(client), await loadMigrationFiles(), 'central');
  const summary = await seedDatabase(client, { scale, anchor: new Date('2026-11-22T12:00:00Z') });
  const setupSeconds = (performance.now() - t) / 1000;
  const { rows: tenant } = await client.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = $1`, [
    TENANT,
  ]);
  const tenantId = tenant[0]?.id;
  if (!tenantId) throw new Error(`no tenant ${TENANT}`);
  const tables = await tenantTables(client);
  const expected = (await client.query<Record<string, number>>(countsSql(tables, tenantId))).rows[0] ?? {};
  const nonEmpty = tables.filter((x) => (expected[x.name] ?? 0) > 0);

  // The first run warms the code up (reported, marked cold); then each method once.
  const runs: SyncRun[] = [];
  for (const [i, method] of [methods[0] ?? 'insert', ...methods].entries()) {
    t = performance.now();
    const run = await syncOnce(method, i === 0, cluster.url(), nonEmpty, tenantId, expected);
    console.error(`${method}: ${((performance.now() - t) / 1000).toFixed(1)} s, ok ${run.ok}`);
    runs.push(run);
  }
  await client.end();

  const largest = Object.entries(expected)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, rows]) => ({ name, rows }));
  console.log(
    JSON.stringify(
      {
        benchmark: 'pglite-sync',
        scale,
        tenant: TENANT,
        setup_seconds: +setupSeconds.toFixed(1),
        central_rows_all_tenants: summary.totalRows,
        tables_with_tenant_rows: nonEmpty.length,
        tables_without_tenant_rows: tables.filter((x) => (expected[x.name] ?? 0) === 0).map((x) => x.name),
        generated_columns_left_out: tables
          .filter((x) => x.generated.length > 0)
          .map((x) => `${x.name}(${x.generated.join(', ')})`),
        largest_tables: largest,
        runs,
      },
      null,
      2,
    ),
  );
} finally {
  await cluster.stop();
}
// @electric-sql/client's UpToDateTracker leaves a 60 s timer behind after the streams are aborted.
process.exit(0);

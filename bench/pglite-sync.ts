/**
 * bench/pglite-sync.ts: the initial sync of one tenant, end to end: central PostgreSQL ─► sync
 * server (its own process) ─► @electric-sql/pglite-sync ─► a migrated local PGlite.
 *
 *   npx tsx bench/pglite-sync.ts [--scale 10] [--methods insert,json] [--foreign-keys deferred|dropped]
 *
 *   seedDatabase(scale) ─► tenant `acme` ─► N shapes (`tenant_id = $1`; `id = $1` for tenants)
 *        ─► sync server child ─► HTTP ─► syncShapesToTables: download every shape (until each is
 *           up to date) ─► one transaction: INSERT every row, deferred FK checks, COMMIT
 *
 * Setup, on a throwaway PostgreSQL 15 cluster: the central migrations and `seedDatabase({ scale })`
 * (anchor 2026-11-22T12:00Z). Then one run per `--methods` entry, after a first run that warms this
 * process's code up (reported with `cold: true`). Every run gets a fresh sync server process
 * (scripts/testing/sync-server-process.ts, `sync-server/main.ts --insecure-dev`, its own data
 * directory and slot, so it snapshots every shape anew) and a fresh local PGlite with the local schema
 * (createMigratedSyncPGlite), relaxed for the applier by relaxForSyncApplier (deferred foreign keys,
 * user triggers off: scripts/testing/synced-schema.ts says why); `--foreign-keys dropped` drops the
 * foreign keys instead, to show what their checks at commit cost.
 *
 * One syncShapesToTables subscription holds every table of the tenant that has rows of it: the
 * shapes of tableShape() (the PGlite parsers, array literals, generated columns left out, as
 * docs/protocol.md requires), narrowed by the tenant filter. For `json`, int8 is also kept as text
 * (the rows travel as one JSON parameter, and JSON has no BigInt).
 *
 * Timed from the subscribe call until every local count equals the tenant's central count. pglite-sync
 * downloads every shape first and applies everything in one transaction when all are up to date, so
 * the start of that transaction splits the time into download (snapshots, HTTP, parsing) and apply.
 * Guarantees: a run is `ok` only when every table's local count matches central (the exit code is 1
 * when a run is not); the cluster, the server processes, their slots and data directories are
 * removed. Prints JSON.
 */
import { setMaxListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pgExecutor } from '../common/migrations/executors.ts';
import { runMigrations } from '../common/migrations/runner.ts';
import { PGLITE_SHAPE_PARSERS } from '../common/sync/shape-parsers.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';
import { seedDatabase } from '../scripts/db/seed/index.ts';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import { spawnSyncServer, waitForHealth } from '../scripts/testing/sync-server-process.ts';
import {
  createMigratedSyncPGlite,
  relaxForSyncApplier,
  syncableTables,
  tableShape,
  type RowsOf,
  type SyncableTable,
  type SyncPGlite,
} from '../scripts/testing/synced-schema.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
type Method = 'insert' | 'json';
const scale = Number(arg('scale', '10'));
const methods = arg('methods', 'insert,json')
  .split(',')
  .filter((m): m is Method => m === 'insert' || m === 'json');
const foreignKeys = arg('foreign-keys', 'deferred') === 'dropped' ? 'dropped' : 'deferred';
const TENANT = 'acme';
// pglite-sync links every shape's stream to one AbortSignal of its own (about 95 here): not a leak.
setMaxListeners(500);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const mb = (bytes: number) => +(bytes / 1e6).toFixed(1);

interface TenantTable extends SyncableTable {
  /** The tenant filter column: `tenant_id`, or `id` for `tenants` itself. */
  readonly filter: 'tenant_id' | 'id';
}

/** `tenants` and every syncable table with a tenant_id column. */
async function tenantTables(rows: RowsOf): Promise<TenantTable[]> {
  const { tables } = await syncableTables(rows);
  return tables.flatMap((t): TenantTable[] =>
    t.name === 'tenants'
      ? [{ ...t, filter: 'id' }]
      : t.columns.includes('tenant_id')
        ? [{ ...t, filter: 'tenant_id' }]
        : [],
  );
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
function wasmHeapBytes(db: SyncPGlite): number | null {
  const mod = (db as unknown as { mod?: { wasmMemory?: { buffer: ArrayBuffer } } }).mod;
  return mod?.wasmMemory?.buffer.byteLength ?? null;
}

/** A local PGlite with the local schema and pglite-sync, relaxed for the applier (see the header). */
async function localDatabase() {
  const db = await createMigratedSyncPGlite();
  const relaxed = await relaxForSyncApplier(db);
  if (foreignKeys === 'dropped') {
    await db.transaction(async (tx) => {
      for (const fk of relaxed.deferredForeignKeys) {
        const dot = fk.lastIndexOf('.');
        await tx.exec(`ALTER TABLE ${fk.slice(0, dot)} DROP CONSTRAINT ${ident(fk.slice(dot + 1))}`);
      }
    });
  }
  return { db, relaxed };
}

interface SyncRun {
  readonly method: Method;
  /** The first run of the process: client and PGlite code not yet warm. */
  readonly cold: boolean;
  readonly ok: boolean;
  readonly error?: string;
  readonly rows: number;
  /** Until the first shape response reached pglite-sync's stream. */
  readonly seconds_until_first_rows: number | null;
  /** Until the applier's transaction began: every shape downloaded (snapshots, HTTP, parsing). */
  readonly seconds_until_apply_began: number | null;
  /** pglite-sync's transactions (the initial data is one), deferred foreign-key checks included. */
  readonly apply_seconds: number[];
  readonly seconds_until_rows_landed: number | null;
  readonly rows_per_s: number | null;
  readonly download_rows_per_s: number | null;
  readonly apply_rows_per_s: number | null;
  readonly memory_mb: Record<string, number>;
  readonly mismatched_tables?: Record<string, { central: number; local: number }>;
  readonly local_relaxations: { foreign_keys: string; tables_with_user_triggers_disabled: number };
}

interface RunContext {
  readonly central: pg.Client;
  readonly databaseUrl: string;
  readonly tables: readonly TenantTable[];
  readonly tenantId: string;
  readonly expected: Readonly<Record<string, number>>;
}

/** One run on a fresh sync server process (own data directory and slot), removed afterwards. */
async function syncOnce(method: Method, cold: boolean, ctx: RunContext, runIndex: number): Promise<SyncRun> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-'));
  const slot = `bench_pglite_sync_${runIndex}`;
  const server = await spawnSyncServer({ databaseUrl: ctx.databaseUrl, dataDir, slot });
  try {
    await waitForHealth(server.url);
    return await measureSync(method, cold, ctx, server.shapeUrl);
  } finally {
    await server.kill('SIGTERM');
    await ctx.central.query(`SELECT pg_drop_replication_slot($1)`, [slot]);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function measureSync(
  method: Method,
  cold: boolean,
  ctx: RunContext,
  shapeUrl: string,
): Promise<SyncRun> {
  const { tables, tenantId, expected } = ctx;
  const rssBefore = process.memoryUsage().rss;
  const { db, relaxed } = await localDatabase();
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
  // pglite-sync does not await its apply: a failed transaction (a foreign key, a duplicate) surfaces
  // as an unhandled rejection, not through onError. Record it as this run's failure.
  const onUnhandled = (reason: unknown) =>
    errors.push(`apply failed: ${reason instanceof Error ? reason.message : String(reason)}`);
  process.on('unhandledRejection', onUnhandled);
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  // json_to_recordset takes the rows as one JSON parameter: int8 must stay a string (JSON has no BigInt).
  const parser = method === 'json' ? { ...PGLITE_SHAPE_PARSERS, int8: (v: string) => v } : null;
  const started = performance.now();
  let firstRowsAt: number | null = null;
  let landedAt: number | null = null;
  let local: Record<string, number> = {};
  try {
    const subscription = await db.sync.syncShapesToTables({
      key: `bench-${method}`,
      initialInsertMethod: method,
      shapes: Object.fromEntries(
        tables.map((t) => {
          const whole = tableShape(shapeUrl, t);
          const shape = {
            ...whole.shape,
            params: { ...whole.shape.params, where: `${t.filter} = $1`, params: [tenantId] },
            ...(parser ? { parser: parser as unknown as NonNullable<typeof whole.shape.parser> } : {}),
          };
          return [t.name, { ...whole, shape }];
        }),
      ),
      onError: (error) => errors.push(error.message),
    });
    for (const stream of Object.values(subscription.streams)) {
      stream.subscribe(() => {
        firstRowsAt ??= performance.now();
      });
    }
    const deadline = started + 600_000;
    while (performance.now() < deadline && errors.length === 0) {
      if (subscription.isUpToDate) {
        // Queues behind the applier's transaction (PGlite runs one query at a time).
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
  process.off('unhandledRejection', onUnhandled);
  const { rows: size } = await db.query<{ bytes: string }>(
    `SELECT pg_database_size(current_database())::text AS bytes`,
  );
  const rssAfter = process.memoryUsage().rss;
  const heapAfter = wasmHeapBytes(db);
  await db.close();

  const seconds = (at: number | null) => (at === null ? null : +((at - started) / 1000).toFixed(2));
  const applyBegan = applies[0]?.start ?? null;
  const applyEnded = applies[0]?.end ?? null;
  const rate = (from: number | null, to: number | null) =>
    from === null || to === null ? null : Math.round(total / ((to - from) / 1000));
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
    seconds_until_first_rows: seconds(firstRowsAt),
    seconds_until_apply_began: seconds(applyBegan),
    apply_seconds: applies.map((a) => +((a.end - a.start) / 1000).toFixed(2)),
    seconds_until_rows_landed: seconds(landedAt),
    rows_per_s: rate(started, landedAt),
    download_rows_per_s: rate(started, applyBegan),
    apply_rows_per_s: rate(applyBegan, applyEnded),
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
      foreign_keys: `${relaxed.deferredForeignKeys.length} ${foreignKeys}`,
      tables_with_user_triggers_disabled: relaxed.disabledTriggers.length,
    },
  };
}

const cluster = await PostgresCluster.start();
try {
  const central = new pg.Client({ connectionString: cluster.url() });
  await central.connect();
  const centralRows: RowsOf = async <R>(sql: string) => (await central.query(sql)).rows as R[];
  let t = performance.now();
  await runMigrations(pgExecutor(central), await loadMigrationFiles(), 'central');
  const summary = await seedDatabase(central, { scale, anchor: new Date('2026-11-22T12:00:00Z') });
  const setupSeconds = (performance.now() - t) / 1000;
  const { rows: tenant } = await central.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = $1`, [
    TENANT,
  ]);
  const tenantId = tenant[0]?.id;
  if (!tenantId) throw new Error(`no tenant ${TENANT}`);
  const tables = await tenantTables(centralRows);
  const expected = (await central.query<Record<string, number>>(countsSql(tables, tenantId))).rows[0] ?? {};
  const nonEmpty = tables.filter((x) => (expected[x.name] ?? 0) > 0);
  const ctx: RunContext = { central, databaseUrl: cluster.url(), tables: nonEmpty, tenantId, expected };

  // The first run warms the code up (reported, marked cold); then each method once.
  const runs: SyncRun[] = [];
  for (const [i, method] of [methods[0] ?? 'insert', ...methods].entries()) {
    t = performance.now();
    const run = await syncOnce(method, i === 0, ctx, i);
    console.error(`${method}: ${((performance.now() - t) / 1000).toFixed(1)} s, ok ${run.ok}`);
    runs.push(run);
  }
  await central.end();
  if (runs.some((r) => !r.ok)) process.exitCode = 1;

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
        generated_columns_left_out: nonEmpty
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
process.exit(process.exitCode ?? 0);

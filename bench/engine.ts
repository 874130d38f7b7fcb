/**
 * bench/engine.ts: the local-first engine's numbers, measured through the Node host and its RPC (what
 * a UI sees), against a gated sync server process on a seeded throwaway PostgreSQL 15:
 *
 *   npx tsx bench/engine.ts [--scale 10] [--approvals 100000] [--writes 2000] [--latency-samples 100]
 *                           [--profile]   (this process's CPU profile of the central-commit step)
 *
 *   1. initial sync of `admin@acme.test` (every table the admin may read), from sign-in to up-to-date
 *   2. cold open of that existing local database in a new process (bench/engine-open.ts): host start,
 *      resume of the saved account, first explorer query answered
 *   3. local write ─► live query update: `table.write` insert, until a live `table.query` shows it
 *      central commit ─► live query update: INSERT in central Postgres, until the live query shows it,
 *      and the shape requests the client made per change
 *   4. upload throughput: N table writes made offline, then online: until the outbox is empty
 *   5. inbox query over `--approvals` extra approvals (pending for me, by expiry, 50 rows), p50/p99
 *
 * Setup: central migrations + seedDatabase({ scale }) (anchor 2026-11-22T12:00Z), the sync server in its
 * own process (gated, AUTH_SECRET), the client in this process. Prints JSON; exits 1 if a step fails.
 */
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Session } from 'node:inspector';
import path from 'node:path';
import pg from 'pg';
import { pgExecutor } from '../common/migrations/executors.ts';
import { runMigrations } from '../common/migrations/runner.ts';
import type { RpcClient } from '../common/rpc/client.ts';
import { readableRules } from '../common/sync/rules.ts';
import { startNodeHost, type NodeHost } from '../core/host/node-host.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';
import { seedDatabase } from '../scripts/db/seed/index.ts';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import { follow } from '../scripts/testing/engine-contract.ts';
import { spawnSyncServer, waitForHealth } from '../scripts/testing/sync-server-process.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const scale = Number(arg('scale', '10'));
const approvals = Number(arg('approvals', '100000'));
const writes = Number(arg('writes', '2000'));
const latencySamples = Number(arg('latency-samples', '100'));
const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
// pglite-sync links every shape's stream to one AbortSignal (about 60 here): not a leak.
setMaxListeners(500);

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return +(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(2);
};
const seconds = (ms: number) => +(ms / 1000).toFixed(2);
/** Requests to /v1/shape made by the client (every shape's long-polls, refreshes and snapshots). */
const shapeRequests = { count: 0 };

async function main(): Promise<void> {
  const cluster = await PostgresCluster.start();
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE bench_engine');
  const databaseUrl = cluster.url().replace(/\/[^/?]*(\?|$)/, '/bench_engine$1');
  const central = new pg.Client({ connectionString: databaseUrl });
  await central.connect();
  const serverDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-server-'));
  const clientDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-client-'));
  const migrations = await loadMigrationFiles();
  let server: Awaited<ReturnType<typeof spawnSyncServer>> | null = null;
  let host: NodeHost | null = null;
  const network = { online: true };
  const open = () =>
    startNodeHost({
      dataDir: clientDir,
      migrations,
      fetch: (input, init) => {
        if (String(input instanceof Request ? input.url : input).includes('/v1/shape')) shapeRequests.count++;
        return network.online ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: offline'));
      },
      statusIntervalMs: 100,
      uploadPollMs: 1_000,
    });
  const result: Record<string, unknown> = { scale, approvals, writes };
  try {
    await runMigrations(pgExecutor(central), migrations, 'central');
    await seedDatabase(central, { scale });
    server = await spawnSyncServer({
      databaseUrl,
      dataDir: serverDir,
      slot: 'bench_engine',
      authSecret: SECRET,
    });
    await waitForHealth(server.url);

    // 1. Initial sync.
    host = await open();
    let client: RpcClient = host.connect();
    const started = performance.now();
    await client.call('session.signIn', {
      serverUrl: server.url,
      email: 'admin@acme.test',
      password: 'outpost-demo',
      tenant: 'acme',
    });
    const status = follow(client, 'sync.status', undefined);
    const done = await status.until((s) => s.state === 'up-to-date' || s.state === 'error', 600_000);
    const syncMs = performance.now() - started;
    status.stop();
    if (done.state !== 'up-to-date')
      throw new Error(`initial sync failed: ${JSON.stringify(done.lastError)}`);
    const session = await client.call('session.get', undefined);
    if (!session) throw new Error('no session');
    const db = host.engine.database!;
    let rows = 0;
    const tables = readableRules(new Set(session.user.permissions)).map((r) => r.table);
    for (const table of tables)
      rows +=
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.${table}`)).rows[0]?.n ?? 0;
    result['initial_sync'] = {
      tables: tables.length,
      rows,
      seconds: seconds(syncMs),
      rows_per_s: Math.round(rows / (syncMs / 1000)),
    };
    await host.close();
    host = null;

    // 2. Cold open in a new process.
    result['cold_open'] = await coldOpen(clientDir);

    // 3. Local write to live query update.
    host = await open();
    client = host.connect();
    await client.call('session.resume', undefined);
    const live = follow(client, 'table.query', {
      table: 'workflows',
      filters: [{ column: 'name', op: 'contains', value: 'latency-' }],
      sort: [{ column: 'name', direction: 'desc' }],
      limit: 50,
    });
    await live.until(() => true);
    const latencies: number[] = [];
    for (let i = 0; i < latencySamples; i++) {
      const name = `latency-${String(i).padStart(6, '0')}`;
      const t0 = performance.now();
      await client.call('table.write', { table: 'workflows', op: 'insert', values: { name } });
      await live.until((p) => p.rows.some((r) => r['name'] === name), 10_000);
      latencies.push(performance.now() - t0);
    }
    live.stop();
    result['write_to_live_query_ms'] = {
      samples: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };

    // 3b. Central commit to live query: an INSERT in central Postgres until a live query shows the row,
    // and how many shape requests the client made per change (every shape must report up to date).
    const profiler = process.argv.includes('--profile') ? await startNodeProfile() : null;
    result['central_commit_to_live_query'] = await centralToLive(
      client,
      central,
      session.tenant.id,
      server.pid,
    );
    if (profiler) result['central_commit_profile'] = await profiler.stop(30);

    // 4. Upload throughput.
    const pendingList = follow(client, 'writes.list', undefined);
    await pendingList.until((l) => l.length === 0, 120_000);
    network.online = false;
    const writeStarted = performance.now();
    for (let i = 0; i < writes; i++)
      await client.call('table.write', { table: 'workflows', op: 'insert', values: { name: `upload-${i}` } });
    const writeMs = performance.now() - writeStarted;
    const counts = follow(client, 'sync.status', undefined);
    await counts.until((st) => st.pendingWrites === writes, 60_000);
    network.online = true;
    const uploadStarted = performance.now();
    await client.call('sync.retry', undefined);
    await counts.until((st) => st.pendingWrites === 0, 600_000);
    const uploadMs = performance.now() - uploadStarted;
    counts.stop();
    pendingList.stop();
    const onServer = await central.query<{ n: string }>(
      `SELECT count(*) AS n FROM workflows WHERE name LIKE 'upload-%'`,
    );
    if (Number(onServer.rows[0]?.n) !== writes)
      throw new Error(`upload: ${onServer.rows[0]?.n} of ${writes} writes reached the server`);
    result['local_writes'] = { writes, per_s: Math.round(writes / (writeMs / 1000)) };
    result['upload'] = {
      mutations: writes,
      seconds: seconds(uploadMs),
      per_s: Math.round(writes / (uploadMs / 1000)),
    };

    // 5. Inbox query over many approvals.
    result['inbox_query_ms'] = await inbox(host, session.user.id, session.tenant.id);
    result['ok'] = true;
  } catch (error) {
    result['ok'] = false;
    result['error'] = (error as Error).stack ?? String(error);
  } finally {
    await host?.close().catch(() => undefined);
    await server?.kill('SIGTERM').catch(() => undefined);
    await central.query(`SELECT pg_drop_replication_slot('bench_engine')`).catch(() => undefined);
    await central.end();
    await admin.end();
    await cluster.stop();
    await rm(serverDir, { recursive: true, force: true });
    await rm(clientDir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result, null, 2));
  if (!result['ok']) process.exitCode = 1;
}

/** `latencySamples` central INSERTs into workflows, each until a live query shows it. */
async function centralToLive(
  client: RpcClient,
  central: pg.Client,
  tenantId: string,
  serverPid: number,
): Promise<unknown> {
  const live = follow(client, 'table.query', {
    table: 'workflows',
    filters: [{ column: 'name', op: 'contains', value: 'central-' }],
    sort: [{ column: 'name', direction: 'desc' }],
    limit: 50,
  });
  await live.until(() => true);
  const latencies: number[] = [];
  const before = shapeRequests.count;
  const clientCpu = process.cpuUsage();
  const serverCpu = await processCpuMs(serverPid);
  for (let i = 0; i < latencySamples; i++) {
    const name = `central-${String(i).padStart(6, '0')}`;
    const t0 = performance.now();
    await central.query(`INSERT INTO workflows (tenant_id, name) VALUES ($1, $2)`, [tenantId, name]);
    await live.until((p) => p.rows.some((r) => r['name'] === name), 60_000);
    latencies.push(performance.now() - t0);
  }
  live.stop();
  const used = process.cpuUsage(clientCpu);
  const perChange = (ms: number) => +(ms / latencySamples).toFixed(1);
  return {
    samples: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    shape_requests_per_change: perChange(shapeRequests.count - before),
    // CPU time per change: the client process (engine, PGlite, the Electric client) and the server's.
    client_cpu_ms_per_change: perChange((used.user + used.system) / 1000),
    server_cpu_ms_per_change: perChange((await processCpuMs(serverPid)) - serverCpu),
  };
}

/** This process's sampling CPU profile (node:inspector): self time by function, the largest first. */
async function startNodeProfile(): Promise<{ stop(top: number): Promise<{ fn: string; ms: number }[]> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop(top) {
      const { profile } = (await post('Profiler.stop')) as {
        profile: {
          nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
          samples: number[];
          timeDeltas: number[];
        };
      };
      session.disconnect();
      const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
      const self = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const f = frames.get(id);
        const name = f
          ? `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-3).join('/')}:${f.lineNumber + 1}`
          : '?';
        self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
      });
      return [...self]
        .map(([fn, ms]) => ({ fn, ms: Math.round(ms) }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, top);
    },
  };
}

/** User + system CPU time of a process so far (Linux /proc; clock ticks of 10 ms). */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Opens the existing data directory in a fresh process (bench/engine-open.ts prints its timings). */
async function coldOpen(dataDir: string): Promise<unknown> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'engine-open.ts'), dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`engine-open exited with ${code}: ${out}`);
  return JSON.parse(out) as unknown;
}

/** Adds `approvals` approvals as server state, then times the inbox query. */
async function inbox(host: NodeHost, me: string, tenantId: string) {
  const db = host.engine.database!;
  await db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL electric.syncing = true`);
    await tx.query(
      `INSERT INTO synced.approvals (tenant_id, work_item_id, title, risk_level, status, requested_by,
                                     approver_ids, approved_by, approved_at, rejected_reason, expires_at)
       SELECT $1, w.id, 'bench approval ' || g, g % 6, s.status, $2,
              CASE WHEN g % 10 = 0 THEN ARRAY[$2::uuid] ELSE ARRAY[gen_random_uuid()] END,
              CASE WHEN s.status IN ('approved', 'rejected') THEN $2::uuid END,
              CASE WHEN s.status IN ('approved', 'rejected') THEN now() END,
              CASE WHEN s.status = 'rejected' THEN 'bench' END,
              now() + make_interval(mins => (g * 7919) % 100000)
         FROM generate_series(1, $3) g
         CROSS JOIN LATERAL (SELECT (ARRAY['pending', 'pending', 'approved', 'rejected', 'expired'])[1 + g % 5]
                               AS status) s
         CROSS JOIN LATERAL (SELECT id FROM synced.work_items WHERE tenant_id = $1
                             ORDER BY id OFFSET g % 20 LIMIT 1) w`,
      [tenantId, me, approvals],
    );
  });
  await db.exec('ANALYZE');
  const sql = `SELECT id, title, risk_level, expires_at FROM approvals
                WHERE status = 'pending' AND approver_ids @> ARRAY[$1::uuid]
                ORDER BY expires_at LIMIT 50`;
  const times: number[] = [];
  let returned = 0;
  for (let i = 0; i < 220; i++) {
    const t0 = performance.now();
    const { rows } = await db.query(sql, [me]);
    if (i >= 20) times.push(performance.now() - t0);
    returned = rows.length;
  }
  const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [me]);
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM approvals`);
  return {
    approvals: total.rows[0]?.n,
    rows_returned: returned,
    samples: times.length,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    plan: plan.rows.map((r) => r['QUERY PLAN']).join(' | '),
  };
}

await main();

/**
 * bench/sse-clients.ts: N concurrent SSE live clients (default 10,000) on one sync server, one write:
 * how long until every client has it, and what an idle SSE client costs the server.
 *
 *   npx tsx bench/sse-clients.ts [--clients 10000] [--writes 3] [--batch 250]
 *
 * Three processes beside one throwaway PostgreSQL 15 cluster, all on this machine's cores:
 *
 *   this process      the cluster, the table, the writes, the report
 *   server (--serve)  the real SyncServer (insecure mode, SSE hold 10 min), run with --expose-gc so its
 *                     memory is measured after full collections
 *   clients (--clients-role)  N lightweight SSE readers: raw HTTP/1.1 over node:net, one socket each,
 *                     `GET /v1/shape?...&live=true&live_sse=true` at the shape's end. They are NOT
 *                     @electric-sql/client ShapeStreams (10,000 of those in one process measure the
 *                     client library, about 1 ms of CPU per event each; see docs/benchmarks.md, issue
 *                     4): each reader only looks for the write's marker in the bytes it receives.
 *
 *   1. one shape (`items`, all rows; every client on it), read to up-to-date with fetch
 *   2. server memory after GC (baseline); N readers connect, `--batch` at a time, each waiting for its
 *      response headers and first keep-alive; server memory again: (after - baseline) / N per client
 *   3. `--writes` times, 1 s apart: one single-row INSERT; per client the time from just before the
 *      INSERT was sent until its socket received the row (clocks: performance.timeOrigin + now(), one
 *      machine). Reported per write and over all writes: p50, p99, max, missing (target p99 <= 1 s),
 *      with the INSERT's own round trip (on a loaded machine the commit's fsync alone can take 100+ ms),
 *      and, measured inside the server, when the SSE write carrying the row was handed to each socket.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import { SyncServer } from '../sync-server/server.ts';
import { forkRole } from './child-role.ts';
import { measureMemory, type Memory } from './process-memory.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ToServer = { type: 'memory' } | { type: 'served'; marker: string } | { type: 'stop' };
type FromServer =
  { type: 'ready'; url: string } | { type: 'memory'; memory: Memory } | { type: 'served'; times: number[] };
type ToClients = { type: 'open'; url: string; n: number; batch: number } | { type: 'expect'; marker: string };
type FromClients =
  | { type: 'opened'; n: number; failed: number; seconds: number }
  | { type: 'received'; times: number[]; missing: number };

/** The server role: a real SyncServer driven over IPC. */
/**
 * When the server handed each SSE write carrying `marker` to its socket (ServerResponse.write wrapped;
 * the server's code is untouched), so the server's part can be told from the clients'.
 */
function recordServedWrites(): (marker: string) => number[] {
  const writes: { at: number; chunk: Buffer }[] = [];
  type Write = (this: http.ServerResponse, ...args: unknown[]) => unknown;
  const original = Reflect.get(http.ServerResponse.prototype, 'write') as Write;
  const write: Write = function (...args) {
    const chunk = args[0];
    if (chunk instanceof Uint8Array && chunk.length > 40)
      writes.push({ at: now(), chunk: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) });
    return original.apply(this, args);
  };
  Reflect.set(http.ServerResponse.prototype, 'write', write);
  return (marker) => {
    const found = writes.filter((w) => w.chunk.includes(marker)).map((w) => w.at);
    writes.length = 0;
    return found;
  };
}

async function serve(): Promise<void> {
  const served = recordServedWrites();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-'));
  const server = await SyncServer.start({
    databaseUrl: arg('database-url', ''),
    dataDir,
    sseHoldMs: 600_000,
    log: () => undefined,
  });
  const send = (message: FromServer) => process.send?.(message);
  process.on('message', (message: ToServer) => {
    if (message.type === 'memory') void measureMemory().then((memory) => send({ type: 'memory', memory }));
    else if (message.type === 'served') send({ type: 'served', times: served(message.marker) });
    else
      void server
        .stop()
        .then(() => rm(dataDir, { recursive: true, force: true }).then(() => process.exit(0)));
  });
  send({ type: 'ready', url: server.url });
}

/** The clients role: N raw SSE readers. */
function clients(): void {
  const sockets: Socket[] = [];
  let marker: Buffer | null = null;
  let received: number[] = [];
  let pending = new Set<Socket>();
  const send = (message: FromClients) => process.send?.(message);
  const reply = () => {
    send({ type: 'received', times: received, missing: pending.size });
    marker = null;
  };
  const open = (url: URL, onHeaders: (ok: boolean) => void): void => {
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    let headers = false;
    socket.on('connect', () =>
      socket.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\naccept: text/event-stream\r\n\r\n`,
      ),
    );
    socket.on('data', (chunk: Buffer) => {
      if (!headers) {
        headers = true;
        onHeaders(chunk.subarray(0, 12).toString('latin1') === 'HTTP/1.1 200');
      }
      if (marker && pending.has(socket) && chunk.includes(marker)) {
        received.push(now());
        pending.delete(socket);
        if (pending.size === 0) reply();
      }
    });
    socket.on('error', () => {
      if (!headers) {
        headers = true;
        onHeaders(false);
      }
    });
    sockets.push(socket);
  };
  process.on('message', (message: ToClients) => {
    if (message.type === 'open') {
      const started = now();
      const url = new URL(message.url);
      let opened = 0;
      let failed = 0;
      let next = 0;
      const more = (): void => {
        while (next < message.n && next - opened - failed < message.batch) {
          next++;
          open(url, (ok) => {
            if (ok) opened++;
            else failed++;
            if (opened + failed === message.n)
              send({ type: 'opened', n: opened, failed, seconds: (now() - started) / 1000 });
            else more();
          });
        }
      };
      more();
    } else {
      marker = Buffer.from(message.marker);
      received = [];
      pending = new Set(sockets.filter((s) => !s.destroyed));
      setTimeout(() => marker && reply(), 30_000).unref();
    }
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function run(): Promise<void> {
  const n = Number(arg('clients', '10000'));
  const writes = Number(arg('writes', '3'));
  const batch = Number(arg('batch', '250'));
  const cluster = await PostgresCluster.start();
  const db = new pg.Client({ connectionString: cluster.url() });
  await db.connect();
  const server = forkRole<ToServer, FromServer>(['--serve', '--database-url', cluster.url()]);
  const readers = forkRole<ToClients, FromClients>(['--clients-role']);
  try {
    await db.query(`CREATE TABLE items (id bigserial PRIMARY KEY, title text NOT NULL)`);
    await db.query(`INSERT INTO items (title) SELECT 'row ' || g FROM generate_series(1, 100) g`);
    const { url } = await server.ask('ready');
    let offset = '-1';
    let handle = '';
    for (;;) {
      const u = new URL('/v1/shape', url);
      u.searchParams.set('table', 'items');
      u.searchParams.set('offset', offset);
      if (handle) u.searchParams.set('handle', handle);
      const response = await fetch(u);
      const body = await response.text();
      handle = response.headers.get('electric-handle') ?? handle;
      offset = response.headers.get('electric-offset') ?? offset;
      if (body.includes('"up-to-date"')) break;
    }
    const live = new URL('/v1/shape', url);
    live.search = new URLSearchParams({
      table: 'items',
      handle,
      offset,
      live: 'true',
      live_sse: 'true',
    }).toString();
    const before = (await server.ask('memory', { type: 'memory' })).memory;
    const opened = await readers.ask('opened', { type: 'open', url: live.toString(), n, batch });
    await sleep(1000);
    const after = (await server.ask('memory', { type: 'memory' })).memory;
    const perClient = (key: keyof Memory) =>
      +((after[key] - before[key]) / Math.max(1, opened.n) / 1024).toFixed(1);

    const perWrite = [];
    const all: number[] = [];
    const commitMs: number[] = [];
    let missing = 0;
    for (let w = 1; w <= writes; w++) {
      await sleep(1000);
      const marker = `"title":"write ${w} of the benchmark"`;
      const received = readers.ask('received', { type: 'expect', marker });
      await sleep(50); // the readers have the marker before the write can reach them
      const sent = now();
      await db.query(`INSERT INTO items (title) VALUES ($1)`, [`write ${w} of the benchmark`]);
      const committed = now();
      const result = await received;
      const latencies = result.times.map((t) => t - sent).sort((a, b) => a - b);
      const atServer = (await server.ask('served', { type: 'served', marker })).times
        .map((t) => t - sent)
        .sort((a, b) => a - b);
      all.push(...latencies);
      commitMs.push(committed - sent);
      missing += result.missing;
      perWrite.push({
        write: w,
        insert_round_trip_ms: +(committed - sent).toFixed(1),
        received: latencies.length,
        missing: result.missing,
        p50_ms: +percentile(latencies, 50).toFixed(1),
        p99_ms: +percentile(latencies, 99).toFixed(1),
        max_ms: +(latencies[latencies.length - 1] ?? Number.NaN).toFixed(1),
        server: {
          writes: atServer.length,
          first_ms: +(atServer[0] ?? Number.NaN).toFixed(1),
          p50_ms: +percentile(atServer, 50).toFixed(1),
          p99_ms: +percentile(atServer, 99).toFixed(1),
          last_ms: +(atServer[atServer.length - 1] ?? Number.NaN).toFixed(1),
        },
      });
    }
    all.sort((a, b) => a - b);
    const p99 = percentile(all, 99);
    const perClientHeap = perClient('heapUsed');
    console.log(
      JSON.stringify(
        {
          benchmark: 'sse-clients',
          clients: n,
          clients_kind: 'raw HTTP/1.1 SSE readers (node:net), one process',
          connected: opened.n,
          failed_to_connect: opened.failed,
          connect_seconds: +opened.seconds.toFixed(1),
          delivery: {
            n: all.length,
            missing,
            p50_ms: +percentile(all, 50).toFixed(1),
            p99_ms: +p99.toFixed(1),
            max_ms: +(all[all.length - 1] ?? Number.NaN).toFixed(1),
          },
          insert_round_trip_ms_max: +Math.max(...commitMs).toFixed(1),
          writes: perWrite,
          server_memory_mb: {
            before: { rss: +(before.rss / 1e6).toFixed(1), heap_used: +(before.heapUsed / 1e6).toFixed(1) },
            after: { rss: +(after.rss / 1e6).toFixed(1), heap_used: +(after.heapUsed / 1e6).toFixed(1) },
          },
          per_idle_client_kb: {
            heap_used: perClientHeap,
            external: perClient('external'),
            rss: perClient('rss'),
          },
          targets: { delivery_p99_ms: 1000, per_idle_client_kb: 20 },
          meets_target: {
            delivery_p99: missing === 0 && p99 <= 1000,
            per_idle_client_heap: perClientHeap <= 20,
            per_idle_client_rss: perClient('rss') <= 20,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    readers.proc.kill();
    await new Promise((resolve) => {
      server.proc.once('exit', resolve);
      server.proc.send({ type: 'stop' } satisfies ToServer);
    });
    await db.end();
    await cluster.stop();
  }
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--clients-role')) clients();
else await run();

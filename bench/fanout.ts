/**
 * bench/fanout.ts: one sync server, 1 / 100 / 1,000 concurrent live shapes, one write that reaches
 * all of them: how long until every subscriber has it, and what an idle live shape costs the server.
 *
 *   npx tsx bench/fanout.ts [--shapes 1,100,1000] [--writes 5] [--server child|in-process]
 *                           [--fetch global|node-http] [--variants partitioned,overlapping,shared]
 *                           [--live long-poll|sse]
 *
 * For each N and each variant, on a fresh sync server (one throwaway PostgreSQL 15 cluster):
 *
 *   1. one warm-up stream, then the server's memory after a full GC (the baseline)
 *   2. N ShapeStreams (@electric-sql/client, live), each on its own shape definition (all on one for
 *      `shared`), each with its own AbortController; wait until
 *      every one is up to date and back in its long-poll, then the server's memory again:
 *      (after - baseline) / N is the cost of one idle live shape with its held request
 *   3. `--writes` times, 1 s apart: one transaction that reaches all N shapes. Per subscriber, the
 *      time from just before the INSERT was sent to its callback receiving the row; and, measured
 *      inside the server process, when each live response carrying the row was handed to its socket
 *      (so the server's part can be told from the clients')
 *
 *   variant `partitioned`: shape i is `bucket = $1` (its own bucket); the write is one INSERT of N
 *                          rows, one per bucket (one row for each shape, N rows to route)
 *   variant `overlapping`: shape i is `id > $1` with $1 = -i (distinct definitions, all matching);
 *                          the write is one single-row INSERT that every shape delivers
 *   variant `shared`:      N clients on one shape (`id > $1`, the same $1 for all); the same write.
 *                          One log entry, N live responses; "per shape" memory is then per client
 *
 * `--server child` (the default) runs the sync server in a child process (with --expose-gc), so its
 * memory is measured alone and it does not share an event loop with the N clients and the writer.
 * The two processes and PostgreSQL still share the machine's 2 cores: the N clients (each response
 * parsed, each next long-poll sent) are CPU load next to the server in either mode. `--server
 * in-process` runs the server in this process; the memory delta then includes the clients' objects.
 *
 * HTTP: `--fetch global` (the default) is Node's fetch. Its default dispatcher (undici Agent) has no
 * per-origin connection cap (unlike browsers), so N long-polls hold N keep-alive connections; the
 * benchmark counts the server's established sockets with `ss` to show it (idle keep-alive sockets
 * included: a client sometimes opens a new connection before its previous one is back in the pool).
 * `--fetch node-http` gives ShapeStream a fetch built on node:http with a keep-alive Agent
 * (maxSockets Infinity), a lighter client. Times across the two processes use
 * `performance.timeOrigin + performance.now()`. `--live sse` runs the ShapeStreams with `liveSse`: each
 * holds one Server-Sent Events response that the server writes every transaction to, instead of one
 * long-poll request per change. Prints one JSON object.
 *
 * Guarantees: each subscriber's latency is for its own row of that write (the rows carry the write's
 * key; snapshots of earlier rounds' rows are ignored); a subscriber that has not seen a write after
 * 30 s is counted in `missing`; every server process, its data directory and the cluster are removed.
 */
import { ShapeStream, isChangeMessage, type Row } from '@electric-sql/client';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
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
const VARIANTS = ['partitioned', 'overlapping', 'shared'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Milliseconds on a clock shared by the processes of this machine. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Records, in the process that runs the server, when each HTTP response whose body carries
 * `"write":"<k>"` was handed to its socket (`res.end`), by k. Wraps ServerResponse.prototype.write/end;
 * the server's code is untouched.
 */
function recordServedWrites(): Map<number, number[]> {
  const served = new Map<number, number[]>();
  type Send = (this: http.ServerResponse, ...args: unknown[]) => unknown;
  const original = Reflect.get(http.ServerResponse.prototype, 'end') as Send;
  const originalWrite = Reflect.get(http.ServerResponse.prototype, 'write') as Send;
  // The route may send a body in pieces (write … write, end()): the pieces are kept per response.
  const pieces = new WeakMap<http.ServerResponse, string[]>();
  const text = (chunk: unknown): string =>
    typeof chunk === 'string'
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk).toString('latin1')
        : '';
  const record = (body: string) => {
    if (!body.includes('"write":"')) return;
    const at = now();
    for (const key of new Set([...body.matchAll(/"write":"(\d+)"/g)].map((m) => Number(m[1])))) {
      let list = served.get(key);
      if (!list) served.set(key, (list = []));
      list.push(at);
    }
  };
  const write: Send = function (...args) {
    // An SSE response is written a transaction at a time and never ended while it is live.
    if (String(this.getHeader('content-type')).startsWith('text/event-stream')) {
      record(text(args[0]));
      return originalWrite.apply(this, args);
    }
    let list = pieces.get(this);
    if (!list) pieces.set(this, (list = []));
    list.push(text(args[0]));
    return originalWrite.apply(this, args);
  };
  const end: Send = function (...args) {
    record((pieces.get(this) ?? []).join('') + text(args[0]));
    pieces.delete(this);
    return original.apply(this, args);
  };
  Reflect.set(http.ServerResponse.prototype, 'write', write);
  Reflect.set(http.ServerResponse.prototype, 'end', end);
  return served;
}

// ─── The server role (`--serve`): a SyncServer in a child process, driven over IPC. ─────────────

type ToServer = { type: 'memory' } | { type: 'served'; key: number } | { type: 'stop' };
type FromServer =
  { type: 'ready'; url: string } | { type: 'memory'; memory: Memory } | { type: 'served'; times: number[] };

if (process.argv.includes('--serve')) {
  const served = recordServedWrites();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-'));
  const server = await SyncServer.start({
    databaseUrl: arg('database-url', ''),
    dataDir,
    log: () => undefined,
  });
  const send = (message: FromServer) => process.send?.(message);
  process.on('message', (message: ToServer) => {
    if (message.type === 'memory') void measureMemory().then((memory) => send({ type: 'memory', memory }));
    else if (message.type === 'served') send({ type: 'served', times: served.get(message.key) ?? [] });
    else
      void server
        .stop()
        .then(() => rm(dataDir, { recursive: true, force: true }).then(() => process.exit(0)));
  });
  send({ type: 'ready', url: server.url });
} else {
  await runBenchmark();
}

// ─── The benchmark role. ─────────────────────────────────────────────────────────────────────

interface ServerHandle {
  readonly url: string;
  memory(): Promise<Memory>;
  /** When the server handed each response carrying write `key` to its socket. */
  served(key: number): Promise<number[]>;
  stop(): Promise<void>;
}

async function startChildServer(databaseUrl: string): Promise<ServerHandle> {
  const { proc: child, ask } = forkRole<ToServer, FromServer>(['--serve', '--database-url', databaseUrl]);
  const { url } = await ask('ready');
  return {
    url,
    memory: async () => (await ask('memory', { type: 'memory' })).memory,
    served: async (key) => (await ask('served', { type: 'served', key })).times,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' } satisfies ToServer);
      await exited;
    },
  };
}

let servedInProcess: Map<number, number[]> | null = null;

async function startInProcessServer(databaseUrl: string): Promise<ServerHandle> {
  const served = (servedInProcess ??= recordServedWrites());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-'));
  const server = await SyncServer.start({ databaseUrl, dataDir, log: () => undefined });
  return {
    url: server.url,
    memory: measureMemory,
    served: (key) => Promise.resolve(served.get(key) ?? []),
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function distribution(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => +(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN).toFixed(1);
  return { n: s.length, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: +(s.at(-1) ?? NaN).toFixed(1) };
}

function establishedConnections(url: string): number {
  const port = new URL(url).port;
  const out = execFileSync('ss', ['-Htn', 'state', 'established', `( sport = :${port} )`], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((line) => line.trim() !== '').length;
}

/** A `fetch` for ShapeStream on node:http with one keep-alive Agent (no socket limit). */
function nodeHttpFetch(agent: http.Agent): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const request = http.request(
        url,
        { agent, method: init?.method ?? 'GET', headers, ...(init?.signal ? { signal: init.signal } : {}) },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const out = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(', ') : value);
            }
            const status = response.statusCode ?? 500;
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers: out }));
          });
        },
      );
      request.on('error', reject);
      request.end();
    });
}

type Variant = (typeof VARIANTS)[number];

interface Subscriber {
  readonly stream: ShapeStream<Row>;
  /** write key -> when this subscriber's callback received its row. */
  readonly received: Map<number, number>;
  /** Unsubscribes and aborts the stream. */
  stop(): void;
}

// A type, not an interface: ShapeStream's params type has an index signature.
type ShapeParams = { table: string; where: string; params: Record<string, string> };

/**
 * One live ShapeStream with its own AbortController: N streams on one shared signal would make each
 * request's addEventListener on it scan N listeners (Node's EventTarget), a client-side cost of the
 * benchmark, not of the server.
 */
function subscribe(
  shapeUrl: string,
  params: ShapeParams,
  fetchClient: typeof fetch | undefined,
  liveSse: boolean,
): Subscriber {
  const received = new Map<number, number>();
  const abort = new AbortController();
  const stream = new ShapeStream<Row>({
    url: shapeUrl,
    params,
    signal: abort.signal,
    ...(fetchClient ? { fetchClient } : {}),
    liveSse,
    onError: (error) => console.error(`stream error: ${error.message}`),
  });
  const unsubscribe = stream.subscribe((messages) => {
    const at = now();
    for (const m of messages) {
      if (isChangeMessage(m) && m.headers.operation === 'insert') received.set(Number(m.value['write']), at);
    }
  });
  return {
    stream,
    received,
    stop() {
      unsubscribe();
      abort.abort();
    },
  };
}

interface RoundOptions {
  readonly client: pg.Client;
  readonly server: ServerHandle;
  readonly variant: Variant;
  readonly n: number;
  readonly round: number;
  readonly writes: number;
  readonly fetchClient: typeof fetch | undefined;
  readonly sse: boolean;
}

async function runRound({ client, server, variant, n, round, writes, fetchClient, sse }: RoundOptions) {
  const shapeUrl = `${server.url}/v1/shape`;
  const table = variant === 'partitioned' ? 'fan_partitioned' : 'fan_overlapping';
  const base = round * 10_000; // fresh shape definitions in every round
  const writeKey = (w: number) => round * 1_000 + w; // unique: snapshots hold earlier rounds' rows
  const paramsFor = (i: number): ShapeParams =>
    variant === 'partitioned'
      ? { table, where: 'bucket = $1', params: { '1': String(base + i) } }
      : {
          table,
          where: 'id > $1',
          params: { '1': String(-(base + (variant === 'shared' && i < n ? 0 : i))) },
        };

  const warmUp = subscribe(shapeUrl, paramsFor(n), fetchClient, sse); // shape n: not one of 0..n-1
  while (!warmUp.stream.isUpToDate) await sleep(10);
  await sleep(500);
  const before = await server.memory();

  const started = now();
  const subscribers = Array.from({ length: n }, (_, i) =>
    subscribe(shapeUrl, paramsFor(i), fetchClient, sse),
  );
  while (subscribers.some((s) => !s.stream.isUpToDate)) await sleep(20);
  const upToDateSeconds = (now() - started) / 1000;
  await sleep(1_000); // every client back in its long-poll
  const after = await server.memory();
  const connections = establishedConnections(server.url);

  const received: number[] = [];
  const served: number[] = [];
  const allReceived: number[] = [];
  const allServed: number[] = [];
  let missing = 0;
  for (let w = 1; w <= writes; w++) {
    const key = writeKey(w);
    const t0 = now();
    if (variant === 'partitioned') {
      await client.query(
        `INSERT INTO fan_partitioned (bucket, write) SELECT b, $2 FROM unnest($1::int[]) b`,
        [Array.from({ length: n }, (_, i) => base + i), key],
      );
    } else {
      await client.query(`INSERT INTO fan_overlapping (write) VALUES ($1)`, [key]);
    }
    const deadline = t0 + 30_000;
    while (subscribers.some((s) => !s.received.has(key)) && now() < deadline) await sleep(5);
    const times = subscribers.flatMap((s) => {
      const at = s.received.get(key);
      return at === undefined ? [] : [at - t0];
    });
    missing += n - times.length;
    received.push(...times);
    allReceived.push(Math.max(...times));
    const servedTimes = (await server.served(key)).map((at) => at - t0);
    served.push(...servedTimes);
    allServed.push(Math.max(...servedTimes));
    await sleep(1_000);
  }
  for (const s of [warmUp, ...subscribers]) s.stop();

  const mb = (m: Memory) => ({ rss: +(m.rss / 1e6).toFixed(1), heap_used: +(m.heapUsed / 1e6).toFixed(1) });
  const per = (key: keyof Memory) => Math.round((after[key] - before[key]) / n);
  return {
    variant,
    shapes: n,
    seconds_until_all_up_to_date: +upToDateSeconds.toFixed(2),
    established_connections: connections,
    received: distribution(received),
    all_received_ms: allReceived.map((x) => +x.toFixed(1)),
    missing,
    served_by_server: distribution(served),
    all_served_ms: allServed.map((x) => +x.toFixed(1)),
    server_memory: {
      before_mb: mb(before),
      after_mb: mb(after),
      per_shape_bytes: { rss: per('rss'), heap_used: per('heapUsed'), external: per('external') },
    },
  };
}

async function runBenchmark(): Promise<void> {
  const counts = arg('shapes', '1,100,1000').split(',').map(Number);
  const writes = Number(arg('writes', '5'));
  const variants = arg('variants', VARIANTS.join(','))
    .split(',')
    .filter((v): v is Variant => (VARIANTS as readonly string[]).includes(v));
  const mode = arg('server', 'child') === 'in-process' ? 'in-process' : 'child';
  const fetchMode = arg('fetch', 'global') === 'node-http' ? 'node-http' : 'global';
  const live = arg('live', 'long-poll') === 'sse' ? 'sse' : 'long-poll';
  if (live === 'sse' && fetchMode === 'node-http')
    throw new Error('--fetch node-http reads whole bodies; use --fetch global with --live sse');
  const fetchClient =
    fetchMode === 'node-http'
      ? nodeHttpFetch(new http.Agent({ keepAlive: true, maxSockets: Infinity }))
      : undefined;
  const cluster = await PostgresCluster.start();
  try {
    const client = new pg.Client({ connectionString: cluster.url() });
    await client.connect();
    await client.query('SET synchronous_commit = on'); // the PostgreSQL default (see bench/live.ts)
    await client.query(`CREATE TABLE fan_partitioned (
      id bigserial PRIMARY KEY, bucket int NOT NULL, write int NOT NULL, note text NOT NULL DEFAULT 'x')`);
    await client.query('CREATE INDEX ON fan_partitioned (bucket)');
    await client.query(`CREATE TABLE fan_overlapping (
      id bigserial PRIMARY KEY, write int NOT NULL, note text NOT NULL DEFAULT 'x')`);
    const results = [];
    let round = 0;
    for (const n of counts) {
      for (const variant of variants) {
        round++;
        const server =
          mode === 'child'
            ? await startChildServer(cluster.url())
            : await startInProcessServer(cluster.url());
        try {
          const result = await runRound({
            client,
            server,
            variant,
            n,
            round,
            writes,
            fetchClient,
            sse: live === 'sse',
          });
          console.error(JSON.stringify(result));
          results.push(result);
        } finally {
          await server.stop();
        }
      }
    }
    await client.end();
    const at1000 = results.filter((r) => r.shapes === 1000);
    console.log(
      JSON.stringify(
        {
          benchmark: 'fanout',
          server: mode,
          fetch: fetchMode,
          live,
          writes,
          results,
          target_p99_ms_at_1000: 1000,
          meets_target:
            at1000.length > 0 ? at1000.every((r) => r.received.p99_ms < 1000 && r.missing === 0) : null,
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
}

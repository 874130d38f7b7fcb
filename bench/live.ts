/**
 * bench/live.ts: live latency, from a commit on central to a subscriber, against raw logical
 * replication measured in the same run.
 *
 *   npx tsx bench/live.ts [--commits 300] [--spacing-ms 20] [--synchronous-commit on|off]
 *                         [--preload-rows 0]
 *
 * On a throwaway PostgreSQL 15 cluster, one table `live_items`, and three phases of single-row
 * INSERTs spaced `--spacing-ms` apart (each after 20 unmeasured warm-up commits):
 *
 *   raw:   INSERT ─► WAL ─► walsender ─pgoutput─► pg-logical-replication 'data' (insert message)
 *   ours:  INSERT ─► WAL ─► walsender ─pgoutput─► SyncServer (in this process) ─► shape log
 *          ─► long-poll response ─► ShapeStream (@electric-sql/client) ─► subscriber callback
 *   sse:   the same, with the ShapeStream in `liveSse` mode: the server writes each transaction to
 *          one held Server-Sent Events response instead of answering a long-poll per change
 *   http:  the same server and shape, read by a bare fetch long-poll loop (body parsed): how much of
 *          `ours` is the server and HTTP, and how much the client library
 *
 * The raw phase has its own publication and slot on the same table; one consumer runs at a time, so
 * none competes with another for this process or the two cores. Each latency is measured from just
 * before the INSERT was sent (t0, the headline) and from when it resolved on the writer; the raw
 * message usually arrives before the writer has read its CommandComplete, so the second is often
 * negative for raw. The writer's session runs with `synchronous_commit = on`, the PostgreSQL default
 * (the throwaway cluster turns it off, and then a commit reaches the walsender only when the WAL
 * writer flushes, every 200 ms). `--preload-rows N` puts N rows (a 100-character note each) into
 * the table first, so the shapes' logs hold a snapshot of that size in front of the live entries.
 *
 * For the two phases through the sync server (which runs in this process), each latency is also
 * split at two points inside the server, without changing its code: when the transaction reached
 * ShapeEngine.onTransaction (the instance method wrapped) and when the response (or SSE event)
 * carrying the row was handed to its socket (ServerResponse.prototype.end and .write wrapped). Prints JSON: the distributions (p50,
 * p90, p99, max), those stages, and the ratio of p50s ours / raw (target: within 2x).
 *
 * Guarantees: every latency is matched to its own row id (ids never repeat across phases); a commit
 * not seen within 10 s is counted in `missing`, never dropped silently; the cluster and the server's
 * data directory are removed at the end, also on failure.
 */
import { ShapeStream, isChangeMessage, type Row } from '@electric-sql/client';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import type { ReplicatedTransaction } from '../sync-server/replication/types.ts';
import { SyncServer } from '../sync-server/server.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const commits = Number(arg('commits', '300'));
const spacingMs = Number(arg('spacing-ms', '20'));
const synchronousCommit = arg('synchronous-commit', 'on') === 'off' ? 'off' : 'on';
const preloadRows = Number(arg('preload-rows', '0'));
const WARMUP = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function distribution(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => +(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN).toFixed(2);
  return {
    n: s.length,
    p50_ms: at(0.5),
    p90_ms: at(0.9),
    p99_ms: at(0.99),
    max_ms: +(s.at(-1) ?? NaN).toFixed(2),
    mean_ms: +(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2),
  };
}

type Distribution = ReturnType<typeof distribution>;
interface PhaseResult {
  readonly missing: number;
  readonly from_insert_sent: Distribution;
  readonly from_commit_acknowledged: Distribution;
  /** Through the sync server only: where the time goes (each a distribution over the commits). */
  readonly stages?: {
    /** INSERT sent ─► the engine's onTransaction called (the server's own replication consumer). */
    readonly insert_sent_to_engine: Distribution;
    /** onTransaction ─► the live response carrying the row handed to its socket (`res.end`). */
    readonly engine_to_response_end: Distribution;
    /** `res.end` ─► the consumer has the row (HTTP on loopback, body read and parsed, client code). */
    readonly response_end_to_consumer: Distribution;
  };
}

/**
 * When the sync server (in this process) first saw each live_items id: `engine`, when its
 * transaction reached ShapeEngine.onTransaction; `served`, when a response body carrying it was
 * handed to its socket (ServerResponse.prototype.end wrapped; the server's code is untouched).
 */
const seenByServer = { engine: new Map<number, number>(), served: new Map<number, number>() };

function recordServerStages(server: SyncServer): void {
  const engine = server.engine;
  const onTransaction = engine.onTransaction.bind(engine);
  engine.onTransaction = (tx: ReplicatedTransaction) => {
    const at = performance.now();
    for (const change of tx.changes) {
      const id = change.op === 'insert' ? change.new['id'] : undefined;
      if (id && !seenByServer.engine.has(Number(id))) seenByServer.engine.set(Number(id), at);
    }
    return onTransaction(tx);
  };
  const record = (chunk: unknown) => {
    const at = performance.now();
    const body =
      typeof chunk === 'string'
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')
          : '';
    for (const m of body.matchAll(/"id":"(\d+)"/g)) {
      const id = Number(m[1]);
      if (!seenByServer.served.has(id)) seenByServer.served.set(id, at);
    }
  };
  type Method = (this: http.ServerResponse, ...args: unknown[]) => unknown;
  for (const name of ['end', 'write'] as const) {
    const original = Reflect.get(http.ServerResponse.prototype, name) as Method;
    const recording: Method = function (...args) {
      record(args[0]);
      return original.apply(this, args);
    };
    Reflect.set(http.ServerResponse.prototype, name, recording);
  }
}

const insertRoundTrips: number[] = [];

/**
 * Commits WARMUP + `commits` single-row INSERTs `spacingMs` apart, ids from `firstId` (the warm-up
 * ones above `firstId + 500_000`), waits until each measured one was received (or 10 s), and returns
 * the latencies. `received` maps an id to when the consumer saw it.
 */
async function phase(
  client: pg.Client,
  firstId: number,
  received: Map<number, number>,
): Promise<PhaseResult> {
  const sent: { id: number; beforeInsert: number; afterInsert: number }[] = [];
  for (let i = 0; i < WARMUP + commits; i++) {
    const id = i < WARMUP ? firstId + 500_000 + i : firstId + i;
    const beforeInsert = performance.now();
    await client.query('INSERT INTO live_items (id, note) VALUES ($1, $2)', [id, `row ${id}`]);
    const afterInsert = performance.now();
    if (i >= WARMUP) {
      sent.push({ id, beforeInsert, afterInsert });
      insertRoundTrips.push(afterInsert - beforeInsert);
    }
    await sleep(spacingMs);
  }
  const deadline = performance.now() + 10_000;
  while (sent.some((s) => !received.has(s.id)) && performance.now() < deadline) await sleep(10);
  const fromStart: number[] = [];
  const fromCommit: number[] = [];
  const toEngine: number[] = [];
  const engineToEnd: number[] = [];
  const endToConsumer: number[] = [];
  for (const s of sent) {
    const at = received.get(s.id);
    if (at === undefined) continue;
    fromStart.push(at - s.beforeInsert);
    fromCommit.push(at - s.afterInsert);
    const engineAt = seenByServer.engine.get(s.id);
    const servedAt = seenByServer.served.get(s.id);
    if (engineAt === undefined || servedAt === undefined) continue;
    toEngine.push(engineAt - s.beforeInsert);
    engineToEnd.push(servedAt - engineAt);
    endToConsumer.push(at - servedAt);
  }
  return {
    missing: sent.length - fromStart.length,
    from_insert_sent: distribution(fromStart),
    from_commit_acknowledged: distribution(fromCommit),
    ...(toEngine.length > 0
      ? {
          stages: {
            insert_sent_to_engine: distribution(toEngine),
            engine_to_response_end: distribution(engineToEnd),
            response_end_to_consumer: distribution(endToConsumer),
          },
        }
      : {}),
  };
}

/** Raw pgoutput on its own publication and slot: the time of each insert message. */
async function rawPhase(client: pg.Client, url: string): Promise<PhaseResult> {
  await client.query('CREATE PUBLICATION bench_raw FOR TABLE live_items');
  await client.query(`SELECT pg_create_logical_replication_slot('bench_raw', 'pgoutput')`);
  const received = new Map<number, number>();
  const service = new LogicalReplicationService(
    { connectionString: url },
    { acknowledge: { auto: true, timeoutSeconds: 1 } },
  );
  service.on('data', (_lsn: string, message: Pgoutput.Message) => {
    if (message.tag === 'insert') received.set(Number(message.new['id']), performance.now());
  });
  const streaming = new Promise<void>((resolve) => service.on('start', () => resolve()));
  const subscription = service
    .subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: ['bench_raw'] }), 'bench_raw')
    .catch((error: unknown) => {
      if (!service.isStop()) throw error;
    });
  await streaming;
  const result = await phase(client, 1_000_000, received);
  await service.stop();
  await subscription;
  await client.query(`SELECT pg_drop_replication_slot('bench_raw')`);
  return result;
}

/** A live ShapeStream on the whole table: when the subscriber callback gets each insert. */
async function shapeStreamPhase(
  client: pg.Client,
  shapeUrl: string,
  mode: { firstId: number; sse: boolean },
): Promise<PhaseResult> {
  const received = new Map<number, number>();
  const abort = new AbortController();
  const stream = new ShapeStream<Row>({
    url: shapeUrl,
    params: { table: 'live_items' }, // the snapshot holds earlier phases' rows; their ids are not measured
    signal: abort.signal,
    liveSse: mode.sse,
  });
  const unsubscribe = stream.subscribe((messages) => {
    const now = performance.now();
    for (const m of messages) {
      if (isChangeMessage(m) && m.headers.operation === 'insert') received.set(Number(m.value['id']), now);
    }
  });
  while (!stream.isUpToDate) await sleep(10);
  const result = await phase(client, mode.firstId, received);
  unsubscribe();
  abort.abort();
  return result;
}

/** The same shape read by a bare long-poll loop over fetch: when each insert's response is parsed. */
async function bareHttpPhase(client: pg.Client, shapeUrl: string): Promise<PhaseResult> {
  const received = new Map<number, number>();
  const abort = new AbortController();
  let upToDate = false;
  const loop = (async () => {
    let offset = '-1';
    let handle: string | null = null;
    let cursor: string | null = null;
    while (!abort.signal.aborted) {
      const url = new URL(shapeUrl);
      url.searchParams.set('table', 'live_items');
      url.searchParams.set('offset', offset);
      if (handle) url.searchParams.set('handle', handle);
      if (upToDate) url.searchParams.set('live', 'true');
      if (cursor) url.searchParams.set('cursor', cursor);
      const response = await fetch(url, { signal: abort.signal });
      const messages = JSON.parse(await response.text()) as {
        value?: Record<string, unknown>;
        headers: { operation?: string; control?: string };
      }[];
      const now = performance.now();
      for (const m of messages) {
        if (m.headers.operation === 'insert') received.set(Number(m.value?.['id']), now);
        if (m.headers.control === 'up-to-date') upToDate = true;
      }
      handle = response.headers.get('electric-handle');
      offset = response.headers.get('electric-offset') ?? offset;
      cursor = response.headers.get('electric-cursor');
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) throw error;
  });
  while (!upToDate) await sleep(10);
  const result = await phase(client, 3_000_000, received);
  abort.abort();
  await loop;
  return result;
}

const cluster = await PostgresCluster.start();
const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-'));
try {
  const client = new pg.Client({ connectionString: cluster.url() });
  await client.connect();
  await client.query(`SET synchronous_commit = ${synchronousCommit}`);
  await client.query('CREATE TABLE live_items (id int PRIMARY KEY, note text NOT NULL)');
  // Rows already in the table before any phase: the shapes' snapshots (and logs) hold them.
  await client.query(
    `INSERT INTO live_items SELECT g, repeat('x', 100) FROM generate_series(5000001, 5000000 + $1) g`,
    [preloadRows],
  );

  const raw = await rawPhase(client, cluster.url());
  const server = await SyncServer.start({ databaseUrl: cluster.url(), dataDir, log: () => undefined });
  recordServerStages(server);
  const ours = await shapeStreamPhase(client, `${server.url}/v1/shape`, { firstId: 2_000_000, sse: false });
  const sse = await shapeStreamPhase(client, `${server.url}/v1/shape`, { firstId: 4_000_000, sse: true });
  const bareHttp = await bareHttpPhase(client, `${server.url}/v1/shape`);
  await server.stop();
  await client.end();

  const ratio = (a: PhaseResult, b: PhaseResult) =>
    +(a.from_insert_sent.p50_ms / b.from_insert_sent.p50_ms).toFixed(2);
  console.log(
    JSON.stringify(
      {
        benchmark: 'live',
        commits,
        spacing_ms: spacingMs,
        synchronous_commit: synchronousCommit,
        insert_round_trip: distribution(insertRoundTrips),
        raw,
        ours,
        ours_sse: sse,
        bare_http: bareHttp,
        ratio_p50_ours_to_raw: ratio(ours, raw),
        ratio_p50_ours_sse_to_raw: ratio(sse, raw),
        ratio_p50_bare_http_to_raw: ratio(bareHttp, raw),
        target_ratio: 2,
        meets_target: { long_poll: ratio(ours, raw) <= 2, sse: ratio(sse, raw) <= 2 },
      },
      null,
      2,
    ),
  );
} finally {
  await cluster.stop();
  await rm(dataDir, { recursive: true, force: true });
}
// @electric-sql/client's UpToDateTracker leaves a 60 s timer behind after the stream is aborted.
process.exit(0);

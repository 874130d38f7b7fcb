/**
 * bench/cache.ts: the Shape API behind a real nginx `proxy_cache` (scripts/testing/nginx-cache.ts):
 * the share of repeated chunk requests served by the cache, and how many upstream requests a burst of
 * concurrent live requests for one shape costs per cursor.
 *
 *   npx tsx bench/cache.ts [--rows 20000] [--chunk-kb 64] [--walks 20] [--live-clients 100] [--cursors 5]
 *
 *   client(s) ─► nginx proxy_cache ─► counting proxy (this process: counts every upstream request)
 *                                       ─► sync server (this process, insecure mode) ─► PostgreSQL 15
 *
 * 1. A table of `--rows` rows served in `--chunk-kb` chunks (ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD).
 *    One walk from offset -1 to up-to-date through the cache (cold: every request goes upstream),
 *    then `--walks` more walks, as `--walks` new clients of the same shape would: requests, the cache's
 *    HIT count (x-cache-status) and the upstream requests those walks caused (target: >= 99 % hits).
 * 2. `--cursors` rounds: `--live-clients` concurrent live long-polls for the shape's end, all with the
 *    same handle, offset and cursor (as the clients of one shape at one point send them), then one
 *    INSERT. Upstream requests per round (target: 1), and whether every client got the row.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import { startNginxCache } from '../scripts/testing/nginx-cache.ts';
import { SyncServer } from '../sync-server/server.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg('rows', 20_000);
const chunkKb = arg('chunk-kb', 64);
const walks = arg('walks', 20);
const liveClients = arg('live-clients', 100);
const cursors = arg('cursors', 5);

/** A pass-through HTTP proxy in front of the origin that counts the requests it forwards. */
async function countingProxy(
  origin: string,
): Promise<{ url: string; count: () => number; stop: () => Promise<void> }> {
  const target = new URL(origin);
  const agent = new http.Agent({ keepAlive: true });
  let n = 0;
  const server = http.createServer((req, res) => {
    n++;
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => n,
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Step {
  readonly status: number;
  readonly cache: string | null;
  readonly body: string;
  readonly handle: string | null;
  readonly offset: string | null;
  readonly cursor: string | null;
}

async function get(url: URL): Promise<Step> {
  const response = await fetch(url);
  return {
    status: response.status,
    cache: response.headers.get('x-cache-status'),
    body: await response.text(),
    handle: response.headers.get('electric-handle'),
    offset: response.headers.get('electric-offset'),
    cursor: response.headers.get('electric-cursor'),
  };
}

/** Offset -1 to up-to-date, as a client does (not live). */
async function walk(base: string): Promise<Step[]> {
  const steps: Step[] = [];
  let offset = '-1';
  let handle: string | null = null;
  for (let i = 0; i < 10_000; i++) {
    const url = new URL('/v1/shape', base);
    url.searchParams.set('table', 'items');
    url.searchParams.set('offset', offset);
    if (handle) url.searchParams.set('handle', handle);
    const step = await get(url);
    steps.push(step);
    if (step.status !== 200) throw new Error(`walk: ${step.status} ${step.body}`);
    handle = step.handle;
    offset = step.offset ?? offset;
    if (step.body.includes('"up-to-date"')) return steps;
  }
  throw new Error('the shape never came up to date');
}

const cluster = await PostgresCluster.start();
const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-'));
const db = new pg.Client({ connectionString: cluster.url() });
await db.connect();
let server: SyncServer | null = null;
let proxy: Awaited<ReturnType<typeof countingProxy>> | null = null;
let nginx: Awaited<ReturnType<typeof startNginxCache>> | null = null;
try {
  await db.query(`CREATE TABLE items (id bigserial PRIMARY KEY, title text NOT NULL, note text NOT NULL)`);
  await db.query(
    `INSERT INTO items (title, note) SELECT 'item ' || g, repeat('x', 100) FROM generate_series(1, $1) g`,
    [rows],
  );
  server = await SyncServer.start({
    databaseUrl: cluster.url(),
    dataDir,
    chunkBytes: chunkKb * 1024,
    log: () => undefined,
  });
  proxy = await countingProxy(server.url);
  nginx = await startNginxCache(proxy.url);

  const cold = await walk(nginx.url);
  const coldUpstream = proxy.count();
  const before = proxy.count();
  let requests = 0;
  let hits = 0;
  for (let i = 0; i < walks; i++) {
    const steps = await walk(nginx.url);
    requests += steps.length;
    hits += steps.filter((s) => s.cache === 'HIT').length;
  }
  const warmUpstream = proxy.count() - before;

  const last = cold[cold.length - 1] as Step;
  let handle = last.handle ?? '';
  let offset = last.offset ?? '';
  let cursor = '';
  const rounds = [];
  for (let round = 1; round <= cursors; round++) {
    const url = new URL('/v1/shape', nginx.url);
    url.search = new URLSearchParams({ table: 'items', handle, offset, live: 'true', cursor }).toString();
    const start = proxy.count();
    const title = `live write ${round}`;
    const answers = Array.from({ length: liveClients }, () => get(url));
    // Wait until the first request reached the origin (the others queue on nginx's cache lock).
    while (proxy.count() === start) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await db.query(`INSERT INTO items (title, note) VALUES ($1, 'live')`, [title]);
    const got = await Promise.all(answers);
    const upstream = proxy.count() - start;
    rounds.push({
      round,
      cursor: cursor || null,
      clients: liveClients,
      upstream_requests: upstream,
      all_got_the_row: got.every((a) => a.status === 200 && a.body.includes(title)),
      cache_statuses: Object.fromEntries(
        [...new Set(got.map((a) => a.cache ?? 'none'))].map((s) => [
          s,
          got.filter((a) => (a.cache ?? 'none') === s).length,
        ]),
      ),
    });
    const first = got[0] as Step;
    handle = first.handle ?? handle;
    offset = first.offset ?? offset;
    cursor = first.cursor ?? cursor;
  }
  const hitRatio = hits / Math.max(1, requests);
  const maxUpstream = Math.max(...rounds.map((r) => r.upstream_requests));
  console.log(
    JSON.stringify(
      {
        benchmark: 'cache',
        rows,
        chunk_kb: chunkKb,
        cold_walk: { requests: cold.length, upstream_requests: coldUpstream },
        repeated_walks: {
          walks,
          requests,
          hits,
          hit_ratio: +hitRatio.toFixed(4),
          upstream_requests: warmUpstream,
        },
        live: rounds,
        targets: { hit_ratio: 0.99, upstream_requests_per_live_cursor: 1 },
        meets_target: {
          hit_ratio: hitRatio >= 0.99,
          live_collapsed: maxUpstream === 1 && rounds.every((r) => r.all_got_the_row),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await nginx?.stop();
  await proxy?.stop();
  await server?.stop();
  await db.end();
  await cluster.stop();
  await rm(dataDir, { recursive: true, force: true });
}

/**
 * bench/snapshot.ts: initial delivery of a large shape vs the physical limit on this machine.
 *
 *   npx tsx bench/snapshot.ts [--rows 1000000]
 *
 * In one run, on a throwaway PostgreSQL 15 cluster: a table of N rows (uuid, tenant uuid, text,
 * numeric, timestamptz, text, jsonb) is read with `COPY (SELECT ...) TO STDOUT` (the fastest way
 * PostgreSQL hands rows to a client), then delivered as a shape through the sync server over HTTP:
 * from the first request to the last row received by a client following `electric-offset` until
 * `up-to-date`. Neither side parses what it receives (COPY's bytes are counted; shape rows are
 * counted by their key field). Prints JSON: both rates, their ratio (target >= 0.40), and peak RSS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import { SyncServer } from '../sync-server/server.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg('rows', 1_000_000);

const cluster = await PostgresCluster.start();
const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-'));
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
try {
  const client = new pg.Client({ connectionString: cluster.url() });
  await client.connect();
  await client.query(`CREATE TABLE items (
    id uuid PRIMARY KEY, tenant_id uuid NOT NULL, title text NOT NULL, amount numeric(12,2),
    created_at timestamptz NOT NULL, status text NOT NULL, meta jsonb)`);
  await client.query(
    `INSERT INTO items
     SELECT md5(g::text)::uuid, md5((g % 5)::text)::uuid, 'Invoice ' || g || ' for account ' || (g % 977),
            (g % 100000) / 100.0, '2026-01-01'::timestamptz + g * interval '1 second',
            (ARRAY['open','paid','void'])[1 + g % 3], jsonb_build_object('n', g, 'tags', ARRAY['a','b'])
       FROM generate_series(1, $1) g`,
    [rows],
  );
  await client.query('VACUUM ANALYZE items');

  // 1. COPY of the same rows and columns, read to the end.
  let started = performance.now();
  let copyBytes = 0;
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(copyTo(`COPY (SELECT * FROM items) TO STDOUT`));
    stream.on('data', (chunk: Buffer) => (copyBytes += chunk.length));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  const copySeconds = (performance.now() - started) / 1000;

  // 2. The same rows as a shape, over HTTP, until up-to-date.
  const server = await SyncServer.start({ databaseUrl: cluster.url(), dataDir, log: () => undefined });
  started = performance.now();
  let received = 0;
  let bytes = 0;
  let requests = 0;
  let offset = '-1';
  let handle: string | null = null;
  for (;;) {
    const url = `${server.url}/v1/shape?table=items&offset=${offset}${handle ? `&handle=${handle}` : ''}`;
    const response = await fetch(url);
    requests++;
    if (requests === 1)
      console.error(`first response after ${((performance.now() - started) / 1000).toFixed(2)} s`);
    const text = await response.text();
    bytes += text.length;
    // Delivery, like COPY's side, is measured without parsing: rows are counted by their key
    // field and the end is recognised by the up-to-date control message closing the body.
    for (let at = text.indexOf('{"key":'); at >= 0; at = text.indexOf('{"key":', at + 7)) received++;
    handle = response.headers.get('electric-handle');
    offset = response.headers.get('electric-offset') ?? offset;
    if (response.headers.has('electric-up-to-date')) break;
  }
  const shapeSeconds = (performance.now() - started) / 1000;
  await server.stop();
  await client.end();

  const copyRate = rows / copySeconds;
  const shapeRate = received / shapeSeconds;
  console.log(
    JSON.stringify(
      {
        benchmark: 'snapshot',
        rows,
        copy: {
          seconds: +copySeconds.toFixed(2),
          rows_per_s: Math.round(copyRate),
          mb: +(copyBytes / 1e6).toFixed(1),
        },
        shape: {
          seconds: +shapeSeconds.toFixed(2),
          rows_per_s: Math.round(shapeRate),
          rows_received: received,
          requests,
          mb: +(bytes / 1e6).toFixed(1),
        },
        ratio_shape_to_copy: +(shapeRate / copyRate).toFixed(3),
        target_ratio: 0.4,
        meets_target: shapeRate / copyRate >= 0.4,
        peak_rss_mb: Math.round(peakRss / 1e6),
      },
      null,
      2,
    ),
  );
} finally {
  clearInterval(sampler);
  await cluster.stop();
  await rm(dataDir, { recursive: true, force: true });
}

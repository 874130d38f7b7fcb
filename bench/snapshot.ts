/**
 * bench/snapshot.ts: initial delivery of a large shape vs the physical limit on this machine.
 *
 *   npx tsx bench/snapshot.ts [--rows 1000000] [--rounds 3]
 *
 * In one run, on a throwaway PostgreSQL 15 cluster: a table of N rows (uuid, tenant uuid, text,
 * numeric, timestamptz, text, jsonb) is read with `COPY (SELECT ...) TO STDOUT` (the fastest way
 * PostgreSQL hands rows to a client), then delivered as a shape through the sync server over HTTP:
 * from the first request to the last row received by a client following `electric-offset` until
 * `up-to-date`. The shape's client runs in a process of its own (bench/snapshot-client.ts), as a
 * real client does; the server runs in this one. Neither side parses what it receives (COPY's bytes
 * are counted; shape rows are counted by their key field, in the response bytes). Each of `--rounds` rounds measures both, side
 * by side (the shape is a new one each round: a fresh server and data directory). Prints JSON: per
 * round both rates, their ratio and the CPU time used (this process: COPY's client, then the
 * server; and the shape client's process); the round with the
 * median ratio as the result (target >= 0.40); and peak RSS over the whole run.
 *
 * Warm-up, not measured: one COPY of the table (both measurements then read it from the page cache)
 * and a 20,000-row shape of another table with the same columns (the server's and the client's code
 * is compiled by the JIT before the measured shapes, as in a server that has been running).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { fork } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import { SyncServer } from '../sync-server/server.ts';
import type { ShapeClientRequest, ShapeClientResult } from './snapshot-client.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg('rows', 1_000_000);
const rounds = arg('rounds', 3);
const cpuSeconds = (usage: NodeJS.CpuUsage): number => +((usage.user + usage.system) / 1e6).toFixed(2);

/** The shape client, in its own process (bench/snapshot-client.ts). */
const shapeClient = fork(fileURLToPath(new URL('./snapshot-client.ts', import.meta.url)));
function fetchShape(base: string, table: string): Promise<ShapeClientResult> {
  return new Promise((resolve, reject) => {
    shapeClient.once('message', (message: { result?: ShapeClientResult; error?: string }) =>
      message.result ? resolve(message.result) : reject(new Error(message.error)),
    );
    shapeClient.send({ base, table } satisfies ShapeClientRequest);
  });
}

const cluster = await PostgresCluster.start();
const dataDirs: string[] = [];
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
  await client.query(`CREATE TABLE warmup AS SELECT * FROM items LIMIT 20000`);
  await client.query(`ALTER TABLE warmup ADD PRIMARY KEY (id)`);

  /** COPY of every row, read to the end. */
  const copy = async (): Promise<number> => {
    let copyBytes = 0;
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyTo(`COPY (SELECT * FROM items) TO STDOUT`));
      stream.on('data', (chunk: Buffer) => (copyBytes += chunk.length));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    return copyBytes;
  };
  /** A sync server on a data directory of its own (so every round's shape is new). */
  const startServer = async (): Promise<SyncServer> => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-'));
    dataDirs.push(dataDir);
    return SyncServer.start({ databaseUrl: cluster.url(), dataDir, log: () => undefined });
  };
  const stopServer = async (server: SyncServer): Promise<void> => {
    await server.stop();
    await rm(dataDirs.pop() as string, { recursive: true, force: true });
  };

  // Warm-up: COPY once, and a small shape.
  await copy();
  const warm = await startServer();
  await fetchShape(warm.url, 'warmup');
  await stopServer(warm);

  // Rounds: COPY, then the same rows as a new shape over HTTP until up-to-date, side by side.
  const results = [];
  for (let round = 1; round <= rounds; round++) {
    let cpu = process.cpuUsage();
    const started = performance.now();
    const copyBytes = await copy();
    const copySeconds = (performance.now() - started) / 1000;
    const copyCpu = process.cpuUsage(cpu);

    const server = await startServer();
    cpu = process.cpuUsage();
    const shape = await fetchShape(server.url, 'items');
    const serverCpu = process.cpuUsage(cpu);
    await stopServer(server);

    const copyRate = rows / copySeconds;
    const shapeRate = shape.received / shape.seconds;
    results.push({
      round,
      copy: {
        seconds: +copySeconds.toFixed(2),
        rows_per_s: Math.round(copyRate),
        mb: +(copyBytes / 1e6).toFixed(1),
        process_cpu_s: cpuSeconds(copyCpu),
      },
      shape: {
        seconds: +shape.seconds.toFixed(2),
        rows_per_s: Math.round(shapeRate),
        rows_received: shape.received,
        requests: shape.requests,
        mb: +(shape.bytes / 1e6).toFixed(1),
        first_response_s: +shape.firstResponseSeconds.toFixed(3),
        server_process_cpu_s: cpuSeconds(serverCpu),
        client_process_cpu_s: +shape.cpuSeconds.toFixed(2),
      },
      ratio_shape_to_copy: +(shapeRate / copyRate).toFixed(3),
    });
  }
  await client.end();

  const median = [...results].sort((a, b) => a.ratio_shape_to_copy - b.ratio_shape_to_copy)[
    Math.floor((results.length - 1) / 2)
  ];
  console.log(
    JSON.stringify(
      {
        benchmark: 'snapshot',
        rows,
        median_round: median,
        ratio_shape_to_copy: median?.ratio_shape_to_copy,
        target_ratio: 0.4,
        meets_target: (median?.ratio_shape_to_copy ?? 0) >= 0.4,
        rounds: results,
        peak_rss_mb: Math.round(peakRss / 1e6),
      },
      null,
      2,
    ),
  );
} finally {
  shapeClient.disconnect();
  clearInterval(sampler);
  await cluster.stop();
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
}

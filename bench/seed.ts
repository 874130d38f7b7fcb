/**
 * bench/seed.ts: how long the deterministic seed takes, per scale.
 *
 *   npx tsx bench/seed.ts [--scales 1,100]
 *
 * For each scale: a fresh database on a throwaway PostgreSQL 15 cluster, the central migrations,
 * then `seedDatabase`. Prints one JSON object with, per scale, migrate and seed seconds, total rows,
 * rows/s and the database size.
 */
import pg from 'pg';
import { pgExecutor } from '../common/migrations/executors.ts';
import { runMigrations } from '../common/migrations/runner.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';
import { seedDatabase } from '../scripts/db/seed/index.ts';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';

const i = process.argv.indexOf('--scales');
const scales = (i > 0 ? (process.argv[i + 1] ?? '1') : '1,100').split(',').map(Number);

const cluster = await PostgresCluster.start();
const results = [];
try {
  for (const scale of scales) {
    const name = `bench_seed_${String(scale).replace('.', '_')}`;
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const client = new pg.Client({ connectionString: cluster.url(name) });
    await client.connect();
    let t = performance.now();
    await runMigrations(pgExecutor(client), await loadMigrationFiles(), 'central');
    const migrateSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const summary = await seedDatabase(client, { scale, anchor: new Date('2026-11-22T12:00:00Z') });
    const seedSeconds = (performance.now() - t) / 1000;
    const { rows } = await client.query<{ bytes: string }>(
      `SELECT pg_database_size(current_database())::text AS bytes`,
    );
    await client.end();
    results.push({
      scale,
      migrate_seconds: +migrateSeconds.toFixed(2),
      seed_seconds: +seedSeconds.toFixed(2),
      total_rows: summary.totalRows,
      rows_per_s: Math.round(summary.totalRows / seedSeconds),
      database_mb: Math.round(Number(rows[0]?.bytes ?? 0) / 1e6),
    });
  }
} finally {
  await cluster.stop();
}
console.log(JSON.stringify({ benchmark: 'seed', results }, null, 2));

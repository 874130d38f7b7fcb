/**
 * bench/migrate.ts: how long the full schema takes to apply.
 *
 *   npx tsx bench/migrate.ts [--runs 5]
 *
 * Measures, per run, on a fresh in-memory PGlite: creating the instance (initdb inside WASM), and
 * applying the local target (shared + client migrations). On a fresh database of a throwaway
 * PostgreSQL 15 cluster: applying the central target (shared + server). Prints one JSON object with
 * every run and the medians. Target (issue 3): migrating a fresh PGlite in under 2 s.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import { pgExecutor, pgliteExecutor } from '../common/migrations/executors.ts';
import { runMigrations } from '../common/migrations/runner.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const ms = (start: number): number => Math.round((performance.now() - start) * 10) / 10;

const files = await loadMigrationFiles();
const pgliteCreate: number[] = [];
const pgliteMigrate: number[] = [];
let applied = 0;
for (let i = 0; i < runs; i++) {
  let t = performance.now();
  const db = await PGlite.create({ extensions: { vector } });
  pgliteCreate.push(ms(t));
  t = performance.now();
  const report = await runMigrations(pgliteExecutor(db), files, 'local');
  pgliteMigrate.push(ms(t));
  applied = report.applied.length;
  await db.close();
}

const cluster = await PostgresCluster.start();
const centralMigrate: number[] = [];
let centralApplied = 0;
try {
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  for (let i = 0; i < runs; i++) {
    await admin.query(`CREATE DATABASE bench_${i}`);
    const client = new pg.Client({ connectionString: cluster.url(`bench_${i}`) });
    await client.connect();
    const t = performance.now();
    centralApplied = (await runMigrations(pgExecutor(client), files, 'central')).applied.length;
    centralMigrate.push(ms(t));
    await client.end();
  }
  await admin.end();
} finally {
  await cluster.stop();
}

console.log(
  JSON.stringify(
    {
      benchmark: 'migrate',
      runs,
      pglite: {
        migrations: applied,
        create_ms: pgliteCreate,
        migrate_ms: pgliteMigrate,
        median_create_ms: median(pgliteCreate),
        median_migrate_ms: median(pgliteMigrate),
        target_migrate_ms: 2000,
        meets_target: median(pgliteMigrate) < 2000,
      },
      postgres15: {
        migrations: centralApplied,
        migrate_ms: centralMigrate,
        median_migrate_ms: median(centralMigrate),
      },
    },
    null,
    2,
  ),
);

/**
 * scripts/db/migrate.ts: `npm run db:migrate` applies the central migrations (shared + server) to
 * DATABASE_URL and prints what it applied.
 */
import pg from 'pg';
import { isOutpostError } from '../../common/errors.ts';
import { pgExecutor } from '../../common/migrations/executors.ts';
import { runMigrations } from '../../common/migrations/runner.ts';
import { loadMigrationFiles } from './migration-files.ts';

const url = process.env['DATABASE_URL'];
if (!url) {
  console.error(
    'db:migrate: DATABASE_URL is not set. Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/outpost',
  );
  process.exit(2);
}

const client = new pg.Client({ connectionString: url });
try {
  await client.connect();
  const started = performance.now();
  const report = await runMigrations(pgExecutor(client), await loadMigrationFiles(), 'central');
  const ms = Math.round(performance.now() - started);
  console.log(
    `db:migrate: applied ${report.applied.length} migration(s), ${report.skipped.length} already applied (${ms} ms)`,
  );
  for (const name of report.applied) console.log(`  + ${name}`);
} catch (error) {
  console.error(isOutpostError(error) ? `db:migrate: [${error.code}] ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => undefined);
}

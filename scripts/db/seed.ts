/**
 * scripts/db/seed.ts: `npm run db:seed -- --scale <n> [--seed <int>] [--anchor <ISO time>]` fills
 * DATABASE_URL (an empty, migrated central database; superuser) with deterministic demo data and
 * prints a JSON summary (rows per table, total, seconds). Progress goes to stderr.
 *
 * The same (scale, seed, anchor) always produces the same rows; the anchor defaults to now,
 * truncated to the hour. The seed refuses a database that already has tenants (no --reset: the
 * audit log is append-only): recreate it and run `npm run db:migrate` first. See
 * scripts/db/seed/index.ts.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEFAULT_SEED, SeedRefusedError, seedDatabase } from './seed/index.ts';

const USAGE = `usage: npm run db:seed -- [--scale <n>] [--seed <int>] [--anchor <ISO timestamp>]
  --scale   1 = demo (default, a few seconds); 100 = about a million rows
  --seed    PRNG seed (default ${DEFAULT_SEED}); same scale + seed + anchor = same rows
  --anchor  the "now" of the data (default: now, truncated to the hour), e.g. 2026-11-22T18:00:00Z
DATABASE_URL must point at an empty, migrated database (superuser).`;

function fail(message: string, code = 2): never {
  console.error(`db:seed: ${message}`);
  process.exit(code);
}

let values: { scale?: string; seed?: string; anchor?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      anchor: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const scale = values.scale === undefined ? 1 : Number(values.scale);
if (!Number.isFinite(scale) || scale <= 0) fail(`--scale must be a positive number, got ${values.scale}`);
const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
if (!Number.isSafeInteger(seed)) fail(`--seed must be an integer, got ${values.seed}`);
const anchor = values.anchor === undefined ? undefined : new Date(values.anchor);
if (anchor && Number.isNaN(anchor.getTime())) fail(`--anchor must be an ISO timestamp, got ${values.anchor}`);

const url = process.env['DATABASE_URL'];
if (!url) {
  fail(
    'DATABASE_URL is not set. Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/outpost npm run db:seed -- --scale 1',
  );
}

const client = new pg.Client({ connectionString: url });
try {
  await client.connect();
  const summary = await seedDatabase(client, {
    scale,
    seed,
    ...(anchor ? { anchor } : {}),
    onProgress: (step, seconds) => console.error(`db:seed: ${step.padEnd(18)} ${seconds.toFixed(2)} s`),
  });
  console.log(JSON.stringify(summary, null, 2));
} catch (error) {
  if (error instanceof SeedRefusedError) {
    console.error(`db:seed: ${error.message}`);
  } else {
    console.error('db:seed: failed; the database may hold a partial seed (recreate it before retrying).');
    console.error(error);
  }
  process.exitCode = 1;
} finally {
  await client.end().catch(() => undefined);
}

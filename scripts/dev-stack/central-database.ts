/**
 * scripts/dev-stack/central-database.ts: brings the central database of the local development stack
 * to "migrated and seeded", doing the slow part (the demo seed) once.
 *
 *   provisionCentralDatabase(adminUrl, name, { recreate })
 *     ─► CREATE DATABASE if missing ─► central migrations (only new ones apply)
 *     ─► seed marker?  seeded ─► reuse
 *                      seeding (an earlier seed was interrupted) ─► recreate: drop, create, migrate
 *                                                                ─► refuse: say how to recreate it
 *                      none, no tenants ─► mark "seeding" ─► seed --scale 1 ─► mark "seeded"
 *                      none, tenants   ─► reuse as it is (seeded by hand, e.g. `npm run db:seed`)
 *
 * The marker is the database's comment (`COMMENT ON DATABASE`), so it lives and dies with the
 * database and adds nothing to the schema the sync server replicates. It is written "seeded" only
 * after the seed returned, so a seed stopped halfway (Ctrl+C, crash) is never taken for a good one.
 * Security note: needs a superuser URL (the seed bypasses row-level security); development only.
 */
import pg from 'pg';
import { pgExecutor } from '../../common/migrations/executors.ts';
import { runMigrations } from '../../common/migrations/runner.ts';
import { loadMigrationFiles } from '../db/migration-files.ts';
import { seedDatabase } from '../db/seed/index.ts';
import { SYSTEM_TENANT_ID } from '../db/seed/reference.ts';

export const DEV_SEED_SCALE = 1;
const MARKER_PREFIX = 'outpost dev stack: ';

export type Provisioning = 'seeded' | 'reused' | 'reseeded' | 'reused-unmarked';

export interface ProvisionOptions {
  /** Drop and recreate the database when an earlier seed was interrupted (the local cluster only). */
  readonly recreate: boolean;
  readonly log: (line: string) => void;
  /** Seed progress (step name, seconds); tests throw from it to interrupt a seed. */
  readonly onSeedProgress?: (step: string, seconds: number) => void;
}

export class InterruptedSeedError extends Error {
  constructor(name: string) {
    super(
      `an earlier seed of the database "${name}" was interrupted, so it holds partial demo data. ` +
        'Recreate it (e.g. `dropdb` and `createdb`) and run `npm start` again, or point DATABASE_URL at an empty database.',
    );
    this.name = 'InterruptedSeedError';
  }
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createIfMissing(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  });
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    await c.query(
      'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL',
      [name],
    );
    await c.query(
      'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1',
      [name],
    );
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}

/** The seed marker of the connected database: 'seeding', 'seeded' or null (none). */
export async function readSeedMarker(client: pg.Client): Promise<'seeding' | 'seeded' | null> {
  const { rows } = await client.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = current_database()`,
  );
  const comment = rows[0]?.comment ?? '';
  if (!comment.startsWith(MARKER_PREFIX)) return null;
  return comment.slice(MARKER_PREFIX.length).startsWith('seeded') ? 'seeded' : 'seeding';
}

async function writeSeedMarker(client: pg.Client, state: 'seeding' | 'seeded'): Promise<void> {
  const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
  const text = `${MARKER_PREFIX}${state} (scale ${DEV_SEED_SCALE}) ${new Date().toISOString()}`;
  await client.query(`COMMENT ON DATABASE ${quoteIdent(rows[0]?.name ?? '')} IS '${text}'`);
}

async function migrate(client: pg.Client, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const report = await runMigrations(pgExecutor(client), await loadMigrationFiles(), 'central');
  if (report.applied.length > 0) {
    const ms = Math.round(performance.now() - started);
    log(`applied ${report.applied.length} migration(s) (${ms} ms)`);
  }
}

async function tenantCount(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM tenants WHERE id <> $1', [
    SYSTEM_TENANT_ID,
  ]);
  return Number(rows[0]?.n ?? 0);
}

async function seed(client: pg.Client, options: ProvisionOptions): Promise<void> {
  options.log(`seeding the demo data (--scale ${DEV_SEED_SCALE}); this takes a few seconds, once`);
  await writeSeedMarker(client, 'seeding');
  const summary = await seedDatabase(client, {
    scale: DEV_SEED_SCALE,
    ...(options.onSeedProgress ? { onProgress: options.onSeedProgress } : {}),
  });
  await writeSeedMarker(client, 'seeded');
  options.log(`seeded ${summary.totalRows} rows in ${summary.seconds} s`);
}

/**
 * Makes `name` on the server at `adminUrl` migrated and seeded (see the module header) and returns
 * what was done. `adminUrl` must be a superuser URL; the database URL is databaseUrl(adminUrl, name).
 */
export async function provisionCentralDatabase(
  adminUrl: string,
  name: string,
  options: ProvisionOptions,
): Promise<Provisioning> {
  if (await createIfMissing(adminUrl, name)) options.log(`created the database "${name}"`);
  const url = databaseUrl(adminUrl, name);
  const outcome = await withClient(url, async (client): Promise<Provisioning | 'interrupted'> => {
    await migrate(client, options.log);
    const marker = await readSeedMarker(client);
    if (marker === 'seeded') return 'reused';
    if (marker === 'seeding') return 'interrupted';
    if ((await tenantCount(client)) > 0) return 'reused-unmarked';
    await seed(client, options);
    return 'seeded';
  });
  if (outcome !== 'interrupted') return outcome;
  if (!options.recreate) throw new InterruptedSeedError(name);
  options.log(`an earlier seed was interrupted: recreating the database "${name}"`);
  await dropDatabase(adminUrl, name);
  await createIfMissing(adminUrl, name);
  await withClient(url, async (client) => {
    await migrate(client, options.log);
    await seed(client, options);
  });
  return 'reseeded';
}

/** DATABASE_URL given: migrate it, seed it only when it has no tenants; never drop it. */
export async function provisionExternalDatabase(
  url: string,
  options: Omit<ProvisionOptions, 'recreate'>,
): Promise<Provisioning> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  return provisionCentralDatabase(url, name, { ...options, recreate: false });
}

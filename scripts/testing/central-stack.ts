/**
 * scripts/testing/central-stack.ts: the central side of a test run for runners that are not vitest
 * (Playwright's global setup): a migrated, seeded database on a Postgres server given by its superuser
 * URL, and the gated sync server on it over HTTPS with HTTP/2. The vitest helpers (seeded.ts,
 * migrated.ts) read the admin URL with vitest's `inject`, which only works inside a vitest run; this
 * module takes it as an argument and imports nothing from vitest.
 *
 *   createSeededCentralDatabase(adminUrl, prefix, { scale })
 *     ─► CREATE DATABASE outpost_<prefix>_<random> ─► central migrations (shared + server) ─► demo seed
 *     ─► { url, client (superuser, open), drop() }
 *   startGatedTlsSyncServer(databaseUrl, { log })
 *     ─► development certificate (localhost, 127.0.0.1, ::1) in a temp directory
 *     ─► sync server: gatedWithWrites() (sign-in, the gate, the write API), TLS (HTTP/2 and HTTP/1.1)
 *
 * Guarantees: on any failure the half-built database is dropped before the error is rethrown; drop()
 * also removes the replication slots created in it (a sync server's slot would otherwise keep WAL).
 * Security note: test secrets and a self-signed certificate; never for a deployment.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pgExecutor } from '../../common/migrations/executors.ts';
import { runMigrations } from '../../common/migrations/runner.ts';
import { loadMigrationFiles } from '../db/migration-files.ts';
import { seedDatabase, type SeedOptions, type SeedSummary } from '../db/seed/index.ts';
import { loadOrCreateDevCertificate } from '../../sync-server/http/dev-certificate.ts';
import { gatedWithWrites } from './gated.ts';
import { asAdmin, dropDatabase } from './pg-admin.ts';
import { startTestSyncServer, type TestSyncServer } from './sync-server.ts';

export interface SeededCentralDatabase {
  readonly name: string;
  readonly url: string;
  /** An open superuser connection to it (drop() closes it). */
  readonly client: pg.Client;
  readonly summary: SeedSummary;
  /** Closes the client, ends the database's connections and slots, and drops it. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export async function createSeededCentralDatabase(
  adminUrl: string,
  prefix: string,
  options: SeedOptions,
): Promise<SeededCentralDatabase> {
  const name = `outpost_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await asAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(adminUrl, name);
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await runMigrations(pgExecutor(client), await loadMigrationFiles(), 'central');
    const summary = await seedDatabase(client, options);
    return {
      name,
      url,
      client,
      summary,
      async drop() {
        await client.end().catch(() => undefined);
        await dropDatabase(adminUrl, name);
      },
    };
  } catch (error) {
    await client.end().catch(() => undefined);
    await dropDatabase(adminUrl, name).catch(() => undefined);
    throw error;
  }
}

/**
 * The gated sync server (sign-in with the seeded users, the tenant gate, the write API) on
 * `databaseUrl`, serving HTTPS with HTTP/2 under a fresh development certificate. stop() also removes
 * the certificate's directory. Long-polls are held 20 s, the server's own default, not the 3 s of
 * startTestSyncServer: a browser client holds about a hundred live shapes, each answered long-poll
 * can make pglite-sync commit a transaction, and on IndexedDB every commit waits for a flush.
 */
export async function startGatedTlsSyncServer(
  databaseUrl: string,
  options: {
    readonly log?: (line: string) => void;
    readonly longPollMs?: number;
    /** Run the server's jobs (the approval expiry job on pg-boss), as production does. */
    readonly jobs?: boolean;
  } = {},
): Promise<TestSyncServer> {
  const certDir = await mkdtemp(path.join(tmpdir(), 'outpost-cert-'));
  try {
    const tls = await loadOrCreateDevCertificate(certDir);
    const sync = await startTestSyncServer(databaseUrl, {
      longPollMs: options.longPollMs ?? 20_000,
      tls: { cert: tls.cert, key: tls.key },
      ...(options.log ? { log: options.log } : {}),
      auth: gatedWithWrites(),
      ...(options.jobs ? { jobs: { approvalExpiry: { pollingIntervalSeconds: 1 } } } : {}),
    });
    return {
      get server() {
        return sync.server;
      },
      get shapeUrl() {
        return sync.shapeUrl;
      },
      restart: () => sync.restart(),
      async stop() {
        await sync.stop();
        await rm(certDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(certDir, { recursive: true, force: true });
    throw error;
  }
}

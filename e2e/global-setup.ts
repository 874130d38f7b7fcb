/**
 * e2e/global-setup.ts: the central side of the end-to-end tests, started once per Playwright run in
 * the runner process and torn down after the last test (the returned function is the teardown).
 *
 *   Postgres: a throwaway cluster (scripts/postgres/cluster.ts), or DATABASE_URL when set
 *     ─► a migrated database seeded at scale 1
 *     ─► the gated sync server on it, with the write API, over HTTPS with HTTP/2 and a generated
 *        development certificate (browser contexts use `ignoreHTTPSErrors`), running the server's
 *        jobs (the approval expiry job on pg-boss, every minute)
 *        (both from scripts/testing/central-stack.ts)
 *   to the tests (worker processes inherit the runner's environment):
 *     OUTPOST_E2E_SYNC_URL     the sync server's base URL (https://127.0.0.1:<port>)
 *     OUTPOST_E2E_CENTRAL_URL  superuser URL of the seeded central database
 *   the sync server's log: test-results/e2e-sync-server.log
 *
 * Teardown stops the sync server, drops the database (and its replication slot) and stops the
 * cluster, whichever of them were started, also after a failed start.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import { createSeededCentralDatabase, startGatedTlsSyncServer } from '../scripts/testing/central-stack.ts';
import { assertReachable } from '../scripts/testing/pg-admin.ts';

const root = path.resolve(import.meta.dirname, '..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  const undo: (() => Promise<unknown>)[] = [];
  const teardown = async () => {
    for (const step of undo.reverse()) await step().catch((e: unknown) => console.error('e2e teardown:', e));
  };
  try {
    let adminUrl = process.env['DATABASE_URL'];
    if (adminUrl) await assertReachable(adminUrl);
    else {
      const cluster = await PostgresCluster.start();
      undo.push(() => cluster.stop());
      adminUrl = cluster.url();
    }

    const central = await createSeededCentralDatabase(adminUrl, 'e2e', { scale: 1 });
    undo.push(() => central.drop());

    await mkdir(path.join(root, 'test-results'), { recursive: true });
    const log = createWriteStream(path.join(root, 'test-results', 'e2e-sync-server.log'), { flags: 'w' });
    undo.push(() => new Promise((resolve) => log.end(resolve)));
    const stamp = (line: string) => log.write(`${new Date().toISOString()} ${line}\n`);

    // With the server's jobs, as production runs them: the approval expiry job (pg-boss, every minute).
    const sync = await startGatedTlsSyncServer(central.url, { log: stamp, jobs: true });
    undo.push(() => sync.stop());

    process.env['OUTPOST_E2E_SYNC_URL'] = sync.server.url;
    process.env['OUTPOST_E2E_CENTRAL_URL'] = central.url;
    stamp(`e2e: sync server ${sync.server.url} on database ${central.name}`);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

/**
 * The engine in its Node host, driven through the RPC contract as a UI drives it, against the real
 * gated sync server on a seeded throwaway Postgres: the scenarios every host must pass
 * (scripts/testing/engine-contract.ts: initial sync equal to RLS, live server changes, offline write
 * then reconnect seen by a second client, a refused write rolled back with its reason, two clients
 * converging to the server's order, switching tenant), plus what only the Node host does: one process
 * per data directory (lock) and backups.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  engineContract,
  signedInClient,
  type EngineContractEnv,
} from '../../scripts/testing/engine-contract.ts';
import { gatedWithWrites } from '../../scripts/testing/gated.ts';
import { migratedPGliteDump, migrationFiles } from '../../scripts/testing/migrated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import { startNodeHost, type NodeHost } from './node-host.ts';

describe('the engine in the Node host', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  const hosts: NodeHost[] = [];
  const dirs: string[] = [];

  const env: EngineContractEnv = {
    get central() {
      return seeded.client;
    },
    get serverUrl() {
      return sync.server.url;
    },
    async openClient() {
      const network = { online: true };
      const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-host-'));
      dirs.push(dataDir);
      const host = await startNodeHost({
        dataDir,
        migrations: await migrationFiles(),
        initialDataDir: () => migratedPGliteDump('local'),
        fetch: (input, init) =>
          network.online
            ? fetch(input, init)
            : Promise.reject(new TypeError('fetch failed: network is down')),
        statusIntervalMs: 100,
        uploadPollMs: 200,
        uploadRetryBaseMs: 100,
      });
      hosts.push(host);
      return {
        client: host.connect(),
        setOnline: (online: boolean) => Promise.resolve(void (network.online = online)),
      };
    },
  };

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('enginehost', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, { auth: gatedWithWrites() });
  }, 180_000);

  afterAll(async () => {
    for (const h of hosts) await h.close().catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  for (const scenario of engineContract(env)) it(scenario.name, () => scenario.run(), scenario.timeoutMs);

  it('lets one process at a time own a data directory, and exports a backup', async () => {
    await signedInClient(env, 'viewer@acme.test', 'acme');
    const owner = hosts.at(-1)!;
    await expect(
      startNodeHost({ dataDir: owner.dataDir, migrations: await migrationFiles() }),
    ).rejects.toMatchObject({
      code: 'locked',
    });
    const file = await owner.exportBackup();
    expect((await stat(file)).size).toBeGreaterThan(100_000);
    // After a clean close the directory opens again, signed in from the saved account, offline at first.
    await owner.close();
    const reopened = await startNodeHost({ dataDir: owner.dataDir, migrations: await migrationFiles() });
    hosts.push(reopened);
    const session = await reopened.connect().call('session.resume', undefined);
    expect(session.user.email).toBe('viewer@acme.test');
  }, 300_000);
});

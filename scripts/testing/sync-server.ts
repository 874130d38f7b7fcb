/**
 * scripts/testing/sync-server.ts: a real sync server (engine + replication + HTTP) on a test
 * database, with its own data directory and replication slot (slot names are cluster-wide, so each
 * test database gets its own), restartable on the same data to test resumption.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SyncServer, type SyncServerConfig } from '../../sync-server/server.ts';

export interface TestSyncServer {
  readonly server: SyncServer;
  /** The Shape API endpoint: `${url}/v1/shape`. */
  readonly shapeUrl: string;
  /** Stops and starts the server again on the same data directory, slot and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestSyncServer(
  databaseUrl: string,
  options: Partial<Omit<SyncServerConfig, 'databaseUrl' | 'dataDir'>> = {},
): Promise<TestSyncServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-sync-'));
  const database = new URL(databaseUrl).pathname
    .slice(1)
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase();
  const config: SyncServerConfig = {
    databaseUrl,
    dataDir,
    slotName: `slot_${database}`.slice(0, 63),
    longPollMs: 3_000,
    heartbeatIntervalMs: 1_000,
    log: () => undefined,
    ...options,
  };
  let server = await SyncServer.start(config);
  const port = Number(new URL(server.url).port);
  const handle: TestSyncServer = {
    get server() {
      return server;
    },
    get shapeUrl() {
      return `${server.url}/v1/shape`;
    },
    async restart() {
      await server.stop();
      server = await SyncServer.start({ ...config, port });
    },
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

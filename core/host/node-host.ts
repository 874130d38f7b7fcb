/**
 * core/host/node-host.ts: the engine in a Node process (tests, tools, and the Electron utility
 * process, which is Node too), with everything kept under one data directory:
 *
 *   <dataDir>/outpost.lock              one owning process (data-dir-lock.ts)
 *   <dataDir>/secrets.json              tokens, mode 0600 (Electron passes its safeStorage store instead)
 *   <dataDir>/accounts/<account>/       one PGlite data directory per signed-in account
 *   <dataDir>/backups/                  where exportBackup writes by default
 *
 * Guarantees: the lock is taken before any database opens and released only after the engine closed
 * its database; an account's directory name is derived from its key (server host, tenant, user) and
 * never from user input alone; `connect()` gives an RPC client over an in-process port pair, the same
 * contract a renderer gets over a MessagePort.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationFile } from '../../common/migrations/runner.ts';
import { createRpcClient, type RpcClient } from '../../common/rpc/client.ts';
import { inProcessPortPair, type RpcPort } from '../../common/rpc/protocol.ts';
import { openLocalDatabase } from '../database/local-database.ts';
import { LocalEngine, type LocalEngineOptions } from '../engine/local-engine.ts';
import { FileSecretStore } from '../session/file-secret-store.ts';
import type { SecretStore } from '../session/session-manager.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';

export interface NodeHostOptions extends Omit<LocalEngineOptions, 'store' | 'openDatabase'> {
  readonly dataDir: string;
  /** Every migration file (scripts/db/migration-files.ts reads them from the repository). */
  readonly migrations: readonly MigrationFile[];
  /** Secret storage; a 0600 file in the data directory by default. */
  readonly store?: SecretStore;
  /** A data directory tarball a new account's database starts from (tests: a migrated dump). */
  readonly initialDataDir?: () => Promise<Blob>;
}

export interface NodeHost {
  readonly engine: LocalEngine;
  readonly dataDir: string;
  /** A typed client of the engine over an in-process port (as a UI would talk to it). */
  connect(): RpcClient;
  /** Serves the engine on an existing port (a worker_threads or Electron MessagePort). */
  serve(port: RpcPort): { close(): void };
  /** Writes a backup of the active account's database; returns the file path. */
  exportBackup(directory?: string): Promise<string>;
  /** Closes every client, the engine and its database, then releases the lock. */
  close(): Promise<void>;
}

/** The directory of an account's database: a digest, so no key can escape `accounts/`. */
export function accountDirectory(dataDir: string, accountKey: string): string {
  const digest = createHash('sha256').update(accountKey).digest('hex').slice(0, 32);
  return path.join(dataDir, 'accounts', digest);
}

export async function startNodeHost(options: NodeHostOptions): Promise<NodeHost> {
  const dataDir = path.resolve(options.dataDir);
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  const servers = new Set<{ close(): void }>();
  const clients = new Set<RpcClient>();
  let engine: LocalEngine;
  try {
    const { dataDir: _ignored, migrations, store, initialDataDir, ...engineOptions } = options;
    engine = new LocalEngine({
      ...engineOptions,
      store: store ?? new FileSecretStore(path.join(dataDir, 'secrets.json')),
      openDatabase: async (accountKey) => {
        const directory = accountDirectory(dataDir, accountKey);
        await mkdir(directory, { recursive: true });
        const fresh = (await readdir(directory)).length === 0;
        const { db } = await openLocalDatabase({
          dataDir: directory,
          migrations,
          ...(fresh && initialDataDir ? { loadDataDir: await initialDataDir() } : {}),
        });
        return db;
      },
    });
  } catch (error) {
    await lock.release();
    throw error;
  }

  let closing: Promise<void> | null = null;
  const serve = (port: RpcPort) => {
    const server = engine.serve(port);
    const tracked = {
      close() {
        servers.delete(tracked);
        server.close();
      },
    };
    servers.add(tracked);
    return tracked;
  };
  return {
    engine,
    dataDir,
    connect() {
      const [uiSide, coreSide] = inProcessPortPair();
      serve(coreSide);
      const client = createRpcClient(uiSide);
      clients.add(client);
      return client;
    },
    serve,
    async exportBackup(directory = path.join(dataDir, 'backups')) {
      const { fileName, bytes } = await engine.backup();
      await mkdir(directory, { recursive: true });
      const file = path.join(directory, fileName);
      await writeFile(file, bytes, { mode: 0o600 });
      return file;
    },
    close() {
      closing ??= (async () => {
        for (const client of clients) client.close();
        for (const server of [...servers]) server.close();
        try {
          await engine.close();
        } finally {
          await lock.release();
        }
      })();
      return closing;
    },
  };
}

/**
 * core/host/utility-process-entry.ts: the engine in an Electron utility process (Node), started by the
 * main process with `utilityProcess.fork(out/main/core.js, [], { serviceName: 'Outpost core' })`.
 * The messages are defined and validated in common/host/utility-process-protocol.ts:
 *
 *   main ──{ type: 'start', dataDir, migrationsDir }──────────► startNodeHost ─► started | failed
 *   main ──{ type: 'connect', client } + [MessagePortMain]─────► engine serves the contract on it
 *        (main passes the other end of the channel to the window; the preload hands only that port on)
 *   main ──{ type: 'disconnect', client }──────────────────────► that window's port is closed
 *   main ──{ type: 'quit' }────────────────────────────────────► host.close() ─► { type: 'closed' }
 *   core ──{ type: 'secret-get' | 'secret-set' | 'secret-delete' }──► main (parent-port-secret-store.ts)
 *
 * Guarantees: everything here is the Node host (tested in core/host/node-host.pg.test.ts); this file
 * only adapts Electron's parentPort and MessagePortMain, declared structurally so that the core never
 * imports electron. Tokens go through main's safeStorage, never to a file of this process. A client
 * (window) has at most one live port: connecting it again closes the previous one. Sync keeps running
 * while windows are hidden or closed: the engine lives here, not in a renderer. `closed` is sent only
 * after the database closed (or failed to), so main may then exit. Invalid messages are ignored.
 */
import { setMaxListeners } from 'node:events';
import { isOutpostError } from '../../common/errors.ts';
import { parseMainToCoreMessage } from '../../common/host/utility-process-protocol.ts';
import { isRpcMessage, type RpcPort } from '../../common/rpc/protocol.ts';
import { loadMigrationFilesFromDirectory } from './migration-directory.ts';
import { startNodeHost, type NodeHost } from './node-host.ts';
import { ParentPortSecretStore } from './parent-port-secret-store.ts';

interface MessagePortMainLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  off(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown; ports: MessagePortMainLike[] }) => void): void;
}

function portOf(port: MessagePortMainLike): RpcPort {
  port.start();
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      const handler = (event: { data: unknown }) => {
        if (isRpcMessage(event.data)) listener(event.data);
      };
      port.on('message', handler);
      return () => port.off('message', handler);
    },
  };
}

// pglite-sync links every shape's stream (about a hundred) to one AbortSignal of its own: not a leak.
setMaxListeners(500);

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) throw new Error('utility-process-entry must run in an Electron utility process');

const store = new ParentPortSecretStore(parentPort);
const clients = new Map<number, { port: MessagePortMainLike; close(): void }>();
let host: Promise<NodeHost> | null = null;

function disconnect(client: number): void {
  const previous = clients.get(client);
  if (!previous) return;
  clients.delete(client);
  previous.close();
}

parentPort.on('message', (event) => {
  const message = parseMainToCoreMessage(event.data);
  if (!message) return;
  switch (message.type) {
    case 'start': {
      const { dataDir, migrationsDir } = message;
      host ??= (async () =>
        startNodeHost({
          dataDir,
          store,
          migrations: await loadMigrationFilesFromDirectory(migrationsDir),
        }))();
      host.then(
        () => parentPort.postMessage({ type: 'started' }),
        (error: unknown) =>
          parentPort.postMessage({
            type: 'failed',
            code: isOutpostError(error) ? error.code : 'internal',
            message: error instanceof Error ? error.message : String(error),
          }),
      );
      break;
    }
    case 'connect': {
      const port = event.ports[0];
      if (!port) return;
      disconnect(message.client);
      if (!host) {
        port.close();
        return;
      }
      let closed = false;
      let server: { close(): void } | null = null;
      const entry = {
        port,
        close() {
          closed = true;
          server?.close();
          port.close();
        },
      };
      clients.set(message.client, entry);
      port.on('close', () => {
        if (clients.get(message.client) === entry) clients.delete(message.client);
        server?.close();
      });
      host.then(
        (h) => {
          if (!closed) server = h.serve(portOf(port));
        },
        () => entry.close(),
      );
      break;
    }
    case 'disconnect':
      disconnect(message.client);
      break;
    case 'quit':
      void (host ?? Promise.resolve(null))
        .then((h) => h?.close())
        .catch(() => undefined)
        .finally(() => parentPort.postMessage({ type: 'closed' }));
      break;
    default:
      // secret-result / secret-error: answered to the ParentPortSecretStore's own listener.
      break;
  }
});

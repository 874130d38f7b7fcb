/**
 * core/host/utility-process-entry.ts: the engine in an Electron utility process (Node), started by the
 * main process with `utilityProcess.fork(out/main/core.js, [], { serviceName: 'Outpost core' })`.
 *
 *   main ──parentPort: { type: 'start', dataDir }──────────────────► startNodeHost(dataDir)
 *   main ──parentPort: { type: 'connect' } + [MessagePortMain]─────► engine serves the contract on it
 *        (main passes the other end of the channel to the renderer; the preload exposes only that port)
 *   main ──parentPort: { type: 'quit' }────────────────────────────► host.close() ─► { type: 'closed' }
 *
 * Guarantees: everything here is the Node host (tested in core/host/node-host.pg.test.ts); this file
 * only adapts Electron's parentPort and MessagePortMain, declared structurally so that the core never
 * imports electron. Sync keeps running while windows are hidden or closed: the engine lives here, not
 * in a renderer. Messages that are not the ones above are ignored.
 */
import { setMaxListeners } from 'node:events';
import { isRpcMessage, type RpcPort } from '../../common/rpc/protocol.ts';
import { loadMigrationFilesFromDirectory } from './migration-directory.ts';
import { startNodeHost, type NodeHost } from './node-host.ts';

interface MessagePortMainLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  off(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
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

let host: Promise<NodeHost> | null = null;

parentPort.on('message', (event) => {
  const message = event.data as { type?: unknown; dataDir?: unknown; migrationsDir?: unknown };
  if (
    message.type === 'start' &&
    typeof message.dataDir === 'string' &&
    typeof message.migrationsDir === 'string'
  ) {
    const dataDir = message.dataDir;
    const migrationsDir = message.migrationsDir;
    host ??= (async () =>
      startNodeHost({ dataDir, migrations: await loadMigrationFilesFromDirectory(migrationsDir) }))();
    host.then(
      () => parentPort.postMessage({ type: 'started' }),
      (error: unknown) =>
        parentPort.postMessage({
          type: 'failed',
          code: (error as { code?: unknown }).code ?? 'internal',
          message: (error as Error).message,
        }),
    );
  } else if (message.type === 'connect' && event.ports[0] && host) {
    const port = event.ports[0];
    void host.then((h) => {
      const server = h.serve(portOf(port));
      port.on('close', () => server.close());
    });
  } else if (message.type === 'quit') {
    void (host ?? Promise.resolve(null))
      .then((h) => h?.close())
      .finally(() => parentPort.postMessage({ type: 'closed' }));
  }
});

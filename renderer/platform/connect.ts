/**
 * renderer/platform/connect.ts: opens the renderer's one connection to the core and returns a typed RPC
 * client (common/rpc/client.ts) over it.
 *
 *   Electron: the preload hands over a MessagePort whose other end the core (utility process) serves
 *             (handshake in common/host/electron-port.ts)
 *   browser:  the core runs in a module Web Worker (core/host/web-worker-entry.ts) started here
 *
 * Guarantees: resolves only once the core answers a call (the worker serves after it has taken its
 * origin lock, so early calls are buffered or probed again); a core that does not answer within
 * `timeoutMs` is an error the boot screen shows, never a silent hang.
 */
import { OutpostError } from '../../common/errors.ts';
import { createRpcClient, type RpcClient } from '../../common/rpc/client.ts';
import { portFromEventTarget } from '../../common/rpc/protocol.ts';
import { currentHost } from '../shell/host.ts';
import { electronCorePort } from './electron-port.ts';

const PROBE_MS = 500;

/** Resolves when the core answers a call (a result or an error such as `locked`). */
async function coreAnswers(client: RpcClient, timeoutMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const answered = await Promise.race([
      client.call('session.get', undefined).then(
        () => true,
        (error: unknown) => {
          if (error instanceof OutpostError && error.code === 'locked') throw error;
          return true;
        },
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), PROBE_MS)),
    ]);
    if (answered) return;
    if (Date.now() - started > timeoutMs)
      throw new OutpostError('internal', 'The local engine did not start. Reload the window to try again.');
  }
}

function startWorker(): Worker {
  return new Worker(new URL('../../core/host/web-worker-entry.ts', import.meta.url), {
    type: 'module',
    name: 'outpost',
  });
}

export async function connectCore(timeoutMs = 60_000): Promise<RpcClient> {
  if (currentHost() === 'electron') {
    const client = createRpcClient(portFromEventTarget(await electronCorePort(timeoutMs)));
    await coreAnswers(client, timeoutMs);
    return client;
  }
  const worker = startWorker();
  const failed = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (event) =>
      reject(new OutpostError('internal', `The local engine failed to start: ${event.message}`)),
    ),
  );
  const client = createRpcClient(portFromEventTarget(worker));
  await Promise.race([coreAnswers(client, timeoutMs), failed]);
  return client;
}

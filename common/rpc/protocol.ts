/**
 * common/rpc/protocol.ts: the wire messages of Outpost's one RPC between a UI and the core, and the
 * minimal port every host provides (a DOM MessagePort or Worker, an Electron MessagePortMain, a Node
 * worker_threads port, or an in-process pair for tests).
 *
 *   client ──{t:'call', id, method, params}──► server ──{t:'ok', id, value} | {t:'err', id, error}──► client
 *   client ──{t:'sub', id, topic, params}───► server ──{t:'ev', id, value}* ... {t:'err', id, error}?
 *   client ──{t:'unsub', id}────────────────► server (stops the subscription; no reply)
 *
 * Messages are structured-clone-safe plain objects (no functions, no classes). Ids are chosen by the
 * client and unique per port. Errors carry a stable code from common/errors.ts.
 */
import type { ErrorCode } from '../errors.ts';

export interface RpcErrorPayload {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type RpcMessage =
  | { readonly t: 'call'; readonly id: number; readonly method: string; readonly params: unknown }
  | { readonly t: 'sub'; readonly id: number; readonly topic: string; readonly params: unknown }
  | { readonly t: 'unsub'; readonly id: number }
  | { readonly t: 'ok'; readonly id: number; readonly value: unknown }
  | { readonly t: 'err'; readonly id: number; readonly error: RpcErrorPayload }
  | { readonly t: 'ev'; readonly id: number; readonly value: unknown };

/** What a host hands to the RPC: send a message, listen to messages. */
export interface RpcPort {
  postMessage(message: RpcMessage): void;
  /** Registers a listener; returns a function that removes it. */
  onMessage(listener: (message: RpcMessage) => void): () => void;
}

export function isRpcMessage(value: unknown): value is RpcMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { t?: unknown; id?: unknown };
  return (
    typeof m.id === 'number' &&
    (m.t === 'call' || m.t === 'sub' || m.t === 'unsub' || m.t === 'ok' || m.t === 'err' || m.t === 'ev')
  );
}

/** The listener side of a DOM MessagePort / Worker / worker_threads port (`message` events with `data`). */
interface EventPortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
}

/** Adapts a DOM MessagePort, a Worker, a DedicatedWorkerGlobalScope or a worker_threads MessagePort. */
export function portFromEventTarget(target: EventPortLike): RpcPort {
  target.start?.();
  return {
    postMessage: (message) => target.postMessage(message),
    onMessage(listener) {
      const handler = (event: { data: unknown }) => {
        if (isRpcMessage(event.data)) listener(event.data);
      };
      target.addEventListener('message', handler);
      return () => target.removeEventListener('message', handler);
    },
  };
}

/** Two connected in-process ports (the Node host and tests). Delivery is asynchronous, like a real port. */
export function inProcessPortPair(): [RpcPort, RpcPort] {
  const listeners: [Set<(m: RpcMessage) => void>, Set<(m: RpcMessage) => void>] = [new Set(), new Set()];
  const make = (self: 0 | 1): RpcPort => ({
    postMessage(message) {
      const copy = structuredClone(message);
      queueMicrotask(() => {
        for (const l of listeners[self === 0 ? 1 : 0]) l(copy);
      });
    },
    onMessage(listener) {
      listeners[self].add(listener);
      return () => listeners[self].delete(listener);
    },
  });
  return [make(0), make(1)];
}

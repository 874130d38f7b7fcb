/**
 * common/rpc/client.ts: the UI side of the RPC: typed calls and subscriptions over an RpcPort.
 *
 * Guarantees: every call settles exactly once (result, the core's error as an OutpostError with its
 * code, or `internal` when the client is closed); a subscription delivers events until its dispose
 * function is called or the core ends it with an error (passed to `onError`); disposing twice is
 * harmless. Results are checked against the contract's schemas, so a core/UI version mismatch is a
 * clear `internal` error rather than undefined behaviour.
 */
import { OutpostError, type ErrorCode } from '../errors.ts';
import {
  CALLS,
  SUBSCRIPTIONS,
  type CallName,
  type CallParams,
  type CallResult,
  type SubscriptionEvent,
  type SubscriptionName,
  type SubscriptionParams,
} from './contract.ts';
import type { RpcErrorPayload, RpcPort } from './protocol.ts';

export interface RpcClient {
  call<N extends CallName>(method: N, params: CallParams<N>): Promise<CallResult<N>>;
  subscribe<N extends SubscriptionName>(
    topic: N,
    params: SubscriptionParams<N>,
    onEvent: (value: SubscriptionEvent<N>) => void,
    onError?: (error: OutpostError) => void,
  ): () => void;
  close(): void;
}

function toError(payload: RpcErrorPayload): OutpostError {
  return new OutpostError(payload.code, payload.message, payload.details ?? {});
}

export function createRpcClient(port: RpcPort): RpcClient {
  let next = 1;
  let closed = false;
  const calls = new Map<
    number,
    { method: CallName; resolve: (v: unknown) => void; reject: (e: unknown) => void }
  >();
  const subs = new Map<
    number,
    { topic: SubscriptionName; onEvent: (v: unknown) => void; onError?: (e: OutpostError) => void }
  >();

  const off = port.onMessage((message) => {
    switch (message.t) {
      case 'ok': {
        const pending = calls.get(message.id);
        if (!pending) return;
        calls.delete(message.id);
        const parsed = CALLS[pending.method].result.safeParse(message.value);
        if (parsed.success) pending.resolve(parsed.data);
        else
          pending.reject(
            new OutpostError('internal', `The core answered ${pending.method} with an unexpected shape.`),
          );
        return;
      }
      case 'err': {
        const pending = calls.get(message.id);
        if (pending) {
          calls.delete(message.id);
          pending.reject(toError(message.error));
          return;
        }
        const sub = subs.get(message.id);
        if (sub) {
          subs.delete(message.id);
          sub.onError?.(toError(message.error));
        }
        return;
      }
      case 'ev': {
        const sub = subs.get(message.id);
        if (!sub) return;
        const parsed = SUBSCRIPTIONS[sub.topic].event.safeParse(message.value);
        if (parsed.success) sub.onEvent(parsed.data);
        else sub.onError?.(new OutpostError('internal', `The core sent ${sub.topic} an unexpected shape.`));
        return;
      }
      default:
        return;
    }
  });

  const closedError = (code: ErrorCode = 'internal') =>
    new OutpostError(code, 'The connection to the core is closed.');

  return {
    call(method, params) {
      if (closed) return Promise.reject(closedError());
      const id = next++;
      return new Promise((resolve, reject) => {
        calls.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
        port.postMessage({ t: 'call', id, method, params: params ?? null });
      });
    },
    subscribe(topic, params, onEvent, onError) {
      if (closed) {
        onError?.(closedError());
        return () => undefined;
      }
      const id = next++;
      subs.set(id, {
        topic,
        onEvent: onEvent as (v: unknown) => void,
        ...(onError ? { onError } : {}),
      });
      port.postMessage({ t: 'sub', id, topic, params: params ?? null });
      return () => {
        if (subs.delete(id) && !closed) port.postMessage({ t: 'unsub', id });
      };
    },
    close() {
      if (closed) return;
      closed = true;
      off();
      for (const pending of calls.values()) pending.reject(closedError());
      calls.clear();
      subs.clear();
    },
  };
}

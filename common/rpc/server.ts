/**
 * common/rpc/server.ts: the core side of the RPC: dispatches calls and subscriptions arriving on an
 * RpcPort to typed handlers, after validating their params against the contract.
 *
 * Guarantees: params that fail the contract's schema never reach a handler (the caller gets
 * `validation` naming the field); an OutpostError from a handler reaches the caller with its code and
 * message; any other exception is reported as `internal` (and to `onInternalError`), never with its
 * stack. A subscription's cleanup runs exactly once: on `unsub`, on an error, or on close().
 */
import { isOutpostError } from '../errors.ts';
import {
  CALLS,
  SUBSCRIPTIONS,
  type CallName,
  type CallResult,
  type SubscriptionEvent,
  type SubscriptionName,
} from './contract.ts';
import type { RpcErrorPayload, RpcMessage, RpcPort } from './protocol.ts';
import type { z } from 'zod';

type ParsedParams<S> = S extends { params: z.ZodType } ? z.output<S['params']> : never;

export type CallHandlers = {
  [N in CallName]: (params: ParsedParams<(typeof CALLS)[N]>) => Promise<CallResult<N>> | CallResult<N>;
};

/** Starts a subscription: call `emit` for each value; return the cleanup. */
export type SubscriptionHandlers = {
  [N in SubscriptionName]: (
    params: ParsedParams<(typeof SUBSCRIPTIONS)[N]>,
    emit: (value: SubscriptionEvent<N>) => void,
    fail: (error: unknown) => void,
  ) => (() => void) | Promise<() => void>;
};

export interface RpcServerOptions {
  readonly onInternalError?: (error: unknown, where: string) => void;
}

export function errorPayload(error: unknown): RpcErrorPayload {
  if (isOutpostError(error)) return { code: error.code, message: error.message, details: error.details };
  return { code: 'internal', message: 'An unexpected error in the core; its log has details.' };
}

function validationMessage(
  name: string,
  issues: readonly { path: PropertyKey[]; message: string }[],
): string {
  return `Invalid parameters for ${name}: ${issues.map((i) => `${i.path.map(String).join('.') || 'params'}: ${i.message}`).join('; ')}.`;
}

export function serveRpc(
  port: RpcPort,
  calls: CallHandlers,
  subscriptions: SubscriptionHandlers,
  options: RpcServerOptions = {},
): { close(): void } {
  const active = new Map<number, () => void>();
  const report = (error: unknown, where: string) => {
    if (!isOutpostError(error)) options.onInternalError?.(error, where);
  };
  const send = (message: RpcMessage) => port.postMessage(message);

  /**
   * The params of a call or subscription, validated against its schema in `table`; or null after
   * answering `validation` (unknown name, or params that break the contract).
   */
  const validParams = (
    id: number,
    table: Readonly<Record<string, { readonly params: z.ZodType }>>,
    kind: 'method' | 'subscription',
    name: string,
    params: unknown,
  ): { data: unknown } | null => {
    const entry = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!entry) {
      const message = `Unknown ${kind} ${JSON.stringify(name)}.`;
      send({ t: 'err', id, error: { code: 'validation', message } });
      return null;
    }
    const parsed = entry.params.safeParse(params);
    if (!parsed.success) {
      const message = validationMessage(name, parsed.error.issues);
      send({ t: 'err', id, error: { code: 'validation', message } });
      return null;
    }
    return { data: parsed.data };
  };

  const onCall = async (id: number, method: string, params: unknown) => {
    const parsed = validParams(id, CALLS, 'method', method, params);
    if (!parsed) return;
    try {
      const handler = calls[method as CallName] as (p: unknown) => unknown;
      const value = await handler(parsed.data);
      send({ t: 'ok', id, value: value ?? null });
    } catch (error) {
      report(error, method);
      send({ t: 'err', id, error: errorPayload(error) });
    }
  };

  const onSubscribe = async (id: number, topic: string, params: unknown) => {
    const parsed = validParams(id, SUBSCRIPTIONS, 'subscription', topic, params);
    if (!parsed) return;
    const name = topic as SubscriptionName;
    let ended = false;
    let cleanup: (() => void) | null = null;
    const end = () => {
      if (ended) return;
      ended = true;
      active.delete(id);
      cleanup?.();
    };
    active.set(id, end);
    const emit = (value: unknown) => {
      if (!ended) send({ t: 'ev', id, value });
    };
    const fail = (error: unknown) => {
      if (ended) return;
      report(error, topic);
      send({ t: 'err', id, error: errorPayload(error) });
      end();
    };
    try {
      const handler = subscriptions[name] as (
        p: unknown,
        emit: (v: unknown) => void,
        fail: (e: unknown) => void,
      ) => (() => void) | Promise<() => void>;
      const stop = await handler(parsed.data, emit, fail);
      if (ended) stop();
      else cleanup = stop;
    } catch (error) {
      fail(error);
    }
  };

  const off = port.onMessage((message) => {
    switch (message.t) {
      case 'call':
        void onCall(message.id, message.method, message.params);
        return;
      case 'sub':
        void onSubscribe(message.id, message.topic, message.params);
        return;
      case 'unsub':
        active.get(message.id)?.();
        return;
      default:
        return;
    }
  });

  return {
    close() {
      off();
      for (const end of [...active.values()]) end();
    },
  };
}

/**
 * renderer/platform/use-live.ts: React hooks over the core's RPC: a live subscription as component state,
 * and a call's lifecycle (running / error) for buttons and forms.
 *
 * Guarantees: a subscription is opened once per distinct (topic, params) and disposed when the
 * component unmounts or the params change, so a view never keeps a live query it no longer shows;
 * an error from the core ends the subscription and is returned, with its code, instead of a value.
 */
import { useEffect, useState } from 'react';
import type { OutpostError } from '../../common/errors.ts';
import type { SubscriptionEvent, SubscriptionName, SubscriptionParams } from '../../common/rpc/contract.ts';
import { useEngine } from '../state/engine-store.ts';

export interface Live<T> {
  readonly value: T | undefined;
  readonly error: OutpostError | null;
}

/** Follows `topic` with `params` (null: not now). */
export function useLive<N extends SubscriptionName>(
  topic: N,
  params: SubscriptionParams<N> | null,
): Live<SubscriptionEvent<N>> {
  const client = useEngine((s) => s.client);
  const key = params === null ? null : JSON.stringify(params);
  const [state, setState] = useState<{ key: string | null; live: Live<SubscriptionEvent<N>> }>({
    key: null,
    live: { value: undefined, error: null },
  });
  useEffect(() => {
    if (!client || key === null) return;
    const stop = client.subscribe(
      topic,
      JSON.parse(key) as SubscriptionParams<N>,
      (value) => setState({ key, live: { value, error: null } }),
      (error) => setState({ key, live: { value: undefined, error } }),
    );
    return stop;
  }, [client, topic, key]);
  // A value of other params is not this query's value.
  return state.key === key ? state.live : { value: undefined, error: null };
}

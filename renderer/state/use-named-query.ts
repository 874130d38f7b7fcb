/**
 * renderer/state/use-named-query.ts: the rows of a named query (common/queries), live, as a React
 * hook: null while unknown, or when `request` is null (the user may not read it) or the query failed.
 *
 * Guarantees: rows of an earlier request are never returned for a newer one (the key is the request's
 * JSON); the subscription ends when the component unmounts or the request changes.
 */
import { useEffect, useState } from 'react';
import type { QueryName, QueryRow } from '../../common/queries/registry.ts';
import type { QueryRequest } from '../../common/rpc/contract.ts';
import { followQuery } from '../../common/rpc/domain.ts';
import { useEngine } from './engine-store.ts';

export function useNamedQuery<N extends QueryName>(request: QueryRequest<N> | null): QueryRow<N>[] | null {
  const client = useEngine((s) => s.client);
  const key = request === null ? null : JSON.stringify(request);
  const [state, setState] = useState<{ key: string | null; rows: QueryRow<N>[] | null }>({
    key: null,
    rows: null,
  });
  useEffect(() => {
    if (!client || key === null) return;
    return followQuery(
      client,
      JSON.parse(key) as QueryRequest<N>,
      (rows) => setState({ key, rows }),
      () => setState({ key, rows: null }),
    );
  }, [client, key]);
  return state.key === key ? state.rows : null;
}

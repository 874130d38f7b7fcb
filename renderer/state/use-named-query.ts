/**
 * renderer/state/use-named-query.ts: the rows of a named query (common/queries), live, as a React
 * hook: null while unknown, or when `request` is null (the user may not read it) or the query failed.
 * A typed door over useLive('query.live') (renderer/platform/use-live.ts), which owns the subscription:
 * rows of an earlier request are never returned for a newer one, and it ends on unmount or change.
 */
import type { OutpostError } from '../../common/errors.ts';
import type { QueryName, QueryRow } from '../../common/queries/registry.ts';
import type { QueryRequest } from '../../common/rpc/contract.ts';
import { useLive } from '../platform/use-live.ts';

export function useNamedQuery<N extends QueryName>(request: QueryRequest<N> | null): QueryRow<N>[] | null {
  const live = useLive('query.live', request);
  return (live.value?.rows as QueryRow<N>[] | undefined) ?? null;
}

/** The same, with the error of a failed query (null while it runs or when it succeeded). */
export function useNamedQueryResult<N extends QueryName>(
  request: QueryRequest<N> | null,
): { rows: QueryRow<N>[] | null; error: OutpostError | null } {
  const live = useLive('query.live', request);
  return { rows: (live.value?.rows as QueryRow<N>[] | undefined) ?? null, error: live.error };
}

/**
 * common/rpc/domain.ts: the typed doors to the domain surface over an RpcClient: named operations
 * (common/mutations/named.ts) and named read queries (common/queries/registry.ts). The contract's
 * `mutation.run`, `query.run` and `query.live` carry any registered name; these functions tie each
 * name to its own argument, result and row types, so a view calling `approval.decide` or reading
 * `approvals.waitingForMe` is checked at compile time (and the core checks again at run time).
 */
import type { OperationName, OperationResult } from '../mutations/named.ts';
import type { QueryName, QueryRow } from '../queries/registry.ts';
import type { OutpostError } from '../errors.ts';
import type { RpcClient } from './client.ts';
import type { OperationRequest, QueryRequest } from './contract.ts';

export interface OperationOutcome<N extends OperationName> {
  /** The queued mutation's id (what the write list and the server know it by). */
  readonly mutationId: string;
  /** The operation's local answer. */
  readonly result: OperationResult<N>;
}

/** Runs named operation `request.name` optimistically and queues it for upload. */
export async function runOperation<N extends OperationName>(
  client: RpcClient,
  request: OperationRequest<N>,
): Promise<OperationOutcome<N>> {
  const outcome = await client.call('mutation.run', request);
  return { mutationId: outcome.mutationId, result: outcome.result as OperationResult<N> };
}

/** The rows of named query `request.name`, once. */
export async function runQuery<N extends QueryName>(
  client: RpcClient,
  request: QueryRequest<N>,
): Promise<QueryRow<N>[]> {
  const { rows } = await client.call('query.run', request);
  return rows as QueryRow<N>[];
}

/** The rows of named query `request.name`, live; returns the function that stops following. */
export function followQuery<N extends QueryName>(
  client: RpcClient,
  request: QueryRequest<N>,
  onRows: (rows: QueryRow<N>[]) => void,
  onError?: (error: OutpostError) => void,
): () => void {
  return client.subscribe('query.live', request, (event) => onRows(event.rows as QueryRow<N>[]), onError);
}

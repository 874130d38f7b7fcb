/**
 * core/outbox/write-states.ts: what the UI shows about the user's own writes: the ones not yet on the
 * server (pending, uploading) and the ones the server refused and the user has not dismissed, plus the
 * counts the sync status carries. As one query, so a live query can follow it.
 *
 * Guarantees: the list is in outbox order (rejections by when they were written), at most
 * WRITE_STATES_LIMIT long; a mutation appears once, with the server's code and message when it was
 * rejected; acknowledged mutations waiting for their echo through sync are not "pending" any more (the
 * server has them); the counts cover every write, not only the listed ones.
 */
import type { WriteState } from '../../common/rpc/contract.ts';
import type { LocalQueryable } from './outbox.ts';

/**
 * How many writes the list carries: the oldest ones (the next to upload, and rejections waiting for
 * the user). Re-running the list on every local write costs what it returns, so a long offline session
 * with thousands of pending writes keeps writing fast; the counts below are exact.
 */
export const WRITE_STATES_LIMIT = 200;

export const WRITE_STATES_SQL = `
  SELECT id::text AS id, table_name, name, op, key, status, NULL::text AS code, last_error AS message,
         created_at, seq AS ord, (status = 'pending' AND attempts = 0) AS undoable, send_after
    FROM outbox.mutations WHERE status IN ('pending', 'uploading')
  UNION ALL
  SELECT mutation_id::text, table_name, name, op, key, 'rejected', code, message, created_at, seq, false, NULL
    FROM outbox.rejections WHERE dismissed_at IS NULL
  ORDER BY ord
  LIMIT ${WRITE_STATES_LIMIT}`;

/** Pending and rejected counts (all of them, unlike the list), as one row. */
export const WRITE_COUNTS_SQL = `
  SELECT (SELECT count(*)::int FROM outbox.mutations WHERE status IN ('pending', 'uploading')) AS pending,
         (SELECT count(*)::int FROM outbox.rejections WHERE dismissed_at IS NULL) AS rejected`;

export interface WriteStateRow {
  id: string;
  table_name: string | null;
  name: string | null;
  op: string | null;
  key: Record<string, unknown> | null;
  status: 'pending' | 'uploading' | 'rejected';
  code: string | null;
  message: string | null;
  created_at: Date | string;
  undoable: boolean;
  send_after: Date | string | null;
}

export function writeStateOf(row: WriteStateRow): WriteState {
  return {
    id: row.id,
    table: row.table_name,
    name: row.name,
    op: row.op,
    key: row.key,
    status: row.status,
    // A pending write's last_error is the reason of its last failed attempt, not a rejection.
    error: row.status === 'rejected' ? { code: row.code ?? 'internal', message: row.message ?? '' } : null,
    retryReason: row.status === 'rejected' ? null : row.message,
    createdAt: new Date(row.created_at).toISOString(),
    undoable: row.undoable === true,
    sendAfter: row.send_after === null ? null : new Date(row.send_after).toISOString(),
  };
}

export async function writeStates(db: LocalQueryable): Promise<WriteState[]> {
  const { rows } = await db.query<WriteStateRow>(WRITE_STATES_SQL);
  return rows.map(writeStateOf);
}

export interface WriteCounts {
  readonly pending: number;
  readonly rejected: number;
}

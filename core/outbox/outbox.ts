/**
 * core/outbox/outbox.ts: typed access to the local outbox (migrations/client/0200), for the uploader
 * and the UI. Writes themselves are plain SQL through the public views (INSERT/UPDATE/DELETE on
 * `orders`, `approvals`, ...): each row they change becomes a mutation here, in order.
 *
 *   pending ──markUploading──► uploading ──acknowledge(txid)──► acknowledged ──sync shows it──► (gone)
 *      ▲                          │  │                                ▲
 *      └──markPending (transient)─┘  └──reject(code, message)──► rejections (UI); local change undone
 *
 * Guarantees:
 *   - `pendingMutations` lists pending and uploading mutations in the order they were written: an
 *     `uploading` one is one whose fate is unknown (crash, timeout); sending it again is harmless
 *     because the server recognises its id (common/mutations/protocol.ts).
 *   - Every state change is one SQL statement, so it commits whole; the local rows follow in the same
 *     statement (an acknowledged write stays visible until sync shows it, a rejected one is undone and
 *     the keys it touched are re-derived from server state and the other pending writes).
 *   - Nothing here deletes a mutation the server has not acknowledged or rejected.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import type { Mutation } from '../../common/mutations/protocol.ts';
import type { WriteOperation } from '../../common/sync/rules.ts';

/** A PGlite instance or transaction. */
export type LocalQueryable = Pick<PGliteInterface, 'query'>;

export type MutationStatus = 'pending' | 'uploading' | 'acknowledged';

export interface OutboxMutation {
  /** Position in the outbox: the order the server must apply mutations in. */
  readonly seq: number;
  readonly id: string;
  readonly table: string | null;
  readonly op: WriteOperation | null;
  readonly name: string | null;
  readonly key: Readonly<Record<string, unknown>> | null;
  readonly values: Readonly<Record<string, unknown>> | null;
  /** The local transaction that wrote it (mutations of one transaction share it). */
  readonly localTxid: string;
  readonly status: MutationStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly serverTxid: number | null;
  readonly createdAt: Date;
}

export interface Rejection {
  readonly mutationId: string;
  readonly table: string | null;
  readonly op: WriteOperation | null;
  readonly name: string | null;
  readonly key: Readonly<Record<string, unknown>> | null;
  readonly values: Readonly<Record<string, unknown>> | null;
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  readonly rejectedAt: Date;
}

interface MutationRow {
  seq: number;
  id: string;
  table_name: string | null;
  op: WriteOperation | null;
  name: string | null;
  key: Record<string, unknown> | null;
  changes: Record<string, unknown> | null;
  local_txid: string;
  status: MutationStatus;
  attempts: number;
  last_error: string | null;
  server_txid: number | null;
  created_at: Date;
}

const MUTATION_COLUMNS = `seq::int8 AS seq, id::text AS id, table_name, op, name, key, changes,
  local_txid::text AS local_txid, status, attempts, last_error, server_txid::int8 AS server_txid, created_at`;

function mutationOf(row: MutationRow): OutboxMutation {
  return {
    seq: Number(row.seq),
    id: row.id,
    table: row.table_name,
    op: row.op,
    name: row.name,
    key: row.key,
    values: row.changes,
    localTxid: row.local_txid,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    serverTxid: row.server_txid === null ? null : Number(row.server_txid),
    createdAt: row.created_at,
  };
}

/** The envelope `POST /v1/mutations` takes for an outbox mutation. */
export function toWireMutation(mutation: OutboxMutation): Mutation {
  const key = mutation.key ?? undefined;
  const values = mutation.values ?? undefined;
  if (mutation.name !== null)
    return { id: mutation.id, name: mutation.name, ...(key && { key }), ...(values && { values }) };
  if (mutation.table === null || mutation.op === null)
    throw new Error(`outbox mutation ${mutation.id} has neither a name nor a table write`);
  return {
    id: mutation.id,
    table: mutation.table,
    op: mutation.op,
    ...(key && { key }),
    ...(values && { values }),
  };
}

/**
 * Mutations not yet acknowledged (pending or uploading) that may be sent now, oldest first: the list
 * stops before the first pending mutation whose `send_after` has not come (migrations/client/0310),
 * because the server must see mutations in order.
 */
export async function pendingMutations(db: LocalQueryable, limit = 100): Promise<OutboxMutation[]> {
  const { rows } = await db.query<MutationRow>(
    `SELECT ${MUTATION_COLUMNS} FROM outbox.mutations
      WHERE status IN ('pending', 'uploading')
        AND seq < coalesce((SELECT min(h.seq) FROM outbox.mutations h
                             WHERE h.status = 'pending' AND h.send_after > now()), 9223372036854775807)
      ORDER BY seq LIMIT $1`,
    [limit],
  );
  return rows.map(mutationOf);
}

/** When the first held mutation may be sent (null: none is held). */
export async function nextSendAfter(db: LocalQueryable): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    `SELECT min(send_after) AS at FROM outbox.mutations WHERE status = 'pending' AND send_after > now()`,
  );
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}

export type WithdrawOutcome = 'withdrawn' | 'sent' | 'unknown';

/**
 * Takes back mutation `id` before the server saw it: only a pending mutation never sent (no attempt:
 * an attempt that got no answer may have reached the server). Its local changes are undone as a
 * rejection's are (the keys it touched re-derived from server state and the other pending writes),
 * and it leaves the outbox without a trace. `sent`: it was sent (or is being sent) and stays;
 * `unknown`: the outbox does not hold it (settled, or never written). One transaction, so the
 * uploader (which marks a batch `uploading` before sending) either sent it or never will.
 */
export async function withdrawMutation(
  db: Pick<PGliteInterface, 'transaction'>,
  id: string,
): Promise<WithdrawOutcome> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ status: MutationStatus; attempts: number }>(
      `SELECT status, attempts FROM outbox.mutations WHERE id = $1::uuid FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (!row) return 'unknown';
    if (row.status !== 'pending' || row.attempts > 0) return 'sent';
    await tx.query(`SELECT outbox.drop_effects($1::uuid)`, [id]);
    await tx.query(`DELETE FROM outbox.mutations WHERE id = $1::uuid`, [id]);
    return 'withdrawn';
  });
}

/** Every mutation of the outbox, whatever its state, oldest first. */
export async function allMutations(db: LocalQueryable): Promise<OutboxMutation[]> {
  const { rows } = await db.query<MutationRow>(
    `SELECT ${MUTATION_COLUMNS} FROM outbox.mutations ORDER BY seq`,
  );
  return rows.map(mutationOf);
}

/**
 * Marks mutations as being sent (before the request leaves); returns the ids it marked: a mutation
 * withdrawn since it was listed is gone and must not be sent.
 */
export async function markUploading(db: LocalQueryable, ids: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE outbox.mutations SET status = 'uploading', attempts = attempts + 1
      WHERE id = ANY ($1::uuid[]) AND status <> 'acknowledged'
      RETURNING id::text AS id`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}

/** Puts mutations back in the queue after a transient failure (or a batch the server did not apply). */
export async function markPending(db: LocalQueryable, ids: readonly string[], error?: string): Promise<void> {
  await db.query(
    `UPDATE outbox.mutations SET status = 'pending', last_error = coalesce($2, last_error)
      WHERE id = ANY ($1::uuid[]) AND status = 'uploading'`,
    [ids, error ?? null],
  );
}

export interface Acknowledgement {
  /** The 32-bit xid of the server transaction that applied the mutation (shape messages' `txids`). */
  readonly txid: number | null;
  /** An LSN at or after that transaction's commit, if the server reports one. */
  readonly lsn?: string | null;
  /**
   * False when the rows the mutation wrote are in no shape of this client (sync will never show
   * them): its local changes are dropped at once instead of waiting for sync.
   */
  readonly echoExpected?: boolean;
}

/**
 * The server applied mutation `id`. Its local changes stay until sync shows the server's rows (a row
 * with `_synced_txid` at or after `txid`, or the row's deletion), then they go and the server state
 * shows. Returns false if the outbox does not hold the mutation (already settled). Idempotent.
 */
export async function acknowledgeMutation(
  db: LocalQueryable,
  id: string,
  ack: Acknowledgement,
): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `SELECT outbox.acknowledge($1, $2, $3::pg_lsn, $4) AS ok`,
    [id, ack.txid, ack.lsn ?? null, ack.echoExpected ?? true],
  );
  return rows[0]?.ok === true;
}

export interface RejectionReason {
  /** The server's error code (an ErrorCode of common/errors.ts, kept as text: a newer server may send more). */
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The server refused mutation `id`: its local changes are undone (the keys it touched are re-derived
 * from server state and the remaining pending writes) and it is kept in the rejections for the UI.
 * Returns false if the outbox does not hold the mutation.
 */
export async function rejectMutation(
  db: LocalQueryable,
  id: string,
  reason: RejectionReason,
): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(`SELECT outbox.reject($1, $2, $3, $4) AS ok`, [
    id,
    reason.code,
    reason.message,
    reason.details ?? {},
  ]);
  return rows[0]?.ok === true;
}

/**
 * Settles acknowledged mutations that carry an LSN, once every sync subscription of this database has
 * applied the server's log up to it (pglite-sync's `last_lsn`, stored with the data it describes).
 * Returns how many were settled; 0 when nothing syncs yet.
 */
export async function settleThroughSubscriptions(
  db: LocalQueryable,
  metadataSchema = 'electric',
): Promise<number> {
  const { rows: exists } = await db.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [
    `"${metadataSchema.replace(/"/g, '""')}".subscriptions_metadata`,
  ]);
  const table = exists[0]?.t;
  if (!table) return 0;
  const { rows } = await db.query<{ n: number }>(
    `SELECT outbox.settle_through(
       (to_hex(w >> 32) || '/' || to_hex(w & 4294967295))::pg_lsn) AS n
       FROM (SELECT min(last_lsn::numeric)::int8 AS w FROM ${table}) m WHERE w IS NOT NULL AND w >= 0`,
  );
  return rows[0]?.n ?? 0;
}

interface RejectionRow {
  mutation_id: string;
  table_name: string | null;
  op: WriteOperation | null;
  name: string | null;
  key: Record<string, unknown> | null;
  changes: Record<string, unknown> | null;
  code: string;
  message: string;
  details: Record<string, unknown>;
  created_at: Date;
  rejected_at: Date;
}

/** Rejected mutations the user has not dismissed yet, oldest first. */
export async function openRejections(db: LocalQueryable): Promise<Rejection[]> {
  const { rows } = await db.query<RejectionRow>(
    `SELECT mutation_id::text AS mutation_id, table_name, op, name, key, changes, code, message, details,
            created_at, rejected_at
       FROM outbox.rejections WHERE dismissed_at IS NULL ORDER BY seq`,
  );
  return rows.map((r) => ({
    mutationId: r.mutation_id,
    table: r.table_name,
    op: r.op,
    name: r.name,
    key: r.key,
    values: r.changes,
    code: r.code,
    message: r.message,
    details: r.details,
    createdAt: r.created_at,
    rejectedAt: r.rejected_at,
  }));
}

export async function dismissRejection(db: LocalQueryable, mutationId: string): Promise<void> {
  await db.query(`UPDATE outbox.rejections SET dismissed_at = now() WHERE mutation_id = $1`, [mutationId]);
}

export interface OutboxCounts {
  readonly pending: number;
  readonly uploading: number;
  readonly acknowledged: number;
  readonly rejected: number;
}

export async function outboxCounts(db: LocalQueryable): Promise<OutboxCounts> {
  const { rows } = await db.query<OutboxCounts>(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'uploading')::int AS uploading,
            count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged,
            (SELECT count(*)::int FROM outbox.rejections WHERE dismissed_at IS NULL) AS rejected
       FROM outbox.mutations`,
  );
  return rows[0] ?? { pending: 0, uploading: 0, acknowledged: 0, rejected: 0 };
}

/**
 * sync-server/replication/types.ts: what the replication stream hands to the shape engine.
 *
 * The stream reads one logical replication slot (pgoutput) and delivers whole transactions, in
 * commit order, with every value as PostgreSQL's text output (formatted with the Electric session
 * settings: DateStyle ISO, TimeZone UTC, extra_float_digits 1, IntervalStyle iso_8601, bytea hex),
 * exactly what each type's output function prints in such a session (bool 't'/'f', char(n) padded),
 * the same strings the snapshot queries read as raw text. A transaction is acknowledged to PostgreSQL only
 * after the consumer's `onTransaction` has resolved, i.e. after the consumer has stored it durably.
 * After a crash, a transaction stored but not yet acknowledged is delivered again: consumers must
 * be idempotent by `commitLsn`.
 */

/** A text row: column name to PostgreSQL text output, or null for SQL NULL. */
export type TextRow = Record<string, string | null>;

export interface ReplicatedColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeMod: number;
  /** Part of the replica identity key (for REPLICA IDENTITY FULL: every column). */
  readonly isKey: boolean;
}

export interface ReplicatedRelation {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly replicaIdentity: 'default' | 'nothing' | 'full' | 'index';
  readonly columns: readonly ReplicatedColumn[];
}

export type ReplicatedChange =
  | { readonly op: 'insert'; readonly relation: ReplicatedRelation; readonly new: TextRow }
  /**
   * `old` is the full previous row under REPLICA IDENTITY FULL; otherwise only the key columns when the
   * key changed, else null. Unchanged TOAST values in `new` are filled from a full `old`; without one
   * they cannot be known and are absent from `new` (the column is missing, not null).
   */
  | {
      readonly op: 'update';
      readonly relation: ReplicatedRelation;
      readonly old: TextRow | null;
      readonly new: TextRow;
    }
  /** `old` is the full row under REPLICA IDENTITY FULL, else only the key columns. */
  | { readonly op: 'delete'; readonly relation: ReplicatedRelation; readonly old: TextRow }
  | { readonly op: 'truncate'; readonly relations: readonly ReplicatedRelation[] };

export interface ReplicatedTransaction {
  /** 32-bit transaction id from pgoutput's Begin (what Electric sends as `txids`). */
  readonly xid: number;
  /** Commit LSN as an unsigned 64-bit integer. */
  readonly commitLsn: bigint;
  readonly commitTime: Date;
  /** Changes in the order they happened. */
  readonly changes: readonly ReplicatedChange[];
  /**
   * Relations whose definition (columns, types, replica identity) differs from what an earlier
   * Relation message of this stream said: shapes on them must be invalidated.
   */
  readonly changedRelations: readonly ReplicatedRelation[];
}

export interface ReplicationConsumer {
  /** Store the transaction durably, then resolve. Rejecting stops the stream (nothing is acknowledged). */
  onTransaction(tx: ReplicatedTransaction): Promise<void>;
  /**
   * The server has nothing more up to `lsn` (keepalive while idle): every change at or before `lsn`
   * has been delivered. Lets the consumer advance its caught-up position without new transactions.
   */
  onCaughtUp(lsn: bigint): void;
}

/** LSN text (`16/B374D848` or `00000016/B374D848`) to bigint, and back. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) throw new Error(`invalid LSN: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

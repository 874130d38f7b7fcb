/**
 * sync-server/replication/transaction-assembler.ts: pgoutput messages in, whole transactions out.
 *
 *   Begin ─► (Relation | Type | Origin)* and Insert/Update/Delete/Truncate ─► Commit ⇒ AssembledTransaction
 *
 * Invariants:
 *   - A transaction is emitted only at its Commit, with its changes in stream order; protocol v1
 *     never interleaves transactions, so anything out of that order is a protocol error.
 *   - Values are PostgreSQL text (the plugin keeps them raw). An update's unchanged-TOAST values are
 *     filled from the old row when the relation has REPLICA IDENTITY FULL (the library does it while
 *     reading the tuple); without an old row they cannot be known and are left out of `new`.
 *   - A transaction whose commit LSN is at or below `skipThrough()` is dropped at its Begin without
 *     buffering anything: it was delivered already (PostgreSQL re-sends from confirmed_flush_lsn
 *     after a reconnect).
 *   - Memory: a transaction is held until its Commit. `maxTransactionBytes` bounds the wire size of
 *     one transaction; beyond it `push` throws `replication_transaction_too_large`.
 */
import type { Pgoutput } from 'pg-logical-replication';
import { ReplicationError } from './errors.ts';
import type { ReplicatedChange, ReplicatedRelation, TextRow } from './types.ts';
import { parseLsn } from './types.ts';

export interface AssembledTransaction {
  readonly xid: number;
  readonly commitLsn: bigint;
  /** End of the commit record: what is acknowledged once the consumer has stored the transaction. */
  readonly endLsn: bigint;
  readonly commitTime: Date;
  readonly changes: readonly ReplicatedChange[];
  /** Every Relation message received inside this transaction, in order. */
  readonly relations: readonly ReplicatedRelation[];
  /** Messages received for it (Begin, Relation, changes, Commit). */
  readonly messageCount: number;
  readonly bytes: number;
}

interface OpenTransaction {
  readonly xid: number;
  readonly commitLsn: bigint;
  readonly skipped: boolean;
  readonly changes: ReplicatedChange[];
  readonly relations: ReplicatedRelation[];
  messageCount: number;
  bytes: number;
}

export class TransactionAssembler {
  private open: OpenTransaction | null = null;
  /** Relation messages seen between transactions (pgoutput sends them inside, but be lenient). */
  private pendingRelations: ReplicatedRelation[] = [];
  private readonly relations = new WeakMap<Pgoutput.MessageRelation, ReplicatedRelation>();

  constructor(
    private readonly maxTransactionBytes: number,
    private readonly skipThrough: () => bigint,
  ) {}

  get inTransaction(): boolean {
    return this.open !== null;
  }

  /** Messages held for the transaction being received. */
  get bufferedMessages(): number {
    return this.open && !this.open.skipped ? this.open.messageCount : 0;
  }

  /** Forgets a partly received transaction (the connection ended; it will be sent again). */
  reset(): void {
    this.open = null;
    this.pendingRelations = [];
  }

  /** Takes one message; returns the transaction it completes, if any. */
  push(message: Pgoutput.Message, bytes: number): AssembledTransaction | null {
    switch (message.tag) {
      case 'begin':
        return this.begin(message, bytes);
      case 'commit':
        return this.commit(message, bytes);
      case 'relation': {
        const relation = this.relation(message);
        if (this.open) this.count(bytes).relations.push(relation);
        else this.pendingRelations.push(relation);
        return null;
      }
      case 'type':
      case 'origin':
      case 'message':
        if (this.open) this.count(bytes);
        return null;
      case 'insert':
        this.change(bytes, {
          op: 'insert',
          relation: this.relation(message.relation),
          new: textRow(message.new),
        });
        return null;
      case 'update':
        this.change(bytes, {
          op: 'update',
          relation: this.relation(message.relation),
          old: message.old ? textRow(message.old) : message.key ? textRow(message.key) : null,
          new: textRow(message.new),
        });
        return null;
      case 'delete': {
        const old = message.old ?? message.key;
        if (!old) throw protocolError('a Delete without old row or key');
        this.change(bytes, { op: 'delete', relation: this.relation(message.relation), old: textRow(old) });
        return null;
      }
      case 'truncate':
        this.change(bytes, {
          op: 'truncate',
          relations: message.relations.map((relation) => {
            if (!relation) throw protocolError('a Truncate of a relation that was never described');
            return this.relation(relation);
          }),
        });
        return null;
    }
  }

  private begin(message: Pgoutput.MessageBegin, bytes: number): null {
    if (this.open) throw protocolError('a Begin inside a transaction');
    if (message.commitLsn === null) throw protocolError('a Begin without final LSN');
    const commitLsn = parseLsn(message.commitLsn);
    const skipped = commitLsn <= this.skipThrough();
    this.open = {
      xid: message.xid >>> 0, // the library reads it as a signed int32
      commitLsn,
      skipped,
      changes: [],
      relations: skipped ? [] : this.pendingRelations,
      messageCount: 0,
      bytes: 0,
    };
    this.pendingRelations = [];
    this.count(bytes);
    return null;
  }

  private commit(message: Pgoutput.MessageCommit, bytes: number): AssembledTransaction | null {
    const open = this.open;
    if (!open) throw protocolError('a Commit outside a transaction');
    if (message.commitLsn === null || message.commitEndLsn === null)
      throw protocolError('a Commit without LSNs');
    if (parseLsn(message.commitLsn) !== open.commitLsn)
      throw protocolError('a Commit for another transaction');
    this.count(bytes);
    this.open = null;
    if (open.skipped) return null;
    return {
      xid: open.xid,
      commitLsn: open.commitLsn,
      endLsn: parseLsn(message.commitEndLsn),
      commitTime: new Date(Number((message.commitTime as bigint) / 1000n)),
      changes: open.changes,
      relations: open.relations,
      messageCount: open.messageCount,
      bytes: open.bytes,
    };
  }

  private change(bytes: number, change: ReplicatedChange): void {
    if (!this.open) throw protocolError(`a change (${change.op}) outside a transaction`);
    const open = this.count(bytes);
    if (!open.skipped) open.changes.push(change);
  }

  private count(bytes: number): OpenTransaction {
    const open = this.open!;
    open.messageCount += 1;
    open.bytes += bytes;
    if (!open.skipped && open.bytes > this.maxTransactionBytes) {
      throw new ReplicationError(
        'replication_transaction_too_large',
        `Transaction ${open.xid} (commit ${open.commitLsn}) is larger than maxTransactionBytes (${this.maxTransactionBytes} bytes); ` +
          `the stream stopped without acknowledging it. Raise maxTransactionBytes (and the Node heap) and restart.`,
        { xid: open.xid, commitLsn: open.commitLsn.toString(), limit: this.maxTransactionBytes },
      );
    }
    return open;
  }

  private relation(message: Pgoutput.MessageRelation): ReplicatedRelation {
    let relation = this.relations.get(message);
    if (!relation) {
      relation = Object.freeze({
        oid: message.relationOid,
        schema: message.schema,
        name: message.name,
        replicaIdentity: message.replicaIdentity,
        columns: Object.freeze(
          message.columns.map((column) =>
            Object.freeze({
              name: column.name,
              typeOid: column.typeOid,
              typeMod: column.typeMod,
              isKey: (column.flags & 1) === 1,
            }),
          ),
        ),
      });
      this.relations.set(message, relation);
    }
    return relation;
  }
}

/** Library tuple (values already raw text by our plugin) to a TextRow; `undefined` (unknown TOAST) is left out. */
function textRow(tuple: Record<string, unknown>): TextRow {
  // Null prototype: a column may be called `__proto__`.
  const row = Object.create(null) as TextRow;
  for (const [name, value] of Object.entries(tuple)) {
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') {
      throw protocolError(`a non-text value in column ${name} (binary mode is not used)`);
    }
    row[name] = value;
  }
  return row;
}

function protocolError(what: string): ReplicationError {
  return new ReplicationError('replication_protocol', `pgoutput stream out of order or malformed: ${what}.`);
}

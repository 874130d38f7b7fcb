/**
 * sync-server/replication/transaction-pipeline.ts: hands assembled transactions to the consumer,
 * one at a time and in commit order, and says when each one is stored.
 *
 *   enqueue(tx) ─► queue ─► in flight: consumer.onTransaction(tx) ─resolves─► onProcessed(tx) ─► next
 *                                                                 └rejects──► onFailed(error)
 *
 * Invariants:
 *   - At most one transaction is in flight; the next is handed over only after the previous one
 *     resolved, so the consumer sees commit order and acknowledgements follow it.
 *   - `deliveredThrough` is the highest commit LSN handed over (in flight or queued, or processed);
 *     the assembler drops re-sent transactions at or below it, so within one process a transaction
 *     reaches `onTransaction` once. After a rejection it falls back to the last processed one, so the
 *     rejected transaction is delivered again when the stream is started again.
 *   - `changedRelations` is computed at hand-over against the relation definitions of transactions
 *     the consumer has already stored, so a change is reported again if the transaction that first
 *     carried it was dropped (disconnect) or rejected.
 *   - The pipeline outlives connections: a transaction in flight when the connection drops stays in
 *     flight; queued ones are dropped with the connection (PostgreSQL re-sends them).
 */
import type { AssembledTransaction } from './transaction-assembler.ts';
import type { ReplicatedRelation, ReplicatedTransaction, ReplicationConsumer } from './types.ts';

export interface PipelineEvents {
  onProcessed(tx: AssembledTransaction): void;
  onFailed(error: unknown, tx: AssembledTransaction): void;
}

export class TransactionPipeline {
  private readonly queue: AssembledTransaction[] = [];
  private inFlight: AssembledTransaction | null = null;
  private queuedMessageCount = 0;
  private processedCommitLsn = 0n;
  /** Relation definitions as of the last transaction the consumer stored. */
  private readonly storedRelations = new Map<number, ReplicatedRelation>();

  constructor(
    private readonly consumer: ReplicationConsumer,
    private readonly events: PipelineEvents,
  ) {}

  /** A transaction is with the consumer, or waiting for it. */
  get busy(): boolean {
    return this.inFlight !== null || this.queue.length > 0;
  }

  /** Messages of transactions received and not yet handed over. */
  get queuedMessages(): number {
    return this.queuedMessageCount;
  }

  get deliveredThrough(): bigint {
    const last = this.queue.at(-1) ?? this.inFlight;
    return last && last.commitLsn > this.processedCommitLsn ? last.commitLsn : this.processedCommitLsn;
  }

  enqueue(tx: AssembledTransaction): void {
    this.queue.push(tx);
    this.queuedMessageCount += tx.messageCount;
    this.handOver();
  }

  /** Forgets transactions not yet handed over (their connection ended; they will be re-sent). */
  dropQueued(): void {
    this.queue.length = 0;
    this.queuedMessageCount = 0;
  }

  private handOver(): void {
    if (this.inFlight) return;
    const tx = this.queue.shift();
    if (!tx) return;
    this.queuedMessageCount -= tx.messageCount;
    this.inFlight = tx;
    void this.deliver(tx).then(
      () => {
        this.inFlight = null;
        if (tx.commitLsn > this.processedCommitLsn) this.processedCommitLsn = tx.commitLsn;
        for (const relation of tx.relations) this.storedRelations.set(relation.oid, relation);
        this.handOver(); // first, so that onProcessed sees the next one in flight
        this.events.onProcessed(tx);
      },
      (error: unknown) => {
        this.inFlight = null;
        this.dropQueued();
        this.events.onFailed(error, tx);
      },
    );
  }

  private deliver(tx: AssembledTransaction): Promise<void> {
    const replicated: ReplicatedTransaction = {
      xid: tx.xid,
      commitLsn: tx.commitLsn,
      commitTime: tx.commitTime,
      changes: tx.changes,
      changedRelations: this.changedRelations(tx),
    };
    try {
      return Promise.resolve(this.consumer.onTransaction(replicated));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private changedRelations(tx: AssembledTransaction): ReplicatedRelation[] {
    const earlierInTx = new Map<number, ReplicatedRelation>();
    const changed = new Map<number, ReplicatedRelation>();
    for (const relation of tx.relations) {
      const previous = earlierInTx.get(relation.oid) ?? this.storedRelations.get(relation.oid);
      if (previous && !sameDefinition(previous, relation)) changed.set(relation.oid, relation);
      earlierInTx.set(relation.oid, relation);
    }
    return [...changed.values()];
  }
}

/** Same table name, replica identity and columns (names, types, type modifiers, key flags, order). */
export function sameDefinition(a: ReplicatedRelation, b: ReplicatedRelation): boolean {
  return (
    a.schema === b.schema &&
    a.name === b.name &&
    a.replicaIdentity === b.replicaIdentity &&
    a.columns.length === b.columns.length &&
    a.columns.every((column, i) => {
      const other = b.columns[i];
      return (
        other !== undefined &&
        column.name === other.name &&
        column.typeOid === other.typeOid &&
        column.typeMod === other.typeMod &&
        column.isKey === other.isKey
      );
    })
  );
}

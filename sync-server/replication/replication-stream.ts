/**
 * sync-server/replication/replication-stream.ts: the replication stream that feeds the shape
 * engine. One slot, one publication, one consumer; whole transactions in commit order, values as
 * PostgreSQL text, acknowledged only once the consumer has stored them.
 *
 *   start(): ensure publication + slot ──► loop: read slot position ─► ReplicationConnection.run()
 *                                            ▲                              │ ends (walsender died,
 *                                            └── backoff (250 ms → 10 s) ◄──┘  server restart, ...)
 *   message ─► TransactionAssembler ─Commit─► TransactionPipeline ─► consumer.onTransaction(tx)
 *                                                                       │ resolves
 *        acknowledge(flush = tx end LSN) ◄── durable position ◄─────────┘
 *   keepalive while idle ─► consumer.onCaughtUp(server WAL end) ─► acknowledge it too
 *
 * Acknowledgement: the position sent to the server is max(slot's confirmed_flush_lsn when read,
 * durable position), where the durable position only moves when the consumer resolved a
 * transaction (to its commit end LSN) or, while nothing is in progress or with the consumer, to the
 * WAL end of a keepalive. So the slot never passes what the consumer stored, and an idle slot still
 * advances. The position is never below the slot's confirmed_flush_lsn (PostgreSQL 15 would move it
 * backwards).
 *
 * Delivery: within one process a transaction reaches onTransaction once (re-sent ones are dropped
 * by commit LSN). Across a crash, a transaction stored but not yet acknowledged is delivered again:
 * consumers must be idempotent by `commitLsn`.
 *
 * Backpressure: while a transaction is with the consumer and `maxBufferedMessages` messages are
 * buffered, the socket is not read (WireMeter); a transaction still being received while the
 * consumer is idle is read to its end, so one transaction can exceed that number: its size is
 * bounded by `maxTransactionBytes` instead, beyond which the stream fails with
 * `replication_transaction_too_large` rather than exhausting the heap.
 *
 * Heartbeat: every `heartbeatIntervalMs` the stream sends a status update (asking the server for
 * its position unless reading is paused), measures the lag, and drops a connection the server has
 * not answered for max(3 heartbeats, 10 s).
 */
import pg from 'pg';
import type { Pgoutput } from 'pg-logical-replication';
import { assertPlainIdentifier, replicationConnectionString } from './connection-options.ts';
import { describeError, isFatal, ReplicationError } from './errors.ts';
import { ReplicationConnection } from './replication-connection.ts';
import { currentWalLsn, ensurePublication, ensureSlot, slotConfirmedFlush } from './slot-setup.ts';
import {
  ReplicationStatusBoard,
  type LiveStatusFields,
  type ReplicationStatus,
  type ReplicationStatusListener,
} from './status.ts';
import { TransactionAssembler, type AssembledTransaction } from './transaction-assembler.ts';
import { TransactionPipeline } from './transaction-pipeline.ts';
import { formatLsn, type ReplicationConsumer } from './types.ts';

export interface ReplicationStreamOptions {
  /** postgres:// URL of the central database (a role with REPLICATION, or a superuser). */
  readonly connectionString: string;
  /** Permanent logical slot (created with pgoutput if missing). Lower-case identifier. */
  readonly slotName: string;
  /** Publication (created empty if missing). Lower-case identifier. */
  readonly publicationName: string;
  readonly consumer: ReplicationConsumer;
  /** Status updates, idle position requests and lag measurement. Default 10 000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** Stop reading while the consumer is busy and this many messages are buffered. Default 10 000. */
  readonly maxBufferedMessages?: number;
  /** Largest transaction, in pgoutput bytes, the stream will hold. Default 256 MiB. */
  readonly maxTransactionBytes?: number;
  /** Delay before reconnecting: `initial`, doubling up to `max`. Default 250 ms to 10 s. */
  readonly reconnectDelayMs?: { readonly initial: number; readonly max: number };
}

const DEFAULTS = {
  heartbeatIntervalMs: 10_000,
  maxBufferedMessages: 10_000,
  maxTransactionBytes: 256 * 1024 * 1024,
  reconnectDelayMs: { initial: 250, max: 10_000 },
} as const;

export class ReplicationStream {
  private readonly heartbeatIntervalMs: number;
  private readonly maxBufferedMessages: number;
  private readonly reconnectDelayMs: { readonly initial: number; readonly max: number };
  private readonly board = new ReplicationStatusBoard(() => this.liveStatus());
  private readonly assembler: TransactionAssembler;
  private readonly pipeline: TransactionPipeline;

  private running = false;
  private starting: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private pool: pg.Pool | null = null;
  private connection: ReplicationConnection | null = null;
  private loop: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private wakeUp: (() => void) | null = null;
  private measuringLag = false;

  /** The slot's confirmed_flush_lsn when last read: acknowledgements never go below it. */
  private slotFloor = 0n;
  /** Everything up to here is stored by the consumer (a transaction's end, or an idle WAL end). */
  private durableLsn = 0n;
  private caughtUpLsn = -1n;
  private lastReceivedLsn: bigint | null = null;
  private peakBufferedMessages = 0;

  constructor(private readonly options: ReplicationStreamOptions) {
    assertPlainIdentifier('slot', options.slotName);
    assertPlainIdentifier('publication', options.publicationName);
    replicationConnectionString(options.connectionString); // validates early
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs;
    this.maxBufferedMessages = options.maxBufferedMessages ?? DEFAULTS.maxBufferedMessages;
    this.reconnectDelayMs = options.reconnectDelayMs ?? DEFAULTS.reconnectDelayMs;
    this.assembler = new TransactionAssembler(
      options.maxTransactionBytes ?? DEFAULTS.maxTransactionBytes,
      () => this.pipeline.deliveredThrough,
    );
    this.pipeline = new TransactionPipeline(options.consumer, {
      onProcessed: (tx) => this.onProcessed(tx),
      onFailed: (error, tx) => this.onConsumerFailed(error, tx),
    });
  }

  get status(): ReplicationStatus {
    return this.board.status;
  }

  onDidChangeStatus(listener: ReplicationStatusListener): () => void {
    return this.board.subscribe(listener);
  }

  /**
   * Ensures the publication and the slot, then streams in the background (reconnecting as needed).
   * Rejects if the setup fails; later failures show in `status`.
   */
  start(): Promise<void> {
    this.starting ??= this.startUp().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Stops streaming. Does not wait for a transaction the consumer is still storing. */
  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.shutDown(null);
    this.board.update({ state: 'stopped' });
  }

  private async startUp(): Promise<void> {
    await this.stopping;
    if (this.running) return;
    this.running = true;
    this.board.update({ state: 'starting', error: null });
    const pool = new pg.Pool({
      connectionString: this.options.connectionString,
      max: 1,
      idleTimeoutMillis: 0,
      application_name: 'outpost-sync-replication-admin',
    });
    pool.on('error', () => undefined); // an idle connection died: the next query opens another
    this.pool = pool;
    try {
      await ensurePublication(pool, this.options.publicationName);
      this.raiseSlotFloor(await ensureSlot(pool, this.options.slotName));
    } catch (error) {
      this.running = false;
      this.pool = null;
      await pool.end().catch(() => undefined);
      this.board.update({ state: 'failed', error: describeError(error) });
      throw error;
    }
    this.heartbeat = setInterval(() => this.onHeartbeat(), this.heartbeatIntervalMs);
    this.heartbeat.unref();
    this.loop = this.connectLoop();
  }

  private async connectLoop(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      let streamed = false;
      this.board.update({ state: 'connecting' });
      try {
        this.raiseSlotFloor(await slotConfirmedFlush(this.pool!, this.options.slotName));
        const connection = new ReplicationConnection(
          {
            connectionString: replicationConnectionString(this.options.connectionString),
            slotName: this.options.slotName,
            publicationName: this.options.publicationName,
            startLsn: this.ackPosition(),
            shouldPause: () => this.pipeline.busy && this.bufferedMessages() >= this.maxBufferedMessages,
          },
          {
            onStreaming: () => {
              streamed = true;
              this.onStreaming();
            },
            onMessage: (lsn, message, bytes) => this.onMessage(lsn, message, bytes),
            onKeepalive: (walEnd, replyRequested) => this.onKeepalive(walEnd, replyRequested),
          },
        );
        this.connection = connection;
        if (this.running) await connection.run();
      } catch (error) {
        if (this.running && isFatal(error)) this.fail(error);
        else if (this.running) this.board.update({ error: describeError(error) });
      } finally {
        this.connection = null;
        this.assembler.reset();
        this.pipeline.dropQueued();
        this.board.update({ connected: false });
      }
      if (!this.running) break;
      if (streamed) attempt = 0;
      this.board.update({ state: 'reconnecting', reconnects: this.board.status.reconnects + 1 });
      await this.sleep(Math.min(this.reconnectDelayMs.max, this.reconnectDelayMs.initial * 2 ** attempt));
      attempt += 1;
    }
  }

  private onStreaming(): void {
    this.board.update({ state: 'streaming', connected: true });
    // Tell the slot what was stored while disconnected, and ask for a keepalive at once: its position
    // (the walsender's sent position) lets the consumer report a caught-up LSN within milliseconds.
    this.acknowledge(true);
  }

  private onMessage(lsn: bigint, message: Pgoutput.Message, bytes: number): void {
    this.noteReceived(lsn);
    const tx = this.assembler.push(message, bytes);
    if (tx) this.pipeline.enqueue(tx);
    const buffered = this.bufferedMessages();
    if (buffered > this.peakBufferedMessages) this.peakBufferedMessages = buffered;
  }

  private onKeepalive(walEnd: bigint, replyRequested: boolean): void {
    this.noteReceived(walEnd);
    const idle = !this.assembler.inTransaction && !this.pipeline.busy;
    if (idle && walEnd > this.caughtUpLsn) {
      this.caughtUpLsn = walEnd;
      try {
        this.options.consumer.onCaughtUp(walEnd);
      } catch (error) {
        throw new ReplicationError(
          'replication_consumer_failed',
          `The consumer's onCaughtUp(${formatLsn(walEnd)}) threw; the stream stopped.`,
          { lsn: formatLsn(walEnd) },
          { cause: error },
        );
      }
      if (walEnd > this.durableLsn) this.durableLsn = walEnd;
      this.acknowledge(false);
    } else if (replyRequested) {
      this.acknowledge(false);
    }
  }

  private onProcessed(tx: AssembledTransaction): void {
    if (tx.endLsn > this.durableLsn) this.durableLsn = tx.endLsn;
    this.acknowledge(false);
    this.connection?.resumeReading();
  }

  private onConsumerFailed(error: unknown, tx: AssembledTransaction): void {
    this.fail(
      new ReplicationError(
        'replication_consumer_failed',
        `The consumer rejected transaction ${tx.xid} (commit ${formatLsn(tx.commitLsn)}); it was not acknowledged ` +
          `and the stream stopped. Start the stream again to retry it.`,
        { xid: tx.xid, commitLsn: formatLsn(tx.commitLsn) },
        { cause: error },
      ),
    );
  }

  private onHeartbeat(): void {
    const connection = this.connection;
    if (connection?.isStreaming) {
      const silentMs = Date.now() - connection.lastActivityAt;
      if (!connection.isPaused && silentMs > Math.max(3 * this.heartbeatIntervalMs, 10_000)) {
        connection.abort(new Error(`The walsender has not answered for ${silentMs} ms; reconnecting.`));
      } else {
        this.acknowledge(!connection.isPaused);
      }
    }
    void this.measureLag();
  }

  private acknowledge(replyRequested: boolean): void {
    const position = this.ackPosition();
    if (position === 0n) return;
    if (this.connection?.sendStatus(position, replyRequested)) {
      this.board.update({ lastAcknowledgedLsn: position });
    }
  }

  private ackPosition(): bigint {
    return this.durableLsn > this.slotFloor ? this.durableLsn : this.slotFloor;
  }

  private raiseSlotFloor(confirmedFlush: bigint): void {
    if (confirmedFlush > this.slotFloor) this.slotFloor = confirmedFlush;
  }

  private async measureLag(): Promise<void> {
    const pool = this.pool;
    if (!pool || this.measuringLag) return;
    this.measuringLag = true;
    try {
      const current = await currentWalLsn(pool);
      const acknowledged = this.board.status.lastAcknowledgedLsn ?? this.slotFloor;
      this.board.update({ lagBytes: current > acknowledged ? current - acknowledged : 0n });
    } catch {
      // The server is unreachable: the connection loop reports that; keep the last measurement.
    } finally {
      this.measuringLag = false;
    }
  }

  private noteReceived(lsn: bigint): void {
    if (this.lastReceivedLsn === null || lsn > this.lastReceivedLsn) this.lastReceivedLsn = lsn;
  }

  private bufferedMessages(): number {
    return this.assembler.bufferedMessages + this.pipeline.queuedMessages;
  }

  private liveStatus(): LiveStatusFields {
    return {
      lastReceivedLsn: this.lastReceivedLsn,
      bufferedMessages: this.bufferedMessages(),
      peakBufferedMessages: this.peakBufferedMessages,
    };
  }

  /** A fatal error: stop, and say why in the status. */
  private fail(error: unknown): void {
    this.board.update({ state: 'failed', error: describeError(error) });
    void this.shutDown(error);
  }

  private shutDown(error: unknown): Promise<void> {
    if (this.stopping) return this.stopping;
    if (!this.running && !this.loop) return Promise.resolve();
    this.running = false;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.wakeUp?.();
    this.stopping = (async () => {
      await this.connection?.stop();
      await this.loop;
      await this.pool?.end().catch(() => undefined);
      this.pool = null;
      this.loop = null;
      this.board.update({ connected: false, ...(error === null ? {} : { state: 'failed' as const }) });
    })().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}

/**
 * sync-server/replication/status.ts: what a health check can read about the replication stream.
 *
 * `ReplicationStatusBoard` holds the current `ReplicationStatus` and tells subscribers when it
 * changed (`onDidChangeStatus`, which returns its dispose function). The last received LSN moves
 * with every message and is read on demand; it alone does not notify. A listener that throws is
 * ignored, never allowed to break the stream.
 */

export type ReplicationState =
  /** Not started, or stopped. */
  | 'stopped'
  /** Ensuring the publication and the slot. */
  | 'starting'
  /** Opening a walsender connection. */
  | 'connecting'
  | 'streaming'
  /** The connection ended; waiting before the next attempt. */
  | 'reconnecting'
  /** A fatal error (see `error`): the stream stopped and will not retry. */
  | 'failed';

export interface ReplicationStatus {
  readonly state: ReplicationState;
  /** A walsender connection is streaming. */
  readonly connected: boolean;
  /** Highest LSN seen in a message or keepalive from the server. */
  readonly lastReceivedLsn: bigint | null;
  /** Highest position acknowledged to the server (the slot's confirmed_flush_lsn follows it). */
  readonly lastAcknowledgedLsn: bigint | null;
  /** `pg_current_wal_lsn() - lastAcknowledgedLsn`, measured at each heartbeat; null until measured. */
  readonly lagBytes: bigint | null;
  /** Messages received and not yet handed to the consumer. */
  readonly bufferedMessages: number;
  /** The most `bufferedMessages` has ever been (for tests and capacity planning). */
  readonly peakBufferedMessages: number;
  /** Walsender connections lost and re-opened. */
  readonly reconnects: number;
  /** The last error: fatal when `state` is 'failed', otherwise the cause of the last reconnect. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

export type ReplicationStatusListener = (status: ReplicationStatus) => void;

/** Fields that move with every message: read on demand, never announced by themselves. */
export type LiveStatusFields = Pick<
  ReplicationStatus,
  'lastReceivedLsn' | 'bufferedMessages' | 'peakBufferedMessages'
>;

/** Fields whose change is announced to listeners. */
export type AnnouncedStatusFields = Omit<ReplicationStatus, keyof LiveStatusFields>;

const INITIAL: AnnouncedStatusFields = {
  state: 'stopped',
  connected: false,
  lastAcknowledgedLsn: null,
  lagBytes: null,
  reconnects: 0,
  error: null,
};

export class ReplicationStatusBoard {
  private announced: AnnouncedStatusFields = INITIAL;
  private readonly listeners = new Set<ReplicationStatusListener>();

  constructor(private readonly live: () => LiveStatusFields) {}

  get status(): ReplicationStatus {
    return Object.freeze({ ...this.announced, ...this.live() });
  }

  get state(): ReplicationStatus['state'] {
    return this.announced.state;
  }

  update(change: Partial<AnnouncedStatusFields>): void {
    const next = { ...this.announced, ...change };
    const keys = Object.keys(next) as (keyof AnnouncedStatusFields)[];
    if (keys.every((key) => next[key] === this.announced[key])) return;
    this.announced = next;
    const status = this.status;
    for (const listener of [...this.listeners]) {
      try {
        listener(status);
      } catch {
        // A health listener must not break replication.
      }
    }
  }

  subscribe(listener: ReplicationStatusListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

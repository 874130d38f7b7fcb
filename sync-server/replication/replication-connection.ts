/**
 * sync-server/replication/replication-connection.ts: one walsender connection, from
 * START_REPLICATION until it ends, on pg-logical-replication's LogicalReplicationService.
 *
 *   new LogicalReplicationService(replication connection with Electric display options,
 *                                 acknowledge: { auto: false, timeoutSeconds: 0 })
 *   subscribe(TextPgoutputPlugin, slot, startLsn)
 *     plugin.start(client) ─► we take client.connection: its socket goes behind a WireMeter
 *                             (backpressure), and status updates are written on it directly
 *     'start'     ─► onStreaming()
 *     'data'      ─► onMessage(lsn, pgoutput message, payload bytes)
 *     'heartbeat' ─► onKeepalive(server WAL end, reply requested)
 *   subscribe() settles when the connection ends ─► run() settles
 *
 * Invariants: the library never acknowledges on its own (auto off, no timer), so the only
 * acknowledgements are `sendStatus()` calls made by the stream. A handler that throws aborts the
 * connection (nothing after it is parsed) and `run()` rejects with that error. `run()` resolves only
 * when `close()` was called; any other end rejects, with the server's error when there is one.
 *
 * pg internals used (checked at attach time, failing with `replication_protocol` if they change):
 * `client.connection.stream` (the socket, typed by @types/pg) and
 * `client.connection.sendCopyFromChunk()` (what the library's own acknowledge() uses).
 */
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { LogicalReplicationService, type Pgoutput } from 'pg-logical-replication';
import { ReplicationError } from './errors.ts';
import { encodeStandbyStatusUpdate } from './standby-status.ts';
import { TextPgoutputPlugin } from './text-pgoutput-plugin.ts';
import { formatLsn, parseLsn } from './types.ts';
import { WireMeter } from './wire-meter.ts';

export interface ReplicationConnectionOptions {
  /** Connection string of the replication connection, display options included. */
  readonly connectionString: string;
  readonly slotName: string;
  readonly publicationName: string;
  /** START_REPLICATION position; PostgreSQL starts from the slot's confirmed_flush_lsn if that is later. */
  readonly startLsn: bigint;
  /** Asked before each wire message: stop reading the socket for now? */
  readonly shouldPause: () => boolean;
}

export interface ReplicationConnectionHandlers {
  onStreaming(): void;
  onMessage(lsn: bigint, message: Pgoutput.Message, bytes: number): void;
  onKeepalive(walEnd: bigint, replyRequested: boolean): void;
}

interface WireConnection {
  readonly stream: Duplex;
  sendCopyFromChunk(chunk: Buffer): void;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

const CLOSE_GRACE_MS = 2_000;

export class ReplicationConnection {
  private service: LogicalReplicationService | null = null;
  private wire: WireConnection | null = null;
  private meter: WireMeter | null = null;
  private streaming = false;
  private closing: Promise<void> | null = null;
  private abortCause: { readonly error: unknown } | null = null;
  private closedByCaller = false;
  /** When the server was last heard from (or reading resumed after a pause). */
  lastActivityAt = Date.now();

  constructor(
    private readonly options: ReplicationConnectionOptions,
    private readonly handlers: ReplicationConnectionHandlers,
  ) {}

  get isStreaming(): boolean {
    return this.streaming && this.closing === null;
  }

  /** Reading is paused for backpressure. */
  get isPaused(): boolean {
    return this.meter?.isPaused ?? false;
  }

  async run(): Promise<void> {
    const { slotName, publicationName, startLsn } = this.options;
    const plugin = new TextPgoutputPlugin(publicationName, (client) => this.attach(client));
    const service = new LogicalReplicationService(
      {
        connectionString: this.options.connectionString,
        application_name: 'outpost-sync-replication',
        keepAlive: true, // TCP keepalive: notices a vanished server even while we are not reading
      },
      { acknowledge: { auto: false, timeoutSeconds: 0 } },
    );
    this.service = service;
    let connectionError: unknown = null;
    service.on('error', (error: unknown) => {
      connectionError ??= error;
    });
    service.on('start', () =>
      this.guard(() => {
        this.streaming = true;
        this.handlers.onStreaming();
      }),
    );
    service.on('data', (lsn: string, message: Pgoutput.Message) =>
      this.guard(() => this.handlers.onMessage(parseLsn(lsn), message, plugin.lastMessageBytes)),
    );
    service.on('heartbeat', (lsn: string, _timestamp: number, shouldRespond: boolean) =>
      this.guard(() => this.handlers.onKeepalive(parseLsn(lsn), shouldRespond)),
    );

    let failure: unknown = null;
    try {
      if (this.closing === null) await service.subscribe(plugin, slotName, formatLsn(startLsn));
    } catch (error) {
      failure = error;
    } finally {
      await this.close();
    }
    if (this.abortCause) throw this.abortCause.error;
    if (this.closedByCaller) return;
    const cause: unknown = failure ?? connectionError;
    if (cause instanceof Error) throw cause;
    throw new Error(
      `The walsender ended the replication stream${cause === null ? '' : `: ${JSON.stringify(cause)}`}.`,
    );
  }

  /** Sends a standby status update; false when there is no streaming connection to send it on. */
  sendStatus(position: bigint, replyRequested: boolean): boolean {
    if (!this.isStreaming || !this.wire) return false;
    this.wire.sendCopyFromChunk(encodeStandbyStatusUpdate(position, replyRequested));
    return true;
  }

  /** The consumer made progress: read on if `shouldPause()` allows it. */
  resumeReading(): void {
    const meter = this.meter;
    if (!meter || this.closing) return;
    const wasPaused = meter.isPaused;
    meter.resume();
    if (wasPaused) this.lastActivityAt = Date.now();
  }

  /** Ends the connection because of `error`: `run()` rejects with it. */
  abort(error: unknown): void {
    this.abortCause ??= { error };
    void this.close();
  }

  /** Ends the connection; `run()` then resolves. */
  stop(): Promise<void> {
    if (!this.abortCause) this.closedByCaller = true;
    return this.close();
  }

  private close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.streaming = false;
    this.meter?.dispose();
    const stopped = this.service?.stop().then(
      () => undefined,
      () => undefined,
    );
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([stopped, grace]);
    clearTimeout(timer);
    // The library removed pg's listeners; a late socket error must not become an uncaught 'error'.
    this.wire?.on('error', () => undefined);
    this.wire?.stream.on('error', () => undefined);
    this.wire?.stream.destroy();
  }

  private attach(client: pg.Client): void {
    const connection = client.connection as unknown as Partial<WireConnection> | undefined;
    if (
      !connection?.stream ||
      typeof connection.sendCopyFromChunk !== 'function' ||
      typeof connection.on !== 'function'
    ) {
      throw new ReplicationError(
        'replication_protocol',
        'pg changed its internals: client.connection.stream / sendCopyFromChunk are missing.',
      );
    }
    this.wire = connection as WireConnection;
    this.meter = new WireMeter(
      connection.stream,
      () => this.options.shouldPause(),
      (error) => this.abort(error),
    );
  }

  private guard(handle: () => void): void {
    if (this.closing) return;
    this.lastActivityAt = Date.now();
    try {
      handle();
    } catch (error) {
      this.abort(error);
    }
  }
}

/**
 * sync-server/replication/wire-meter.ts: backpressure for a pg connection, one backend message at
 * a time.
 *
 *   socket ──data(chunk ≤ 64 KiB)──► WireMeter ──one message──► pg-protocol parser ──► copyData
 *                                        │  at each message boundary: shouldPause()?
 *                                        └─ yes: keep the rest of the chunk, socket.pause()
 *
 * Pausing the socket alone (what the library's `flowControl` does) does not bound what we hold: one
 * socket read can carry hundreds of small pgoutput messages, all parsed and queued synchronously
 * before a pause takes effect, and the kernel has buffered more by the time we resume. So the meter
 * takes the place of the parser's `data` listener and feeds it exactly one wire message at a time
 * (zero-copy subarrays; a message split across reads is fed in parts, the parser joins them). The
 * parser calls back synchronously, so after each message the caller's counters are current and
 * `shouldPause()` is exact. While paused the socket is not read: the kernel buffers fill, TCP closes
 * the window, and the walsender blocks (it keeps reading our status updates meanwhile, so
 * wal_sender_timeout does not fire). What stays in memory while paused: the unread rest of one
 * socket read (at most 64 KiB), never parsed messages.
 *
 * Errors: an exception thrown while a message is handled (by pg, the library or the plugin) is
 * caught here, where it would otherwise escape from the socket's data event and crash the process;
 * the meter stops feeding and reports it.
 *
 * Invariant: messages reach the parser in order, and only at boundaries is the decision to pause
 * taken, so a message is never half-delivered. Once disposed (the connection is closing) nothing
 * more reaches the parser.
 */
import type { Duplex } from 'node:stream';

type DataListener = (chunk: Buffer) => void;

const HEADER_BYTES = 5; // type byte + int32 length (the length counts itself, not the type byte)

export class WireMeter {
  private readonly forward: DataListener[];
  private readonly backlog: Buffer[] = [];
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  /** Bytes of the current message not yet fed (0 at a boundary, or while its header is incomplete). */
  private remaining = 0;
  private paused = false;
  private feeding = false;
  private disposed = false;
  private readonly onData = (chunk: Buffer): void => {
    if (this.disposed) return; // the connection is closing: nothing more is parsed
    this.backlog.push(chunk);
    this.drain();
  };

  /** Takes over the stream's current `data` listeners (pg-protocol's parser) until `dispose()`. */
  constructor(
    private readonly stream: Duplex,
    private readonly shouldPause: () => boolean,
    /** Something downstream threw while handling a message: metering stops, the caller closes. */
    private readonly onError: (error: unknown) => void,
  ) {
    this.forward = stream.listeners('data') as DataListener[];
    if (this.forward.length === 0) throw new Error('WireMeter: the stream has no data listener to meter');
    // Swap synchronously: a flowing stream with no data listener would drop data.
    for (const listener of this.forward) stream.removeListener('data', listener);
    stream.on('data', this.onData);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Bytes read from the socket and not yet given to the parser. */
  get backlogBytes(): number {
    return this.backlog.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** Call when `shouldPause()` may have become false: feeds what is held, then reads on. */
  resume(): void {
    if (this.disposed || this.feeding) return;
    this.drain();
  }

  /**
   * For closing the connection: from now on nothing reaches the parser (what is held is dropped),
   * and the socket flows again so that its end and close events can happen.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backlog.length = 0;
    if (this.paused) {
      this.paused = false;
      this.stream.resume();
    }
  }

  private drain(): void {
    if (this.feeding) return;
    this.feeding = true;
    try {
      while (!this.disposed && this.backlog.length > 0) {
        const chunk = this.backlog[0]!;
        const used = this.feedUntilPause(chunk);
        if (this.disposed) return;
        if (used < chunk.length) {
          this.backlog[0] = chunk.subarray(used);
          if (!this.paused) {
            this.paused = true;
            this.stream.pause();
          }
          return;
        }
        this.backlog.shift();
      }
      if (this.paused && !this.disposed) {
        this.paused = false;
        this.stream.resume();
      }
    } finally {
      this.feeding = false;
    }
  }

  /** Feeds whole messages from `chunk` until the caller wants a pause; returns the bytes consumed. */
  private feedUntilPause(chunk: Buffer): number {
    let offset = 0;
    while (offset < chunk.length && !this.disposed) {
      const atBoundary = this.remaining === 0 && this.headerFill === 0;
      if (atBoundary && this.shouldPause()) return offset;
      if (this.remaining === 0) {
        // Reading a header, possibly split across socket reads.
        const fedBefore = this.headerFill;
        const take = Math.min(HEADER_BYTES - fedBefore, chunk.length - offset);
        chunk.copy(this.header, fedBefore, offset, offset + take);
        this.headerFill += take;
        if (this.headerFill < HEADER_BYTES) {
          this.forwardAll(chunk.subarray(offset, offset + take));
          return chunk.length;
        }
        // Whole message = 1 + length; `fedBefore` bytes of it went to the parser already.
        this.remaining = 1 + this.header.readUInt32BE(1) - fedBefore;
        this.headerFill = 0;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      this.remaining -= take;
      this.forwardAll(chunk.subarray(offset, offset + take));
      offset += take;
    }
    return offset;
  }

  private forwardAll(bytes: Buffer): void {
    try {
      for (const listener of this.forward) listener.call(this.stream, bytes);
    } catch (error) {
      // Thrown through the parser's callback: the parser's state is unknown, so nothing more may
      // reach it. Not rethrown: it would surface as an uncaught exception from the socket.
      this.dispose();
      this.onError(error);
    }
  }
}

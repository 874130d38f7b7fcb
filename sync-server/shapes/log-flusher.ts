/**
 * sync-server/shapes/log-flusher.ts: makes appended log entries durable: the shapes whose logs grew
 * since the last flush are fsynced together, and the LSN every shape log durably holds advances.
 *
 * Guarantees: `flush` resolves only after every entry appended before the call is durable (a flush
 * already running may have started before them, so it waits for it and flushes again), and only then
 * moves `durableLsn` to the LSN processed when it started: the replication stream may acknowledge up
 * to `durableLsn`. A retired shape's log is closed only after a flush that may be fsyncing it ends.
 */
import type { Shape } from './shape.ts';

export class LogFlusher {
  private readonly dirty = new Set<Shape>();
  private flushing: Promise<void> | null = null;
  private durable = 0n;
  private timer: NodeJS.Timeout | null = null;

  /** `processedLsn`: every transaction up to it has been appended to every shape it concerns. */
  constructor(private readonly processedLsn: () => bigint) {}

  /** Everything up to this LSN is durably in every shape log: safe to acknowledge. */
  get durableLsn(): bigint {
    return this.durable;
  }

  /** The shape's log has entries not yet flushed. */
  touched(shape: Shape): void {
    this.dirty.add(shape);
  }

  /** A retired shape: its log is no longer flushed. */
  forget(shape: Shape): void {
    this.dirty.delete(shape);
  }

  /** Also flushes every `intervalMs` (the timer does not keep the process alive). */
  startTimer(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    const target = this.processedLsn();
    const shapes = [...this.dirty];
    this.dirty.clear();
    this.flushing = Promise.all(
      shapes.filter((shape) => !shape.invalidated).map((shape) => shape.log.flush()),
    )
      .then(() => {
        if (target > this.durable) this.durable = target;
      })
      .finally(() => (this.flushing = null));
    await this.flushing;
  }

  /** Closes a retired shape's log once a flush that may be fsyncing it has finished. */
  closeLog(shape: Shape): void {
    const inFlight = this.flushing;
    if (!inFlight) shape.log.close();
    else
      void inFlight.then(
        () => shape.log.close(),
        () => shape.log.close(),
      );
  }
}

/**
 * core/sync/network-gate.ts: one place that knows whether the sync server can be reached, so that while
 * it cannot, a hundred shape streams and their client's own retries wait quietly instead of each
 * trying on its own (before it: 2,082 failed requests a minute while offline in Chromium).
 *
 *   gate.fetch(input, init)  passes through while up; a failure without an HTTP answer marks the gate
 *                            down; while down, requests wait (abortable through their signal) and go
 *                            out together once a probe gets an answer
 *   probes (while down)      `probe()` after a delay: baseMs, doubling, ±20 % jitter, capped at maxMs
 *   nudge()                  probe now with the delay reset (the browser's `online` event, a retry)
 *   markDown()               down at once (the browser's `offline` event), without waiting for a failure
 *   onChange(down)           for the status bar
 *   network events           the runtime's `offline` event calls markDown(), `online` nudge() (a
 *                            window and a worker get both; Node has neither), until stop()
 *
 * Guarantees: while down, the only requests are the probes, one at a time (at most 10 a minute with
 * the defaults: 0.25, 0.5, 1, 2, 4, 8, 16, 30 s); any HTTP answer, to a probe or a request, means up and
 * releases every waiting request at once; an aborted request is never counted as a network failure;
 * after stop() no probe is scheduled.
 */

export interface NetworkGateOptions {
  readonly fetch: typeof fetch;
  /** A cheap request to the server; resolves true if an HTTP answer came back. */
  readonly probe: () => Promise<boolean>;
  readonly onChange: (down: boolean) => void;
  readonly baseMs?: number;
  readonly maxMs?: number;
  readonly random?: () => number;
  /** Where `online` / `offline` events come from; default the global scope; null: none. */
  readonly networkEvents?: NetworkEvents | null;
}

/** The part of a window or worker scope the gate listens to. */
export interface NetworkEvents {
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

function globalNetworkEvents(): NetworkEvents | null {
  const scope = globalThis as Partial<NetworkEvents>;
  return typeof scope.addEventListener === 'function' && typeof scope.removeEventListener === 'function'
    ? (scope as NetworkEvents)
    : null;
}

function isAbort(init: RequestInit | undefined, error: unknown): boolean {
  return init?.signal?.aborted === true || (error as { name?: unknown }).name === 'AbortError';
}

export class NetworkGate {
  private down = false;
  private stopped = false;
  private attempt = 0;
  private probing = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly waiters = new Set<() => void>();
  private readonly events: NetworkEvents | null;
  private readonly onOffline = () => this.markDown();
  private readonly onOnline = () => this.nudge();

  constructor(private readonly options: NetworkGateOptions) {
    this.events = options.networkEvents === undefined ? globalNetworkEvents() : options.networkEvents;
    this.events?.addEventListener('offline', this.onOffline);
    this.events?.addEventListener('online', this.onOnline);
  }

  get isDown(): boolean {
    return this.down;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    while (this.down) await this.waitForNetwork(init?.signal ?? undefined);
    try {
      // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of another object.
      const send = this.options.fetch;
      const response = await send(input, init);
      this.up();
      return response;
    } catch (error) {
      if (!isAbort(init, error)) this.markDown();
      throw error;
    }
  };

  markDown(): void {
    if (this.down || this.stopped) return;
    this.down = true;
    this.attempt = 0;
    this.options.onChange(true);
    this.schedule();
  }

  nudge(): void {
    if (!this.down || this.stopped) return;
    this.attempt = 0;
    this.clearTimer();
    void this.runProbe();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.events?.removeEventListener('offline', this.onOffline);
    this.events?.removeEventListener('online', this.onOnline);
  }

  private up(): void {
    if (!this.down) return;
    this.down = false;
    this.clearTimer();
    this.options.onChange(false);
    for (const release of this.waiters) release();
    this.waiters.clear();
  }

  private schedule(): void {
    if (this.stopped) return;
    const base = this.options.baseMs ?? 250;
    const capped = Math.min(base * 2 ** this.attempt, this.options.maxMs ?? 30_000);
    const jitter = 1 + ((this.options.random ?? Math.random)() - 0.5) * 0.4;
    this.attempt++;
    this.clearTimer();
    this.timer = setTimeout(() => void this.runProbe(), Math.round(capped * jitter));
  }

  private async runProbe(): Promise<void> {
    if (this.probing || !this.down || this.stopped) return;
    this.probing = true;
    const reached = await this.options.probe().then(
      (answered) => answered,
      () => false,
    );
    this.probing = false;
    if (reached) this.up();
    else if (this.down) this.schedule();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private waitForNetwork(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const abort = () => {
        this.waiters.delete(release);
        const reason: unknown = signal?.reason;
        reject(reason instanceof Error ? reason : new DOMException('The request was aborted.', 'AbortError'));
      };
      const release = () => {
        signal?.removeEventListener('abort', abort);
        resolve();
      };
      if (signal?.aborted) return abort();
      this.waiters.add(release);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }
}

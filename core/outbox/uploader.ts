/**
 * core/outbox/uploader.ts: keeps the outbox flowing to the sync server's write API while a session
 * is active: `POST /v1/mutations` with the current bearer token, batch after batch, in outbox order.
 *
 *            kick() / poll ──► idle ──► uploading ──(batch sent, more pending)──► uploading
 *                                ▲          │
 *                                │          ├─(nothing pending / no session)──► idle
 *                                │          └─(offline, 5xx, 429, 401 without refresh)──► waiting
 *                                └──────────── waiting ◄──(backoff elapsed, or retryNow())
 *
 * Guarantees: at most one batch is in flight (the server must see mutations in order); each step is
 * `uploadOnce` (upload.ts), so the outbox changes only on the server's word about a mutation and a
 * crash at any point leaves every accepted write pending or applied exactly once (replays are answered
 * from the server's idempotency table). A 401 triggers one token refresh and a resend; a refused
 * refresh leaves everything pending for after the next sign-in. Transient failures wait with
 * exponential backoff and jitter (retryDelayMs): new local writes do not cut that wait (a burst of
 * offline writes must not become a burst of failing requests); retryNow() (the user, a reconnect, a
 * new session) does.
 */
import { accountKey, type SessionManager } from '../session/session-manager.ts';
import {
  retryDelayMs,
  uploadOnce,
  type LocalTransactional,
  type SendMutations,
  type UploadReport,
} from './upload.ts';

export type UploaderState = 'idle' | 'uploading' | 'waiting' | 'stopped';

export interface UploaderOptions {
  readonly db: LocalTransactional;
  readonly sessions: SessionManager;
  /** The account this outbox belongs to: nothing is sent while another account is signed in. */
  readonly accountKey: string;
  readonly fetch?: typeof fetch;
  readonly batchSize?: number;
  /** First and largest backoff after a transient failure (500 ms and 60 s by default). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** How often to look for pending writes without a kick (writes from another connection). */
  readonly pollMs?: number;
  /** A request that gets no answer within this time is abandoned (and its batch retried later). */
  readonly timeoutMs?: number;
  /** After every step that changed the outbox, and on every state change. */
  readonly onChange?: (event: { state: UploaderState; report: UploadReport | null }) => void;
}

export class Uploader {
  private state: UploaderState = 'stopped';
  private stopped = true;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private attempts = 0;
  /** A write arrived since the current step began (it may have missed it). */
  private kicked = false;
  private lastReport: UploadReport | null = null;

  constructor(private readonly options: UploaderOptions) {}

  get current(): { state: UploaderState; lastReport: UploadReport | null } {
    return { state: this.state, lastReport: this.lastReport };
  }

  start(): void {
    if (this.loop) return;
    this.stopped = false;
    this.setState('idle');
    this.loop = this.run().finally(() => (this.loop = null));
  }

  /** Stops after the batch in flight (whose outcome is applied first); pending writes stay. */
  async stop(): Promise<void> {
    this.setState('stopped');
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /**
   * A new local write: upload soon, unless the last attempt failed (offline, server down), in which
   * case the backoff stands; a burst of offline writes must not turn into a burst of failing requests.
   */
  kick(): void {
    this.kicked = true;
    if (this.state === 'idle') this.wake?.();
  }

  /** Try now, whatever the backoff (the user asked, the network or the session came back). */
  retryNow(): void {
    this.attempts = 0;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const session = this.options.sessions.state;
      if (
        !session.session ||
        session.signInRequired ||
        accountKey(session.session) !== this.options.accountKey
      ) {
        this.setState('idle');
        await this.sleep(this.options.pollMs ?? 5_000);
        continue;
      }
      this.setState('uploading');
      this.kicked = false;
      let report: UploadReport;
      try {
        report = await uploadOnce(this.options.db, this.send, this.options.batchSize ?? 100);
      } catch (error) {
        // The local database failed (closing, or a bug): wait and try again.
        report = {
          sent: 0,
          acknowledged: 0,
          rejected: 0,
          retried: 0,
          retryReason: `local database: ${(error as Error).message}`,
          status: null,
        };
        if (this.isStopped()) return;
      }
      this.lastReport = report;
      if (report.sent > 0) this.options.onChange?.({ state: this.state, report });
      if (report.retryReason !== null) {
        this.attempts++;
        if (this.isStopped()) return;
        this.setState('waiting');
        await this.sleep(
          retryDelayMs(this.attempts, this.options.retryBaseMs ?? 500, this.options.retryMaxMs ?? 60_000),
        );
      } else if (report.sent === 0) {
        this.attempts = 0;
        if (this.isStopped()) return;
        if (this.kicked) continue;
        this.setState('idle');
        await this.sleep(this.options.pollMs ?? 5_000);
      } else {
        this.attempts = 0;
      }
    }
  }

  private readonly send: SendMutations = async (request) => {
    const sessions = this.options.sessions;
    const session = sessions.state.session;
    if (!session) throw new Error('signed out');
    if (accountKey(session) !== this.options.accountKey)
      throw new Error('another account is signed in; this outbox waits for its own');
    const post = async (token: string) => {
      const response = await (this.options.fetch ?? fetch)(new URL('/v1/mutations', session.serverUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = { message: text.slice(0, 200) };
      }
      return { status: response.status, body };
    };
    const first = await post(await sessions.accessToken());
    if (first.status !== 401) return first;
    // The token expired or was revoked since it was issued: one refresh, one resend (same ids).
    await sessions.tokenRejected();
    return post(await sessions.accessToken());
  };

  private isStopped(): boolean {
    return this.stopped;
  }

  private setState(state: UploaderState): void {
    if (this.state === state || this.stopped) return;
    this.state = state;
    this.options.onChange?.({ state, report: null });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

/**
 * main/lifecycle/core-restart-policy.ts: what main does when the core's utility process exits while
 * the app is not quitting (a crash, an out-of-memory kill, a bug).
 *
 *   exit ─► fewer than `maxRestarts` unexpected exits within `windowMs`? ─► restart (every window gets
 *           a new port) ─► otherwise ─► ask the user: restart, or quit
 *
 * Guarantees: a crash loop never spins (at most `maxRestarts` automatic restarts per window of time);
 * the decision is a pure function of the exit times, tested without Electron. The data directory lock
 * of a crashed core is taken over by the next one (same host, dead pid: core/host/data-dir-lock.ts).
 */

export interface RestartPolicy {
  readonly maxRestarts: number;
  readonly windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 3, windowMs: 60_000 };

export type CrashDecision = 'restart' | 'askUser';

export class CoreRestartPolicy {
  private exits: number[] = [];

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** Records an unexpected exit at `now` and says what to do about it. */
  onUnexpectedExit(now: number): CrashDecision {
    this.exits = [...this.exits.filter((t) => now - t < this.policy.windowMs), now];
    return this.exits.length <= this.policy.maxRestarts ? 'restart' : 'askUser';
  }

  /** The user chose to restart after a crash loop: start counting again. */
  reset(): void {
    this.exits = [];
  }
}

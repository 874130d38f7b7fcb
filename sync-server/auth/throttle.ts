/**
 * sync-server/auth/throttle.ts: slows down and then refuses repeated failed sign-ins, per account
 * (tenant + email) and per client address, with rate-limiter-flexible's in-memory limiters.
 *
 *   failures of one account in the window:  1..3 answer at once, then each answer waits
 *                                            250 ms × 2^(n-4) (at most 4 s); after `accountLimit` the
 *                                            account is refused (429 + Retry-After) until the window ends
 *   failures from one address in the window: refused after `addressLimit`
 *   a successful sign-in clears its account's failures (not its address's)
 *
 * The state is per process: a deployment with several gate processes multiplies the limits by their
 * number (docs/scaling.md). Unknown accounts are counted like known ones, so the throttle reveals
 * nothing about which emails exist.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { OutpostError } from '../../common/errors.ts';

export interface ThrottleOptions {
  readonly windowSeconds?: number;
  readonly accountLimit?: number;
  readonly addressLimit?: number;
  /** Delay unit for slowed answers; tests set it low. */
  readonly delayUnitMs?: number;
}

export class SignInThrottle {
  private readonly accounts: RateLimiterMemory;
  private readonly addresses: RateLimiterMemory;
  private readonly accountLimit: number;
  private readonly addressLimit: number;
  private readonly delayUnitMs: number;

  constructor(options: ThrottleOptions = {}) {
    const duration = options.windowSeconds ?? 15 * 60;
    this.accountLimit = options.accountLimit ?? 10;
    this.addressLimit = options.addressLimit ?? 100;
    this.delayUnitMs = options.delayUnitMs ?? 250;
    this.accounts = new RateLimiterMemory({ points: this.accountLimit, duration, keyPrefix: 'acct' });
    this.addresses = new RateLimiterMemory({ points: this.addressLimit, duration, keyPrefix: 'addr' });
  }

  /** Throws 429 when the account or the address is locked out; otherwise waits as long as its failures say. */
  async before(account: string, address: string): Promise<void> {
    const [a, b] = await Promise.all([this.accounts.get(account), this.addresses.get(address)]);
    const locked = [
      a && a.consumedPoints >= this.accountLimit ? a : null,
      b && b.consumedPoints >= this.addressLimit ? b : null,
    ].filter((r): r is RateLimiterRes => r !== null);
    if (locked.length > 0) {
      const retryAfter = Math.ceil(Math.max(...locked.map((r) => r.msBeforeNext)) / 1000);
      throw new OutpostError('rate_limited', `Too many failed sign-ins; try again in ${retryAfter} s.`, {
        retryAfterSeconds: retryAfter,
      });
    }
    const failures = a?.consumedPoints ?? 0;
    if (failures >= 3) {
      const ms = Math.min(this.delayUnitMs * 2 ** (failures - 3), 16 * this.delayUnitMs);
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  }

  async failed(account: string, address: string): Promise<void> {
    await Promise.all([
      this.accounts.consume(account).catch(() => undefined),
      this.addresses.consume(address).catch(() => undefined),
    ]);
  }

  async succeeded(account: string): Promise<void> {
    await this.accounts.delete(account);
  }
}

/** A per-key requests-per-minute limit (the write API: per token). */
export class RequestRateLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(
    readonly perMinute: number,
    private readonly what: string,
  ) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix: what });
  }

  async take(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new OutpostError(
        'rate_limited',
        `More than ${this.perMinute} ${this.what} requests in a minute; retry in ${retryAfter} s.`,
        { retryAfterSeconds: retryAfter },
      );
    }
  }
}

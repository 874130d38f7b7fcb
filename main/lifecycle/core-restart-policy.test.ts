/**
 * main/lifecycle/core-restart-policy.test.ts: automatic restarts are bounded per window of time.
 */
import { describe, expect, it } from 'vitest';
import { CoreRestartPolicy } from './core-restart-policy.ts';

describe('CoreRestartPolicy', () => {
  it('restarts up to three times a minute, then asks the user', () => {
    const policy = new CoreRestartPolicy();
    expect([0, 1_000, 2_000, 3_000].map((t) => policy.onUnexpectedExit(t))).toEqual([
      'restart',
      'restart',
      'restart',
      'askUser',
    ]);
  });

  it('forgets exits older than the window', () => {
    const policy = new CoreRestartPolicy({ maxRestarts: 2, windowMs: 10_000 });
    expect(policy.onUnexpectedExit(0)).toBe('restart');
    expect(policy.onUnexpectedExit(5_000)).toBe('restart');
    expect(policy.onUnexpectedExit(12_000)).toBe('restart');
    expect(policy.onUnexpectedExit(13_000)).toBe('askUser');
  });

  it('starts counting again after the user chose to restart', () => {
    const policy = new CoreRestartPolicy({ maxRestarts: 1, windowMs: 60_000 });
    expect(policy.onUnexpectedExit(0)).toBe('restart');
    expect(policy.onUnexpectedExit(1)).toBe('askUser');
    policy.reset();
    expect(policy.onUnexpectedExit(2)).toBe('restart');
  });
});

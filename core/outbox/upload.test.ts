/** Retry timing of the outbox uploader: exponential, capped, jittered within ±20 %. */
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './upload.ts';

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 500, 60_000, middle))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(30, 500, 60_000, middle)).toBe(60_000);
  });

  it('spreads retries by ±20 %', () => {
    expect(retryDelayMs(3, 500, 60_000, () => 0)).toBe(1600);
    expect(retryDelayMs(3, 500, 60_000, () => 0.999999)).toBe(2400);
  });
});

import { describe, expect, it } from 'vitest';
import { parsePgSnapshot, visibleInSnapshot } from './snapshot.ts';

describe('visibleInSnapshot', () => {
  const snapshot = parsePgSnapshot('100:110:103,105');
  it('sees transactions that ended before it, and not those running or started later', () => {
    expect(visibleInSnapshot(99, snapshot)).toBe(true);
    expect(visibleInSnapshot(104, snapshot)).toBe(true);
    expect(visibleInSnapshot(103, snapshot)).toBe(false);
    expect(visibleInSnapshot(110, snapshot)).toBe(false);
    expect(visibleInSnapshot(111, snapshot)).toBe(false);
  });

  it('places 32-bit xids in the epoch nearest xmax', () => {
    const wrapped = parsePgSnapshot(`${(1n << 32n) + 5n}:${(1n << 32n) + 10n}:`);
    expect(visibleInSnapshot(0xfffffff0, wrapped)).toBe(true); // previous epoch, long ended
    expect(visibleInSnapshot(7, wrapped)).toBe(true);
    expect(visibleInSnapshot(12, wrapped)).toBe(false); // after the snapshot
  });
});

import { describe, expect, it } from 'vitest';
import { cursorLsn, nextCursor } from './live-cursor.ts';

describe('live cursor', () => {
  it('carries the LSN the answer told the client, and reads it back', () => {
    const cursor = nextCursor(null, 20, 58498400n);
    expect(cursor).toMatch(/^\d+_58498400$/);
    expect(cursorLsn(cursor)).toBe(58498400n);
  });

  it('moves the interval on when the request already had the current one (Electric’s rule)', () => {
    const first = nextCursor(null, 20, 1n);
    const second = nextCursor(first, 20, 1n);
    expect(second.split('_')[0]).not.toBe(first.split('_')[0]);
    expect(Number(second.split('_')[0])).toBeGreaterThan(Number(first.split('_')[0]));
  });

  it('reads no LSN from a cursor it did not write', () => {
    for (const cursor of [null, '', '68211800', 'abc_12', '1_', '1_2_3', `1_${'9'.repeat(25)}`])
      expect(cursorLsn(cursor)).toBeNull();
  });

  it('accepts an Electric-style numeric cursor as the previous one', () => {
    const cursor = nextCursor('68211800', 20, 7n);
    expect(cursorLsn(cursor)).toBe(7n);
  });
});

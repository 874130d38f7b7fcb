import { describe, expect, it } from 'vitest';
import { decodeStandbyStatusUpdate, encodeStandbyStatusUpdate } from './standby-status.ts';
import { parseLsn } from './types.ts';

describe('standby status update', () => {
  it('reports exactly the given position as written, flushed and applied (not position + 1)', () => {
    const lsn = parseLsn('16/B374D848');
    const message = encodeStandbyStatusUpdate(lsn, true, Date.UTC(2025, 0, 2, 3, 4, 5, 678));
    expect(message).toHaveLength(34);
    expect(message[0]).toBe(0x72);
    expect(decodeStandbyStatusUpdate(message)).toEqual({
      write: lsn,
      flush: lsn,
      apply: lsn,
      clockMs: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
      replyRequested: true,
    });
  });

  it('handles positions beyond 32 bits and the reply flag', () => {
    const lsn = parseLsn('FFFFFFFF/FFFFFFFF');
    expect(decodeStandbyStatusUpdate(encodeStandbyStatusUpdate(lsn, false)).flush).toBe(lsn);
    expect(decodeStandbyStatusUpdate(encodeStandbyStatusUpdate(1n, false)).replyRequested).toBe(false);
  });
});

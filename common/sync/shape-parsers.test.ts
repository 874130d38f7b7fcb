import { describe, expect, it } from 'vitest';
import { byteaFromHex } from './shape-parsers.ts';

describe('byteaFromHex', () => {
  it('reads PostgreSQL hex output', () => {
    expect([...byteaFromHex('\\xdeadBEEF00')]).toEqual([0xde, 0xad, 0xbe, 0xef, 0]);
    expect(byteaFromHex('\\x')).toHaveLength(0);
  });

  it('refuses anything else', () => {
    expect(() => byteaFromHex('deadbeef')).toThrow(/not a hex bytea/);
    expect(() => byteaFromHex('\\xabc')).toThrow(/not a hex bytea/);
  });
});

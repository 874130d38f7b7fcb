import { describe, expect, it } from 'vitest';
import { cellText, copyLine, escapeCopy, pgArray } from './copy.ts';

describe('COPY text encoding', () => {
  it('encodes NULL, scalars, dates, arrays, vectors and JSON', () => {
    expect(cellText(null)).toBeNull();
    expect(cellText(undefined)).toBeNull();
    expect(cellText(true)).toBe('t');
    expect(cellText(false)).toBe('f');
    expect(cellText(42)).toBe('42');
    expect(cellText(12n)).toBe('12');
    expect(cellText(new Date(Date.UTC(2026, 10, 22, 18, 0, 0)))).toBe('2026-11-22T18:00:00.000Z');
    expect(cellText(pgArray(['a', 'b "c"', 'back\\slash', null]))).toBe(
      '{"a","b \\"c\\"","back\\\\slash",NULL}',
    );
    expect(cellText(pgArray([1, 2]))).toBe('{1,2}');
    expect(cellText(new Float32Array([0.5, -0.25]))).toBe('[0.500000,-0.250000]');
    expect(cellText({ a: 1, skipped: undefined, list: ['x'] })).toBe('{"a":1,"list":["x"]}');
    expect(cellText([1, 'two'])).toBe('[1,"two"]');
    expect(() => cellText(Number.NaN)).toThrow(RangeError);
  });

  it('escapes the characters COPY text format gives meaning to', () => {
    expect(escapeCopy('plain')).toBe('plain');
    expect(escapeCopy('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
  });

  it('writes one tab-separated line per row with \\N for NULL', () => {
    expect(copyLine(['x', null, 3, 'multi\nline'])).toBe('x\t\\N\t3\tmulti\\nline\n');
  });
});

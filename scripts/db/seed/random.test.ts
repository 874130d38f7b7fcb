import { describe, expect, it } from 'vitest';
import { Rng } from './random.ts';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());

describe('seeded random streams', () => {
  it('repeats a stream for the same seed and label, and differs otherwise', () => {
    expect(draw(Rng.stream(1, 'orders:acme'), 50)).toEqual(draw(Rng.stream(1, 'orders:acme'), 50));
    expect(draw(Rng.stream(1, 'orders:acme'), 50)).not.toEqual(draw(Rng.stream(2, 'orders:acme'), 50));
    expect(draw(Rng.stream(1, 'orders:acme'), 50)).not.toEqual(draw(Rng.stream(1, 'orders:globex'), 50));
  });

  it('makes version-4 shaped, distinct UUIDs', () => {
    const rng = Rng.stream(7, 'uuids');
    const ids = Array.from({ length: 10_000 }, () => rng.uuid());
    for (const id of ids.slice(0, 100)) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps ints, floats, picks and samples within their bounds', () => {
    const rng = Rng.stream(3, 'bounds');
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(-2, 5);
      expect(Number.isInteger(n) && n >= -2 && n <= 5).toBe(true);
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect(['a', 'b']).toContain(rng.pick(['a', 'b']));
    const sample = rng.sample([1, 2, 3, 4, 5], 3);
    expect(new Set(sample).size).toBe(3);
    expect(rng.bytes(5)).toHaveLength(5);
    expect(rng.hex(4)).toMatch(/^[0-9a-f]{8}$/);
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('picks by weight', () => {
    const rng = Rng.stream(5, 'weights');
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++)
      counts[
        rng.weighted([
          ['a', 9],
          ['b', 1],
        ] as const)
      ]++;
    expect(counts.a / 10_000).toBeGreaterThan(0.85);
    expect(counts.a / 10_000).toBeLessThan(0.95);
  });
});

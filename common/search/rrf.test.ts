import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, RRF_K } from './rrf.ts';

const ids = (results: readonly { id: string }[]) => results.map((r) => r.id);

describe('reciprocal rank fusion', () => {
  it('uses k = 60 by default: score = Σ 1 / (k + rank)', () => {
    expect(RRF_K).toBe(60);
    const [first] = reciprocalRankFusion([['a'], ['a']]);
    expect(first?.score).toBe(1 / 61 + 1 / 61);
    expect(first?.ranks).toEqual([1, 1]);
  });

  it('ranks an item found by both lists above one found first by only one', () => {
    const fused = reciprocalRankFusion([
      ['only-text', 'both'],
      ['only-vector', 'both'],
    ]);
    expect(ids(fused)[0]).toBe('both');
    expect(fused[0]?.ranks).toEqual([2, 2]);
  });

  it('with one list empty, keeps the other list’s order and marks the missing rank null', () => {
    const fused = reciprocalRankFusion([[], ['c', 'a', 'b']]);
    expect(ids(fused)).toEqual(['c', 'a', 'b']);
    expect(fused.map((f) => f.ranks)).toEqual([
      [null, 1],
      [null, 2],
      [null, 3],
    ]);
    expect(reciprocalRankFusion([['x', 'y'], []]).map((f) => f.score)).toEqual([1 / 61, 1 / 62]);
  });

  it('gives nothing for no lists or only empty ones', () => {
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });

  it('counts a duplicate within one list once, at its best rank', () => {
    const fused = reciprocalRankFusion([['a', 'b', 'a'], ['b']]);
    const a = fused.find((f) => f.id === 'a');
    expect(a?.ranks).toEqual([1, null]);
    expect(a?.score).toBe(1 / 61);
    expect(fused.find((f) => f.id === 'b')?.score).toBe(1 / 62 + 1 / 61);
  });

  it('breaks equal scores by the best single rank, then by id', () => {
    // p: ranks 1 and 3; q: ranks 3 and 1: the same sum, the same best rank: id order.
    expect(
      ids(
        reciprocalRankFusion([
          ['q', 'x', 'p'],
          ['p', 'y', 'q'],
        ]),
      ).slice(0, 2),
    ).toEqual(['p', 'q']);
    // Same score from different lists at the same rank: id order, whatever the list order.
    expect(ids(reciprocalRankFusion([['b'], ['a']]))).toEqual(['a', 'b']);
    expect(ids(reciprocalRankFusion([['a'], ['b']]))).toEqual(['a', 'b']);
  });

  it('lets k shape the fusion: a small k favours the head of a single list, a large one agreement', () => {
    const lists = [
      ['solo', 'x1', 'x2', 'agreed'],
      ['y1', 'y2', 'y3', 'agreed'],
    ];
    // k = 0: 1/1 for 'solo' beats 1/4 + 1/4 for 'agreed'.
    expect(ids(reciprocalRankFusion(lists, 0))[0]).toBe('solo');
    // k = 60: 2/64 for 'agreed' beats 1/61.
    expect(ids(reciprocalRankFusion(lists))[0]).toBe('agreed');
  });

  it('refuses a negative or non-finite k', () => {
    expect(() => reciprocalRankFusion([['a']], -1)).toThrow(RangeError);
    expect(() => reciprocalRankFusion([['a']], Number.NaN)).toThrow(RangeError);
  });

  it('is deterministic: the same input, the same output', () => {
    const lists = [
      ['d', 'a', 'c'],
      ['c', 'b', 'd', 'e'],
    ];
    expect(reciprocalRankFusion(lists)).toEqual(reciprocalRankFusion(lists.map((l) => [...l])));
  });
});

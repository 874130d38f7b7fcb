/**
 * common/search/rrf.ts: reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009), the rule
 * that merges search's ranked lists (full-text and vector) into one.
 *
 *   score(d) = Σ over the lists that hold d of 1 / (k + rank of d in that list)      ranks from 1
 *
 * k = 60 (RRF_K, the paper's value): it damps the head of each list, so a document ranked well by
 * both lists beats one ranked first by only one of them, and no list's raw scores (ts_rank vs cosine,
 * not comparable) enter at all.
 *
 * Guarantees (tested in rrf.test.ts): pure and deterministic; a document listed twice in one list
 * counts once, at its best rank; an empty list contributes nothing; ties are broken by the best single
 * rank (lower first), then by id (ascending, code-unit order), so equal inputs give equal outputs.
 * Sums are taken in list order in double precision: common/queries/search.ts computes the same sums
 * in SQL (float8, text list first) and orders with the same tie-breaks, and its test compares the two.
 */

export const RRF_K = 60;

export interface FusedResult<Id extends string = string> {
  readonly id: Id;
  readonly score: number;
  /** The rank (from 1) of the item in each input list, null where the list does not hold it. */
  readonly ranks: readonly (number | null)[];
}

/** Fuses ranked lists of ids (best first) into one ranking, best first. */
export function reciprocalRankFusion<Id extends string>(
  lists: readonly (readonly Id[])[],
  k: number = RRF_K,
): FusedResult<Id>[] {
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`RRF k must be a finite number ≥ 0, got ${k}`);
  const ranks = new Map<Id, (number | null)[]>();
  lists.forEach((list, l) => {
    list.forEach((id, i) => {
      let row = ranks.get(id);
      if (!row) ranks.set(id, (row = lists.map(() => null)));
      if (row[l] === null) row[l] = i + 1; // the first (best) occurrence only
    });
  });
  const fused = [...ranks].map(([id, r]) => ({
    id,
    score: r.reduce<number>((sum, rank) => (rank === null ? sum : sum + 1 / (k + rank)), 0),
    ranks: r,
    best: Math.min(...r.map((rank) => rank ?? Infinity)),
  }));
  fused.sort((a, b) => b.score - a.score || a.best - b.best || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return fused.map(({ id, score, ranks: r }) => ({ id, score, ranks: r }));
}

/**
 * renderer/explorer/table-pages.ts: which pages of a table query a virtualized grid needs, and a
 * cache of the pages it received (pure; tested beside). The grid follows only the pages under its
 * viewport (plus one either side), each as a live query, so a 100k-row table costs a few hundred rows
 * of work however far one scrolls.
 */

export const PAGE_SIZE = 200;

/** Page numbers covering rows [first, last] and `margin` pages either side, within `total` rows. */
export function pagesFor(first: number, last: number, total: number | null, margin = 1): number[] {
  const lastPage = total === null ? Number.POSITIVE_INFINITY : Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
  const from = Math.max(0, Math.floor(Math.max(0, first) / PAGE_SIZE) - margin);
  const to = Math.min(lastPage, Math.floor(Math.max(0, last) / PAGE_SIZE) + margin);
  const pages: number[] = [];
  for (let p = from; p <= to; p++) pages.push(p);
  return pages.length > 0 ? pages : [0];
}

/** The received page holding row `index` (undefined: not loaded yet). */
export function pageAt<P>(pages: ReadonlyMap<number, P>, index: number): P | undefined {
  return pages.get(Math.floor(index / PAGE_SIZE));
}

/** The row at `index` from the pages received so far (undefined: not loaded yet). */
export function rowAt<R>(
  pages: ReadonlyMap<number, { readonly rows: readonly R[] }>,
  index: number,
): R | undefined {
  return pageAt(pages, index)?.rows[index % PAGE_SIZE];
}

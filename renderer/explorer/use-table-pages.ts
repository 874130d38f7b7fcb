/**
 * renderer/explorer/use-table-pages.ts: a table query as a virtualized grid sees it: the total, and
 * rows by index, with only the pages under the viewport followed live (table-pages.ts).
 *
 * Guarantees: pages of a previous query (another table, filter or sort) are dropped the moment the
 * query changes, so rows of two queries never mix; when the viewport moves, only pages that became
 * needed are subscribed and only pages no longer needed are unsubscribed and forgotten (memory stays
 * a few pages however far one scrolls); an error of the core (bad filter value for a column type,
 * signed out) is returned, with its message.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { OutpostError } from '../../common/errors.ts';
import type { Row, TablePage, TableQuery } from '../../common/rpc/contract.ts';
import { useEngine } from '../state/engine-store.ts';
import { PAGE_SIZE, pageAt, pagesFor, rowAt } from './table-pages.ts';

export interface TablePages {
  readonly total: number | null;
  readonly error: OutpostError | null;
  row(index: number): Row | undefined;
  /** The row's own label ("Close the month"); empty while not loaded. */
  rowLabel(index: number): string;
  /** The labels of the rows the row's references name (its page's TablePage.labels). */
  labels(index: number): TablePage['labels'];
}

type BaseQuery = Omit<TableQuery, 'offset' | 'limit'>;

interface PagesState {
  readonly key: string;
  readonly pages: ReadonlyMap<number, TablePage>;
  readonly total: number | null;
  readonly error: OutpostError | null;
}

const NO_LABELS: TablePage['labels'] = {};

const empty = (key: string): PagesState => ({ key, pages: new Map(), total: null, error: null });

/** Follows one page of a query live: events until the returned function is called. */
export type PageSource = (
  query: TableQuery,
  onPage: (page: TablePage) => void,
  onError: (error: OutpostError) => void,
) => () => void;

/** The grid's pages of `query` from the core. */
export function useTablePages(query: BaseQuery, visible: { first: number; last: number }): TablePages {
  const client = useEngine((s) => s.client);
  const source = useMemo<PageSource | null>(
    () => (client ? (q, onPage, onError) => client.subscribe('table.query', q, onPage, onError) : null),
    [client],
  );
  return usePagedQuery(source, query, visible);
}

/** The paging logic, over any source of live pages (the core; the grid benchmark's synthetic one). */
export function usePagedQuery(
  source: PageSource | null,
  query: BaseQuery,
  visible: { first: number; last: number },
): TablePages {
  const queryKey = JSON.stringify(query);
  const [state, setState] = useState<PagesState>(() => empty(queryKey));
  const current = state.key === queryKey ? state : empty(queryKey);
  const needed = pagesFor(visible.first, visible.last, current.total).join(',');
  /** Live page subscriptions of the current query: page → stop. */
  const live = useRef(new Map<number, () => void>());
  /** The pages the viewport needs now. */
  const wantedPages = useRef(new Set<number>());

  // A new query (or client): stop every page of the old one.
  useEffect(() => {
    const subscriptions = live.current;
    return () => {
      for (const stop of subscriptions.values()) stop();
      subscriptions.clear();
    };
  }, [source, queryKey]);

  // The viewport moved: follow the pages that became needed, drop the ones that are not any more.
  useEffect(() => {
    if (!source) return;
    const base = JSON.parse(queryKey) as BaseQuery;
    const wanted = new Set(needed.split(',').map(Number));
    for (const [page, stop] of live.current)
      if (!wanted.has(page)) {
        stop();
        live.current.delete(page);
      }
    wantedPages.current = wanted;
    for (const page of wanted) {
      if (live.current.has(page)) continue;
      const stop = source(
        { ...base, offset: page * PAGE_SIZE, limit: PAGE_SIZE },
        (result) =>
          setState((s) => {
            // Pages no longer in view are forgotten as new ones arrive.
            const kept = s.key === queryKey ? [...s.pages].filter(([p]) => wantedPages.current.has(p)) : [];
            const pages = new Map(kept);
            pages.set(page, result);
            return { key: queryKey, pages, total: result.total, error: null };
          }),
        (error) => setState((s) => ({ ...(s.key === queryKey ? s : empty(queryKey)), error })),
      );
      live.current.set(page, stop);
    }
  }, [source, queryKey, needed]);

  const { total, error, pages } = current;
  return useMemo(
    () => ({
      total,
      error,
      row: (index: number) => rowAt(pages, index),
      rowLabel: (index: number) => pageAt(pages, index)?.rowLabels[index % PAGE_SIZE] ?? '',
      labels: (index: number) => pageAt(pages, index)?.labels ?? NO_LABELS,
    }),
    [total, error, pages],
  );
}

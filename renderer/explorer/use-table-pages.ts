/**
 * renderer/explorer/use-table-pages.ts: a table query as a virtualized grid sees it: the total, and
 * rows by index, with only the pages under the viewport followed live (table-pages.ts).
 *
 * Guarantees: pages of a previous query (another table, filter or sort) are dropped the moment the
 * query changes, so rows of two queries never mix; a page no longer needed is unsubscribed; an error
 * of the core (bad filter value for a column type, signed out) is returned, with its message.
 */
import { useEffect, useMemo, useState } from 'react';
import type { OutpostError } from '../../common/errors.ts';
import type { Row, TableQuery } from '../../common/rpc/contract.ts';
import { useEngine } from '../state/engine-store.ts';
import { PAGE_SIZE, pagesFor, rowAt } from './table-pages.ts';

export interface TablePages {
  readonly total: number | null;
  readonly error: OutpostError | null;
  row(index: number): Row | undefined;
}

type BaseQuery = Omit<TableQuery, 'offset' | 'limit'>;

export function useTablePages(query: BaseQuery, visible: { first: number; last: number }): TablePages {
  const client = useEngine((s) => s.client);
  const queryKey = JSON.stringify(query);
  const [state, setState] = useState<{
    key: string;
    pages: Map<number, readonly Row[]>;
    total: number | null;
    error: OutpostError | null;
  }>({ key: queryKey, pages: new Map(), total: null, error: null });
  const current =
    state.key === queryKey ? state : { key: queryKey, pages: new Map(), total: null, error: null };
  const needed = pagesFor(visible.first, visible.last, current.total).join(',');

  useEffect(() => {
    if (!client) return;
    const base = JSON.parse(queryKey) as BaseQuery;
    const stops = needed.split(',').map((p) => {
      const page = Number(p);
      return client.subscribe(
        'table.query',
        { ...base, offset: page * PAGE_SIZE, limit: PAGE_SIZE },
        (result) =>
          setState((s) => {
            const pages = new Map(s.key === queryKey ? s.pages : []);
            pages.set(page, result.rows);
            return { key: queryKey, pages, total: result.total, error: null };
          }),
        (error) =>
          setState((s) => ({
            ...(s.key === queryKey ? s : { pages: new Map(), total: null }),
            key: queryKey,
            error,
          })),
      );
    });
    return () => {
      for (const stop of stops) stop();
    };
  }, [client, queryKey, needed]);

  return useMemo(
    () => ({
      total: current.total,
      error: current.error,
      row: (index: number) => rowAt(current.pages, index),
    }),
    [current.total, current.error, current.pages],
  );
}

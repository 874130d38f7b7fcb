/**
 * renderer/records/live-record.ts: small live hooks the record views share: one row of a local table by
 * id, with the page labels that name the rows it refers to (core/tables), and the current time ticking
 * at a given pace (for countdowns and "in 40 min" hints).
 */
import { useEffect, useState } from 'react';
import type { TablePage } from '../../common/rpc/contract.ts';
import { useLive } from '../platform/use-live.ts';

/** One row of `table` by id, live, with its page labels; null while reading or when not asked. */
export function useRecord(table: string | null, id: string | null): TablePage | null {
  const live = useLive(
    'table.query',
    table && id ? { table, filters: [{ column: 'id', op: 'eq', value: id }], limit: 1 } : null,
  );
  return live.value ?? null;
}

/** The current time, ticking every `ms` while mounted. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * core/tables/live-statement.ts: one SQL statement followed live on the local database, emitting a value
 * made from its rows only when it differs from the last one emitted: the engine of the explorer's live
 * pages (table-service.ts) and of the named queries (core/queries/query-service.ts).
 *
 *   followStatement(db, statement, toValue, emit, fail)
 *     PGlite live query ─► rows ─► toValue ─► emit unless samePlain(last, value)
 *
 * Guarantees: `emit` gets the first value before the returned promise resolves; a failure after the
 * start (turning rows into a value, or `emit` throwing) goes to `fail` once and stops it; the returned
 * function stops it (twice is harmless) and drops the live query's temporary view. A failure to start
 * rejects the promise (the caller maps it).
 *
 * PGlite 0.5's live query re-runs the statement on every change of a relation it reads without
 * reporting failures of that re-run (the statement already ran once, so only a closed database makes
 * it fail).
 */
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { samePlain } from './same-plain.ts';

export interface LiveStatement {
  readonly text: string;
  readonly params: readonly unknown[];
}

export async function followStatement<T>(
  db: { live: LiveNamespace },
  statement: LiveStatement,
  toValue: (rows: Record<string, unknown>[]) => T,
  emit: (value: T) => void,
  fail: (error: unknown) => void,
): Promise<() => void> {
  let last: { value: T } | null = null;
  let stopped = false;
  const onResults = (results: { rows: Record<string, unknown>[] }) => {
    if (stopped) return;
    try {
      const value = toValue(results.rows);
      if (last !== null && samePlain(last.value, value)) return;
      last = { value };
      emit(value);
    } catch (error) {
      stopped = true;
      fail(error);
    }
  };
  const live = await db.live.query<Record<string, unknown>>({
    query: statement.text,
    params: [...statement.params],
    callback: onResults,
  });
  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    stopped = true;
    // Unsubscribing drops the live query's temporary view; failing to (a closed database) leaves
    // nothing to clean up.
    live.unsubscribe().catch(() => undefined);
  };
}

/**
 * core/sync/applier-target.ts: where @electric-sql/pglite-sync stores a table's server state in the
 * local schema, and how a shape message becomes the row it writes.
 *
 *   shape message ─► mapColumns: arrays as literals (docs/protocol.md), plus `_synced_txid` = the
 *                    message's txid for writable tables ─► INSERT/UPDATE/DELETE "schema"."table"
 *
 * Guarantees: a writable table's rows go to synced.<t> (public.<t> is a view there; pglite-sync would
 * fail on it) and carry the txid that lets the outbox recognise the server's copy of an acknowledged
 * write (outbox.settle_key); every other table goes to public.<t> unchanged. Snapshot rows have no
 * txid: `_synced_txid` is NULL for them.
 */
import type { ChangeMessage } from '@electric-sql/client';
import type { MapColumnsFn } from '@electric-sql/pglite-sync';
import { withArrayLiterals } from '../../common/sync/pg-array-literal.ts';
import { applierSchemaOf, hasLocalOverlay, SYNCED_TXID_COLUMN } from '../database/local-schema.ts';

export interface ApplierTarget {
  readonly schema: string;
  readonly table: string;
  readonly mapColumns: MapColumnsFn;
}

/** The txid of the server transaction a change message comes from (null for snapshot rows). */
export function txidOf(message: Pick<ChangeMessage, 'headers'>): number | null {
  const txids = message.headers.txids;
  return Array.isArray(txids) && typeof txids[0] === 'number' ? txids[0] : null;
}

/** The pglite-sync `schema`, `table` and `mapColumns` options for syncing `table`. */
export function applierTarget(table: string): ApplierTarget {
  const writable = hasLocalOverlay(table);
  return {
    schema: applierSchemaOf(table),
    table,
    mapColumns: (message) => {
      const row = withArrayLiterals(message.value as Record<string, unknown>);
      if (writable) row[SYNCED_TXID_COLUMN] = txidOf(message);
      return row;
    },
  };
}

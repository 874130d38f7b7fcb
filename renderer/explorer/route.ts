/**
 * renderer/explorer/route.ts: the explorer's address: `#/explorer` (no table chosen) and
 * `#/explorer/<table>`. Its own module so that the explorer's components can link to tables without
 * importing the view (renderer/explorer/view.tsx, which imports them).
 *
 * Guarantee: a table segment is accepted only as a lower-case SQL identifier; anything else opens the
 * explorer with no table, so a URL cannot smuggle anything else into a query.
 */
import type { ViewAddress } from '../shell/contribution.ts';

export interface ExplorerParams {
  /** The table shown, or null for the table list alone. */
  readonly table: string | null;
}

const TABLE = /^[a-z_][a-z0-9_]{0,62}$/;

export const explorerAddress: ViewAddress<ExplorerParams> = {
  id: 'explorer',
  route: {
    path: 'explorer',
    parse: ([table]) => ({ table: table !== undefined && TABLE.test(table) ? table : null }),
    format: ({ table }) => (table ? [table] : []),
    examples: [{ table: null }, { table: 'approval_requests' }, { table: '_private_1' }],
  },
};

/**
 * renderer/explorer/view.tsx: the data explorer view (`#/explorer`, `#/explorer/<table>`,
 * renderer/explorer/route.ts): its commands (go to the explorer, filter, new row, close the row
 * detail), their keys (`g e`, `/`, `n`, Escape), the grid's own keys for the shortcut sheet, and the
 * palette's "Open table" list, one command per table this account syncs.
 */
import { navigate } from '../app/routes.ts';
import type { View } from '../shell/contribution.ts';
import { useEngine } from '../state/engine-store.ts';
import { Explorer } from './Explorer.tsx';
import { closeRowDetail, focusFilter, openRowDetail } from './explorer-ui.ts';
import { explorerAddress, type ExplorerParams } from './route.ts';

/** A table is open, and on screen. */
const onTable = 'view == explorer && explorer.tableOpen';

export const explorerView: View<ExplorerParams> = {
  ...explorerAddress,
  title: 'Explorer',
  permission: null,
  nav: { label: 'Explorer', order: 10, params: { table: null } },
  render: ({ table }) => <Explorer table={table} />,
  contextKeys: [
    { key: 'explorer.tableOpen', description: 'a table is open in the explorer' },
    { key: 'explorer.canInsert', description: 'the open table takes new rows from this user' },
    { key: 'explorer.detailOpen', description: 'the row detail (a row, or a new row) is open' },
  ],
  commands: [
    {
      id: 'explorer.open',
      title: 'Data explorer',
      category: 'Go to',
      when: 'signedIn',
      run: () => navigate(explorerAddress, { table: null }),
    },
    {
      id: 'explorer.filter',
      title: 'Filter the table',
      category: 'Explorer',
      when: onTable,
      run: focusFilter,
    },
    {
      id: 'explorer.newRow',
      title: 'New row',
      category: 'Explorer',
      when: `${onTable} && explorer.canInsert`,
      run: () => openRowDetail({ mode: 'new' }),
    },
    {
      id: 'explorer.closeDetail',
      title: 'Close the row detail',
      category: 'Explorer',
      when: `${onTable} && explorer.detailOpen`,
      palette: false,
      run: () => closeRowDetail({ focusGrid: true }),
    },
  ],
  keybindings: [
    { key: 'g e', command: 'explorer.open', when: '!overlay' },
    { key: '/', command: 'explorer.filter', when: 'view == explorer && !overlay' },
    { key: 'n', command: 'explorer.newRow', when: 'view == explorer && !overlay' },
    { key: 'Escape', command: 'explorer.closeDetail', when: 'view == explorer && !overlay' },
  ],
  elementKeys: [
    { keys: ['ArrowUp', 'ArrowDown'], title: 'Move the active row', when: 'view == explorer && listFocus' },
    {
      keys: ['PageUp', 'PageDown', 'Home', 'End'],
      title: 'Move the active row by a page, or to the ends',
      when: 'view == explorer && listFocus',
    },
    { keys: ['Enter'], title: 'Open the active row', when: 'view == explorer && listFocus' },
  ],
  providers: [
    {
      id: 'explorer.tables',
      when: 'signedIn',
      commands: () =>
        useEngine.getState().tables.map((t) => ({
          id: `explorer.table.${t.table}`,
          title: t.title,
          category: 'Open table',
          hint: `${t.domainLabel} · ${t.table}`,
          run: () => navigate(explorerAddress, { table: t.table }),
        })),
    },
  ],
};

/**
 * renderer/inbox/view.tsx: the approvals inbox view (`#/inbox`, `g i`), its nav entry with the number
 * of items waiting for a decision, and its keys: j / k move, Enter opens the record, a approves, r
 * rejects (asking for the reason), x selects, Shift+x selects a range, z takes back the last decisions
 * the server has not seen, / searches, Escape clears the selection. Every key is also a palette
 * command while the inbox is on screen; each saved view is a palette command from anywhere.
 */
import { navigate } from '../app/routes.ts';
import { openRowDetail } from '../explorer/explorer-ui.ts';
import { explorerAddress } from '../explorer/route.ts';
import type { NoParams, View } from '../shell/contribution.ts';
import { Inbox } from './Inbox.tsx';
import {
  clearSelection,
  currentOrder,
  decide,
  focusSearch,
  moveActive,
  selectRange,
  startReject,
  toggleSelected,
  undoLast,
} from './inbox-actions.ts';
import { InboxBadge } from './InboxBadge.tsx';
import { setFilter, useInbox } from './inbox-store.ts';
import { useSavedViews } from './saved-views.ts';
import { inboxAddress } from './route.ts';

const here = 'view == inbox';
const keys = 'view == inbox && !overlay';

function openActive(): void {
  const item = currentOrder().find((i) => i.key === useInbox.getState().active);
  if (!item) return;
  navigate(explorerAddress, { table: item.table });
  openRowDetail({ mode: 'row', key: { id: item.id } });
}

export const inboxView: View<NoParams> = {
  ...inboxAddress,
  title: 'Inbox',
  permission: null,
  nav: { label: 'Inbox', order: 5, params: {}, Badge: InboxBadge },
  render: () => <Inbox />,
  contextKeys: [{ key: 'inbox.hasSelection', description: 'items are selected in the inbox' }],
  providers: [
    {
      id: 'inbox.savedViews',
      when: 'signedIn',
      commands: () =>
        useSavedViews.getState().views.map((v) => ({
          id: v.name,
          title: `Inbox view: ${v.name}`,
          category: 'Inbox',
          run: () => {
            setFilter(v.filter);
            navigate(inboxAddress, {});
          },
        })),
    },
  ],
  commands: [
    {
      id: 'inbox.open',
      title: 'Inbox',
      category: 'Go to',
      when: 'signedIn',
      run: () => navigate(inboxAddress, {}),
    },
    { id: 'inbox.next', title: 'Next item', category: 'Inbox', when: here, run: () => moveActive(1) },
    {
      id: 'inbox.previous',
      title: 'Previous item',
      category: 'Inbox',
      when: here,
      run: () => moveActive(-1),
    },
    { id: 'inbox.openRecord', title: 'Open the record', category: 'Inbox', when: here, run: openActive },
    {
      id: 'inbox.approve',
      title: 'Approve',
      category: 'Inbox',
      when: here,
      run: () => void decide('approve'),
    },
    { id: 'inbox.reject', title: 'Reject…', category: 'Inbox', when: here, run: () => startReject() },
    {
      id: 'inbox.toggleSelect',
      title: 'Select or unselect the item',
      category: 'Inbox',
      when: here,
      run: toggleSelected,
    },
    {
      id: 'inbox.selectRange',
      title: 'Select every item up to this one',
      category: 'Inbox',
      when: here,
      run: selectRange,
    },
    {
      id: 'inbox.undo',
      title: 'Undo the last decision',
      category: 'Inbox',
      when: here,
      run: () => void undoLast(),
    },
    { id: 'inbox.search', title: 'Search the inbox', category: 'Inbox', when: here, run: focusSearch },
    {
      id: 'inbox.clearSelection',
      title: 'Clear the selection',
      category: 'Inbox',
      when: `${here} && inbox.hasSelection`,
      run: clearSelection,
    },
  ],
  keybindings: [
    { key: 'g i', command: 'inbox.open', when: '!overlay' },
    { key: 'j', command: 'inbox.next', when: keys },
    { key: 'k', command: 'inbox.previous', when: keys },
    { key: 'Enter', command: 'inbox.openRecord', when: `${keys} && inboxFocus` },
    { key: 'a', command: 'inbox.approve', when: keys },
    { key: 'r', command: 'inbox.reject', when: keys },
    { key: 'x', command: 'inbox.toggleSelect', when: keys },
    { key: 'Shift+X', command: 'inbox.selectRange', when: keys },
    { key: 'z', command: 'inbox.undo', when: keys },
    { key: '/', command: 'inbox.search', when: keys },
    { key: 'Escape', command: 'inbox.clearSelection', when: `${keys} && inbox.hasSelection` },
  ],
  elementKeys: [
    { keys: ['ArrowUp', 'ArrowDown'], title: 'Move through the list', when: `${here} && inboxFocus` },
  ],
};

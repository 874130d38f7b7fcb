/**
 * renderer/inbox/inbox-actions.ts: what the inbox's keys and buttons do: move through the list,
 * select, decide (approve, reject with a reason) one item or the selection, and take back the last
 * decisions (`z`) while they are still on this device.
 *
 *   a / r ─► the items leave the list and the next one is active in the key's own frame, then
 *            approval.decide | changeset.review, one named operation per item, run on the local
 *            database at once (a refusal brings the item back) and held in the outbox for
 *            UNDO_WINDOW_MS before it is sent ─► the write list follows it: waiting, sending, refused
 *   z     ─► writes.withdraw for each decision of the last batch the server has not seen
 *
 * Guarantees: a decision the local database refuses (already decided, expired, no authority) changes
 * nothing and says why, naming the item; a bulk action decides each item on its own, so one refusal
 * does not stop the others, and the notice counts both; nothing is ever dropped from the decisions
 * list except by the user.
 */
import { isOutpostError } from '../../common/errors.ts';
import { runOperation } from '../../common/rpc/domain.ts';
import { engineClient, useEngine } from '../state/engine-store.ts';
import { actionTargets, move, range, type InboxItem } from './inbox-model.ts';
import {
  hideWhileDeciding,
  noteDecided,
  setNotice,
  shownList,
  useInbox,
  writeSeen,
  type Decision,
} from './inbox-store.ts';
import { revealInList } from './list-reveal.ts';

/** How long a decision waits on this device, where `z` takes it back, before it is sent. */
export const UNDO_WINDOW_MS = 5_000;

let nextBatch = 1;

/** The items in list order, as shown (filter applied). */
export function currentOrder(): InboxItem[] {
  return shownList(useInbox.getState()).order;
}

/**
 * Keeps the active item on screen: the list scrolls to it (rendering it if it was off screen) and its
 * row takes the focus, now if rendered, else when it renders (InboxList.tsx).
 */
function reveal(key: string | null): void {
  if (key === null) return;
  revealInList(key);
  document
    .querySelector<HTMLElement>(`[data-inbox-key="${CSS.escape(key)}"]`)
    ?.focus({ preventScroll: true });
}

export function moveActive(step: number): void {
  const key = move(currentOrder(), useInbox.getState().active, step);
  useInbox.setState({ active: key });
  reveal(key);
}

export function activate(key: string): void {
  useInbox.setState({ active: key });
}

/** x: the active item in or out of the selection (and the start of the next range). */
export function toggleSelected(): void {
  const { active, selected } = useInbox.getState();
  if (active === null) return;
  const next = new Set(selected);
  if (next.has(active)) next.delete(active);
  else next.add(active);
  useInbox.setState({ selected: next, anchor: active });
}

/** Shift+x: every item from the last toggled one to the active one joins the selection. */
export function selectRange(): void {
  const { active, anchor, selected } = useInbox.getState();
  if (active === null) return;
  const next = new Set(selected);
  for (const key of range(currentOrder(), anchor, active)) next.add(key);
  useInbox.setState({ selected: next, anchor: active });
}

export function clearSelection(): void {
  useInbox.setState({ selected: new Set(), anchor: null });
}

function targets(): InboxItem[] {
  const { selected, active } = useInbox.getState();
  return actionTargets(currentOrder(), selected, active);
}

const ITEM_NOUN = { approval: 'approval', changeset: 'changeset', work_item: 'work item' } as const;

/** The item after the last decided one, so the list goes on from where the user was. */
function nextAfter(decided: readonly InboxItem[]): string | null {
  const order = currentOrder();
  const gone = new Set(decided.map((i) => i.key));
  const last = Math.max(...decided.map((i) => order.findIndex((o) => o.key === i.key)));
  return (
    order.slice(last + 1).find((i) => !gone.has(i.key))?.key ??
    [...order.slice(0, Math.max(0, last))].reverse().find((i) => !gone.has(i.key))?.key ??
    null
  );
}

async function decideOne(
  item: InboxItem,
  decision: 'approve' | 'reject',
  reason: string | null,
): Promise<{ mutationId: string; quorum: string }> {
  const client = engineClient();
  const values = decision === 'approve' ? { decision } : { decision, reason: reason ?? '' };
  if (item.kind === 'approval') {
    const { mutationId, result } = await runOperation(client, {
      name: 'approval.decide',
      key: { id: item.id },
      values,
      holdMs: UNDO_WINDOW_MS,
    });
    const open = result.required > 1 && result.approvals < result.required && decision === 'approve';
    return { mutationId, quorum: open ? ` (${result.approvals} of ${result.required} approvals)` : '' };
  }
  const outcome = await runOperation(client, {
    name: 'changeset.review',
    key: { id: item.id },
    values,
    holdMs: UNDO_WINDOW_MS,
  });
  return { mutationId: outcome.mutationId, quorum: '' };
}

/**
 * Resolves once the frame showing the optimistic state has painted (the operation's own work, starting
 * with the validation of its RPC request, would delay it), or after 50 ms where no frame comes (a
 * hidden tab gets no animation frames).
 */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 50);
  });
}

/** Decides `items` (default: the selection, else the active item). A rejection needs its reason. */
export async function decide(
  decision: 'approve' | 'reject',
  reason: string | null = null,
  items: readonly InboxItem[] = targets(),
): Promise<void> {
  if (items.length === 0) {
    setNotice('Nothing to decide here: choose an approval or a changeset first.');
    return;
  }
  const next = nextAfter(items);
  // The optimistic state first, before the local database answers (bench/inbox.ts: ≤ 16 ms).
  const show = hideWhileDeciding(items.map((i) => i.key));
  useInbox.setState({ active: next, rejecting: null });
  reveal(next);
  await afterPaint();
  const batch = nextBatch++;
  const made: Decision[] = [];
  const refused: string[] = [];
  let quorum = '';
  for (const item of items) {
    try {
      const one = await decideOne(item, decision, reason);
      quorum = one.quorum;
      made.push({ mutationId: one.mutationId, decision, reason, item, at: Date.now(), batch });
      noteDecided(item.key);
    } catch (error) {
      const why = isOutpostError(error) ? error.message : String(error);
      refused.push(`${ITEM_NOUN[item.kind]} “${item.title}”: ${why}`);
    }
  }
  useInbox.setState((s) => ({
    decisions: [...s.decisions, ...made],
    selected: new Set([...s.selected].filter((k) => !made.some((d) => d.item.key === k))),
    // All refused: back to the first of them (they are listed again).
    active: made.length > 0 ? s.active : (items[0]?.key ?? s.active),
    rejecting: null,
  }));
  show(made.length > 0);
  const verb = decision === 'approve' ? 'Approved' : 'Rejected';
  if (refused.length > 0)
    setNotice(
      `${made.length > 0 ? `${verb} ${made.length}; ` : ''}could not ${decision} ${refused.join('; ')}`,
      'error',
    );
  else
    setNotice(
      `${verb} ${made.length === 1 ? `“${made[0]?.item.title ?? ''}”${quorum}` : `${made.length} items`}. Press z to undo.`,
    );
  reveal(useInbox.getState().active);
}

/** r: asks for the reason (the dialog focuses its field); nothing is rejected without one. */
export function startReject(items: readonly InboxItem[] = targets()): void {
  if (items.length === 0) {
    setNotice('Nothing to reject here: choose an approval or a changeset first.');
    return;
  }
  useInbox.setState({ rejecting: items });
}

export function cancelReject(): void {
  useInbox.setState({ rejecting: null });
}

/** z: takes back the last batch of decisions the server has not seen. */
export async function undoLast(): Promise<void> {
  const { decisions } = useInbox.getState();
  const writes = new Map(useEngine.getState().writes.map((w) => [w.id, w]));
  // A decision whose write the list has not shown yet (pressed z at once) is still on this device.
  const open = decisions.filter((d) => {
    const write = writes.get(d.mutationId);
    return write ? write.undoable : !writeSeen(d.mutationId);
  });
  const last = open[open.length - 1];
  if (!last) {
    setNotice(
      decisions.length > 0
        ? 'Your decisions have already reached the server; they can no longer be undone here.'
        : 'Nothing to undo.',
    );
    return;
  }
  const batch = open.filter((d) => d.batch === last.batch);
  const undone: Decision[] = [];
  const failed: string[] = [];
  for (const d of batch) {
    try {
      await engineClient().call('writes.withdraw', { id: d.mutationId });
      undone.push(d);
    } catch (error) {
      failed.push(`“${d.item.title}”: ${isOutpostError(error) ? error.message : String(error)}`);
    }
  }
  useInbox.setState((s) => ({
    decisions: s.decisions.filter((d) => !undone.includes(d)),
    returning: undone[0]?.item.key ?? s.returning,
  }));
  if (failed.length > 0) setNotice(`Could not undo ${failed.join('; ')}`, 'error');
  else
    setNotice(
      `Undone: ${undone.length === 1 ? `“${undone[0]?.item.title ?? ''}”` : `${undone.length} decisions`}.`,
    );
  // The item is back in the list once the live query re-runs: Inbox makes it active then.
}

/** Removes a decision from the list of decisions made here (after the user read its outcome). */
export function forgetDecision(mutationId: string): void {
  useInbox.setState((s) => ({ decisions: s.decisions.filter((d) => d.mutationId !== mutationId) }));
}

/** The list shows an item an undo brought back: it becomes the active one, with the focus. */
export function settleReturning(order: readonly InboxItem[]): void {
  const { returning } = useInbox.getState();
  if (returning === null || !order.some((i) => i.key === returning)) return;
  useInbox.setState({ active: returning, returning: null });
  requestAnimationFrame(() => reveal(returning));
}

export function focusSearch(): void {
  document.querySelector<HTMLInputElement>('[data-testid="inbox-search"]')?.focus();
}

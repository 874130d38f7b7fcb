/**
 * renderer/inbox/list-reveal.ts: how the inbox's actions (j / k, renderer/inbox/inbox-actions.ts) bring
 * an item into view in the virtualized list (InboxList.tsx) without importing it: the list registers
 * a revealer while mounted; a row rendered by it takes the focus itself.
 *
 * Guarantees: with no list mounted, a reveal does nothing.
 */

let revealer: ((key: string) => void) | null = null;

/** The mounted list's way to scroll to an item (null: none mounted). */
export function setRevealer(next: ((key: string) => void) | null): void {
  revealer = next;
}

/** Scrolls the list to the item `key` (rendering it if it was off screen). */
export function revealInList(key: string): void {
  revealer?.(key);
}

/**
 * renderer/inbox/saved-views.ts: the inbox's saved views: a named filter (kind, risk, requester,
 * assistant, search text) the user comes back to, kept on this device per account, offered beside the
 * filters and in the palette ("Inbox view: High risk").
 *
 * Guarantees: a name is 1–60 characters, unique ignoring case (saving an existing name replaces its
 * filter, like saving a file); at most MAX_VIEWS; what is stored is parsed on the way back, so a
 * damaged or foreign entry in storage yields no views instead of an error or a broken filter.
 */
import { z } from 'zod';
import { create } from 'zustand';
import { useEngine } from '../state/engine-store.ts';
import { NO_FILTER, type InboxFilter } from './inbox-model.ts';

export interface SavedView {
  readonly name: string;
  readonly filter: InboxFilter;
}

export const MAX_VIEWS = 20;

const storedViews = z.array(
  z.strictObject({
    name: z.string().min(1).max(60),
    filter: z.strictObject({
      kinds: z.array(z.enum(['approval', 'changeset', 'work_item'])),
      minRisk: z.number().int().min(0).max(5).nullable(),
      requesterId: z.string().nullable(),
      assistantId: z.string().nullable(),
      text: z.string().max(200),
    }),
  }),
);

export type SaveResult =
  | { readonly ok: true; readonly views: readonly SavedView[] }
  | { readonly ok: false; readonly problem: string };

/** The views stored under `raw` (a storage value; null: none). */
export function parseViews(raw: string | null): SavedView[] {
  if (!raw) return [];
  try {
    const parsed = storedViews.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** `views` with `filter` saved as `name` (replacing a view of the same name), or why not. */
export function withView(views: readonly SavedView[], name: string, filter: InboxFilter): SaveResult {
  const trimmed = name.trim();
  if (!trimmed) return { ok: false, problem: 'Name the view.' };
  if (trimmed.length > 60)
    return { ok: false, problem: `The name is ${trimmed.length} characters; 60 at most.` };
  if (JSON.stringify(filter) === JSON.stringify(NO_FILTER))
    return { ok: false, problem: 'Choose a filter or type a search first: this view shows everything.' };
  const same = (v: SavedView) => v.name.toLowerCase() === trimmed.toLowerCase();
  if (!views.some(same) && views.length >= MAX_VIEWS)
    return {
      ok: false,
      problem: `You have ${MAX_VIEWS} saved views, the most there can be; delete one first.`,
    };
  const view: SavedView = { name: trimmed, filter };
  return views.some(same)
    ? { ok: true, views: views.map((v) => (same(v) ? view : v)) }
    : { ok: true, views: [...views, view] };
}

/** The saved view whose filter is `filter`, if any. */
export function viewOf(views: readonly SavedView[], filter: InboxFilter): SavedView | null {
  const key = JSON.stringify(filter);
  return views.find((v) => JSON.stringify(v.filter) === key) ?? null;
}

const storageKey = (userId: string) => `outpost.inboxViews.${userId}`;

/** The signed-in account's saved views (empty when nobody is signed in). */
export const useSavedViews = create<{ readonly views: readonly SavedView[] }>()(() => ({ views: [] }));

function currentUser(): string | null {
  return useEngine.getState().session?.user.id ?? null;
}

function load(): void {
  const user = currentUser();
  useSavedViews.setState({
    views: user ? parseViews(globalThis.localStorage?.getItem(storageKey(user)) ?? null) : [],
  });
}

function store(views: readonly SavedView[]): void {
  const user = currentUser();
  if (user) globalThis.localStorage?.setItem(storageKey(user), JSON.stringify(views));
  useSavedViews.setState({ views });
}

/** Saves `filter` as `name` for this account; the problem in words when it cannot. */
export function saveView(name: string, filter: InboxFilter): string | null {
  const result = withView(useSavedViews.getState().views, name, filter);
  if (!result.ok) return result.problem;
  store(result.views);
  return null;
}

export function deleteView(name: string): void {
  store(useSavedViews.getState().views.filter((v) => v.name !== name));
}

load();
useEngine.subscribe((state, previous) => {
  if (state.session?.user.id !== previous.session?.user.id) load();
});

/**
 * renderer/workspaces/editor-tabs.ts: the editor's open files as plain data: which tabs are open and
 * in what order, which is active, each one's text, and what is unsaved or changed.
 *
 *   base text (the file when editing began) ──save──► saved text (the draft) ◄──edit── editor text
 *   dirty    the editor's text differs from the saved text (● on the tab; Mod+S saves)
 *   changed  the saved text differs from the base (a new file is always changed): part of the next
 *            changeset
 *
 * Pure: no React, no engine, no Monaco; every function returns a new state. Guarantees: a path is
 * open at most once; closing the active tab activates its right-hand neighbour (else the left);
 * `markSaved` only clears the dirty mark when the text saved is still the editor's text (a keystroke
 * during the save keeps the tab dirty).
 */
import type { WorkspaceDraftState } from '../../common/rpc/contract.ts';

export interface EditorTab {
  readonly path: string;
  readonly operation: WorkspaceDraftState['operation'];
  readonly base: string | null;
  readonly saved: string;
  readonly text: string;
}

export interface TabsState {
  readonly tabs: readonly EditorTab[];
  readonly active: string | null;
}

export const NO_TABS: TabsState = { tabs: [], active: null };

export const isDirty = (tab: EditorTab): boolean => tab.text !== tab.saved;

export const isChanged = (tab: EditorTab): boolean =>
  tab.operation !== 'modify' || tab.base === null || tab.saved !== tab.base;

/** The tab of a draft: the editor starts from its unsaved buffer when there is one. */
export function tabOfDraft(draft: WorkspaceDraftState): EditorTab {
  const saved = draft.savedContent ?? '';
  return {
    path: draft.path,
    operation: draft.operation,
    base: draft.baseContent,
    saved,
    text: draft.unsavedContent ?? saved,
  };
}

/** Opens (or activates) the tab of `draft`; an open tab keeps its text. */
export function openTab(state: TabsState, draft: WorkspaceDraftState): TabsState {
  if (state.tabs.some((t) => t.path === draft.path)) return { ...state, active: draft.path };
  return { tabs: [...state.tabs, tabOfDraft(draft)], active: draft.path };
}

export function activate(state: TabsState, path: string): TabsState {
  return state.tabs.some((t) => t.path === path) ? { ...state, active: path } : state;
}

const mapTab = (state: TabsState, path: string, change: (tab: EditorTab) => EditorTab): TabsState => ({
  ...state,
  tabs: state.tabs.map((t) => (t.path === path ? change(t) : t)),
});

/** The editor's text of `path` is now `text`. */
export const edit = (state: TabsState, path: string, text: string): TabsState =>
  mapTab(state, path, (t) => (t.text === text ? t : { ...t, text }));

/** `text` was saved as `path`'s draft. */
export const markSaved = (state: TabsState, path: string, text: string): TabsState =>
  mapTab(state, path, (t) => ({ ...t, saved: text }));

/** Closes `path`; the active tab moves to its neighbour when it was the active one. */
export function closeTab(state: TabsState, path: string): TabsState {
  const index = state.tabs.findIndex((t) => t.path === path);
  if (index < 0) return state;
  const tabs = state.tabs.filter((t) => t.path !== path);
  if (state.active !== path) return { tabs, active: state.active };
  const next = tabs[index] ?? tabs[index - 1] ?? null;
  return { tabs, active: next ? next.path : null };
}

/**
 * The label of each tab: its file name, with as many parent folders as it takes to tell two tabs of
 * the same name apart (`a/index.js` and `b/index.js` read `a/index.js` and `b/index.js`).
 */
export function tabLabels(paths: readonly string[]): Map<string, string> {
  const labels = new Map<string, string>();
  const parts = new Map(paths.map((p) => [p, p.split('/')]));
  for (const path of paths) {
    const mine = parts.get(path) ?? [path];
    let depth = 1;
    const clash = () =>
      paths.some(
        (other) =>
          other !== path && (parts.get(other) ?? []).slice(-depth).join('/') === mine.slice(-depth).join('/'),
      );
    while (depth < mine.length && clash()) depth += 1;
    labels.set(path, mine.slice(-depth).join('/'));
  }
  return labels;
}

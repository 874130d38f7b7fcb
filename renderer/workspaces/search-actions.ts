/**
 * renderer/workspaces/search-actions.ts: Quick open and the search across files, for their components
 * (QuickOpen.tsx, SearchPanel.tsx) and commands (renderer/workspaces/view.tsx).
 *
 *   Mod+P ─► Quick open shown ─► a path chosen ─► openFile (workspace-actions.ts) ─► editor focused
 *   Mod+Shift+F ─► the Search panel, its field focused (seeded with the editor's one-line selection)
 *   query or option changed ─► (pause of SEARCH_DELAY_MS) ─► runSearch:
 *     workspaces.fileTexts (read once, kept until the workspace's files change: filesChanged)
 *     + drafts.list + the editor's tabs ─► textsToValidate (what the author sees) ─► searchFiles
 *   an open file edited (followEdits, while the panel shows) ─► runSearch again once typing pauses
 *   a result chosen ─► requestReveal(line, column, length) + openFile ─► the match selected in Monaco
 *
 * Guarantees: a search's outcome is shown only if no newer search started since and the workspace is
 * still the same one; an invalid regular expression is reported without reading any file; a failure
 * to read the files is a sentence in the panel, never a thrown error.
 */
import { runQuery } from '../../common/rpc/domain.ts';
import type { WorkspaceFileText } from '../../common/workspaces/validate.ts';
import { engineClient, useEngine } from '../state/engine-store.ts';
import { editorSelection, focusEditor, requestReveal } from './editor-handle.ts';
import { compileSearch, searchFiles, type SearchMatch, type SearchQuery } from './file-search.ts';
import { textsToValidate } from './validation.ts';
import { messageOf, openFile } from './workspace-actions.ts';
import { useWorkspaceEditor, type FileSearchState } from './workspace-store.ts';

const store = useWorkspaceEditor;
/** Typing pauses this long before a search runs. */
export const SEARCH_DELAY_MS = 150;

const patchSearch = (patch: Partial<FileSearchState>) =>
  store.setState((s) => ({ search: { ...s.search, ...patch } }));

export function openQuickOpen(): void {
  if (store.getState().workspaceId) store.setState({ quickOpen: true });
}

export function closeQuickOpen(): void {
  store.setState({ quickOpen: false });
}

/** Quick open's choice: opens `path` and puts the keyboard in the editor. */
export function quickOpenFile(path: string): void {
  closeQuickOpen();
  void openFile(path).then(focusEditor);
}

/** Shows the Search panel and focuses its field; `seedFromEditor`: start from the selected text. */
export function showSearch(seedFromEditor: boolean): void {
  if (!store.getState().workspaceId) return;
  const seed = seedFromEditor ? editorSelection() : null;
  store.setState((s) => ({
    panel: 'search',
    search: {
      ...s.search,
      query: seed ? { ...s.search.query, text: seed } : s.search.query,
      focusRequest: s.search.focusRequest + 1,
    },
  }));
  if (seed) scheduleSearch(0);
}

let timer: ReturnType<typeof setTimeout> | null = null;
let latest = 0;

/** Runs the search once typing pauses (`delay` ms after the last call). */
export function scheduleSearch(delay = SEARCH_DELAY_MS): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void runSearch();
  }, delay);
}

/** Changes the query or its options and searches again once typing pauses. */
export function changeSearch(patch: Partial<SearchQuery>): void {
  store.setState((s) => ({ search: { ...s.search, query: { ...s.search.query, ...patch } } }));
  scheduleSearch();
}

// The workspace's file texts, read once per version of its file list.
let texts: { workspaceId: string; files: Promise<readonly WorkspaceFileText[]> } | null = null;

function fileTexts(workspaceId: string): Promise<readonly WorkspaceFileText[]> {
  if (texts?.workspaceId !== workspaceId) {
    const files = runQuery(engineClient(), {
      name: 'workspaces.fileTexts',
      params: { workspaceId, tenantId: useEngine.getState().scope },
    });
    texts = { workspaceId, files };
    // A failed read is not kept: the next search reads again.
    files.catch(() => {
      if (texts?.files === files) texts = null;
    });
  }
  return texts.files;
}

/** The workspace's files changed (workspaces.files answered anew): the next search reads them again. */
export function filesChanged(): void {
  texts = null;
  if (store.getState().search.query.text !== '') scheduleSearch();
}

/** Searches the files as the author sees them now with the current query. */
export async function runSearch(): Promise<void> {
  const { workspaceId, search } = store.getState();
  if (!workspaceId) return;
  const run = ++latest;
  const query = search.query;
  const compiled = compileSearch(query);
  if (compiled === null || !(compiled instanceof RegExp)) {
    // Empty, or not a valid regular expression: said at once, no file read.
    patchSearch({ outcome: searchFiles([], query), searching: false, failure: null });
    return;
  }
  patchSearch({ searching: true });
  try {
    const [files, drafts] = await Promise.all([
      fileTexts(workspaceId),
      engineClient().call('drafts.list', { workspaceId }),
    ]);
    if (run !== latest || store.getState().workspaceId !== workspaceId) return;
    const outcome = searchFiles(textsToValidate(files, drafts, store.getState().tabs.tabs), query);
    patchSearch({ outcome, searching: false, failure: null });
  } catch (error) {
    if (run !== latest || store.getState().workspaceId !== workspaceId) return;
    patchSearch({ searching: false, failure: `Could not read the files to search: ${messageOf(error)}` });
  }
}

/** Opens a result's file with the match selected. */
export function openSearchResult(path: string, match: SearchMatch): void {
  requestReveal(path, match.line, match.column, match.length);
  void openFile(path);
}

/** Whether an open file's text changed between two states of the tabs (not just which is active). */
function textsChanged(
  now: readonly { path: string; text: string }[],
  before: readonly { path: string; text: string }[],
) {
  if (now.length !== before.length) return true;
  const old = new Map(before.map((t) => [t.path, t.text]));
  return now.some((t) => old.get(t.path) !== t.text);
}

/**
 * Searches again when the author edits an open file (once typing pauses), so the results stay those
 * of the texts on screen; returns the function that stops following.
 */
export function followEdits(): () => void {
  return store.subscribe((state, previous) => {
    if (state.tabs === previous.tabs || state.search.query.text === '') return;
    if (textsChanged(state.tabs.tabs, previous.tabs.tabs)) scheduleSearch(4 * SEARCH_DELAY_MS);
  });
}

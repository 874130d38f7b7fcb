/**
 * renderer/workspaces/workspace-actions.ts: what the workspace editor does, for its components and
 * its commands (renderer/workspaces/view.tsx): enter a workspace, open, edit, save and close files,
 * validate, and make a changeset of the drafts.
 *
 *   open file ─► drafts.open (the draft, or one started from the file) ─► a tab, first of the recent files
 *   keystroke ─► the tab's text ─► DraftWriter: drafts.keep once typing pauses (never the outbox)
 *   Mod+S ─► drafts.save                     Validate ─► workspaces.fileTexts + drafts + tabs ─► problems
 *   Create changeset ─► keeps and saves every open file ─► drafts.propose (changeset.create, queued)
 *
 * Guarantees: a keystroke is only ever a drafts.keep (local table editor.workspace_drafts); the one
 * outbox write here is drafts.propose; closing a tab keeps its unsaved text in the draft. Every
 * failure becomes a sentence in the editor's notice (the core's message, which says what to do).
 */
import { isOutpostError } from '../../common/errors.ts';
import { runQuery } from '../../common/rpc/domain.ts';
import { navigate } from '../app/routes.ts';
import { engineClient, useEngine } from '../state/engine-store.ts';
import { DraftWriter } from './draft-writer.ts';
import { closeTab as closedTab, edit, isDirty, markSaved, openTab, activate } from './editor-tabs.ts';
import { foldersAbove } from './file-tree.ts';
import { workspacesAddress } from './route.ts';
import { EMPTY_WORKSPACE, useWorkspaceEditor, type WorkspacePanel } from './workspace-store.ts';
import { textsToValidate } from './validation.ts';

const store = useWorkspaceEditor;
/** The sentence of a failure: the core's message (which says what to do), else the error's text. */
export const messageOf = (error: unknown) => (isOutpostError(error) ? error.message : String(error));
/** Quick open lists this many recently opened files first. */
const RECENT_FILES = 50;
const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function say(text: string, tone: 'info' | 'error' = 'info'): void {
  store.setState({ notice: { text, tone } });
}

function currentWorkspace(): string | null {
  return store.getState().workspaceId;
}

let writer: DraftWriter | null = null;

function writerFor(workspaceId: string): DraftWriter {
  writer = new DraftWriter(
    {
      keep: async (path, text) => {
        await engineClient().call('drafts.keep', { workspaceId, path, text });
        void refreshDrafts();
      },
      save: async (path, text) => {
        await engineClient().call('drafts.save', { workspaceId, path, text });
      },
    },
    (path, error) =>
      say(`Could not keep your edit of ${fileName(path)} on this device: ${messageOf(error)}`, 'error'),
  );
  return writer;
}

/** Reads this user's drafts in the open workspace again (after a save, a changeset). */
export async function refreshDrafts(): Promise<void> {
  const workspaceId = currentWorkspace();
  if (!workspaceId) return;
  try {
    const drafts = await engineClient().call('drafts.list', { workspaceId });
    if (currentWorkspace() === workspaceId) store.setState({ drafts });
  } catch (error) {
    say(`Could not read your drafts: ${messageOf(error)}`, 'error');
  }
}

/** Shows `workspaceId` (null: the list); the previous workspace's pending edits are kept first. */
export function enterWorkspace(workspaceId: string | null): void {
  if (currentWorkspace() === workspaceId) return;
  const previous = writer;
  void previous?.flush();
  writer = workspaceId ? writerFor(workspaceId) : null;
  store.setState({ ...EMPTY_WORKSPACE, workspaceId });
  void refreshDrafts();
}

/** Opens `path` in a tab (from its draft) and shows it in the tree and the address bar. */
export async function openFile(path: string): Promise<void> {
  const workspaceId = currentWorkspace();
  if (!workspaceId) return;
  const open = store.getState().tabs.tabs.some((t) => t.path === path);
  if (!open) {
    try {
      const draft = await engineClient().call('drafts.open', { workspaceId, path });
      if (currentWorkspace() !== workspaceId) return;
      store.setState((s) => ({ tabs: openTab(s.tabs, draft) }));
      void refreshDrafts();
    } catch (error) {
      say(`Could not open ${path}: ${messageOf(error)}`, 'error');
      return;
    }
  } else store.setState((s) => ({ tabs: activate(s.tabs, path) }));
  store.setState((s) => ({
    expanded: new Set([...s.expanded, ...foldersAbove(path)]),
    treeFocus: path,
    recent: [path, ...s.recent.filter((p) => p !== path)].slice(0, RECENT_FILES),
  }));
  navigate(workspacesAddress, { workspaceId, path });
}

/** The editor's text of `path` changed (a keystroke, a paste, a replace). */
export function editFile(path: string, text: string): void {
  const before = store.getState().tabs;
  const tabs = edit(before, path, text);
  if (tabs === before) return;
  store.setState({ tabs });
  writer?.schedule(path, text);
}

async function saveTab(path: string): Promise<boolean> {
  const tab = store.getState().tabs.tabs.find((t) => t.path === path);
  if (!tab || !writer) return true;
  const text = tab.text;
  try {
    await writer.save(path, text);
  } catch (error) {
    say(`Could not save ${fileName(path)}: ${messageOf(error)}`, 'error');
    return false;
  }
  store.setState((s) => ({ tabs: markSaved(s.tabs, path, text) }));
  void refreshDrafts();
  return true;
}

/** Saves the active file (Mod+S). */
export async function saveActive(): Promise<void> {
  const active = store.getState().tabs.active;
  if (!active) return;
  if (await saveTab(active)) say(`Saved ${fileName(active)} as a draft on this device.`);
}

/** Saves every open file with unsaved edits; false when one failed. */
export async function saveAll(): Promise<boolean> {
  const dirty = store
    .getState()
    .tabs.tabs.filter(isDirty)
    .map((t) => t.path);
  for (const path of dirty) if (!(await saveTab(path))) return false;
  return true;
}

/** Closes `path`'s tab; its unsaved text stays in the draft and comes back when it is opened again. */
export async function closeFile(path: string): Promise<void> {
  await writer?.flush();
  store.setState((s) => ({ tabs: closedTab(s.tabs, path) }));
  const workspaceId = currentWorkspace();
  if (workspaceId) navigate(workspacesAddress, { workspaceId, path: store.getState().tabs.active });
}

/** Keeps every pending edit in its draft now (before a rename or delete reads the draft). */
export async function flushEdits(): Promise<void> {
  await writer?.flush();
}

export function closeActive(): void {
  const active = store.getState().tabs.active;
  if (active) void closeFile(active);
}

export function showPanel(panel: WorkspacePanel): void {
  store.setState({ panel });
}

/** Validates the workspace as the author sees it now (common/workspaces/validate.ts). */
export async function validate(): Promise<void> {
  const workspaceId = currentWorkspace();
  if (!workspaceId) return;
  store.setState({ validating: true, panel: 'problems' });
  try {
    await writer?.flush();
    // Loaded on first use: acorn and the SDF checks stay out of the app's first download.
    const [{ validateWorkspace }, files, drafts] = await Promise.all([
      import('../../common/workspaces/validate.ts'),
      runQuery(engineClient(), {
        name: 'workspaces.fileTexts',
        params: { workspaceId, tenantId: useEngine.getState().scope },
      }),
      engineClient().call('drafts.list', { workspaceId }),
    ]);
    const problems = validateWorkspace(textsToValidate(files, drafts, store.getState().tabs.tabs));
    if (currentWorkspace() === workspaceId)
      store.setState({ problems, drafts, validatedAt: Date.now(), validating: false });
  } catch (error) {
    store.setState({ validating: false });
    say(`Could not validate: ${messageOf(error)}`, 'error');
  }
}

export function openChangesetForm(): void {
  if (!currentWorkspace()) return;
  store.setState({ formOpen: true });
}

export function closeChangesetForm(): void {
  store.setState({ formOpen: false });
}

/**
 * Makes a changeset of the saved drafts (unsaved edits of open files are saved first). Resolves to
 * null when created, else the sentence to show in the form.
 */
export async function proposeChangeset(values: {
  readonly title: string;
  readonly description?: string;
}): Promise<string | null> {
  const workspaceId = currentWorkspace();
  if (!workspaceId) return 'Open a workspace first.';
  await writer?.flush();
  if (!(await saveAll())) return 'An unsaved edit could not be saved; see the message above the editor.';
  try {
    const { paths } = await engineClient().call('drafts.propose', { workspaceId, ...values });
    const proposed = new Set(paths);
    store.setState((s) => {
      let tabs = s.tabs;
      for (const path of proposed) tabs = closedTab(tabs, path);
      return { tabs, formOpen: false, panel: 'changesets' };
    });
    say(
      `Changeset “${values.title}” created with ${paths.length} ${paths.length === 1 ? 'file' : 'files'}. ` +
        'It is queued on this device and sent when online; the workspace’s files change once it is applied.',
    );
    navigate(workspacesAddress, { workspaceId, path: store.getState().tabs.active });
    await refreshDrafts();
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

export function dismissNotice(): void {
  store.setState({ notice: null });
}

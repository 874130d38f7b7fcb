/**
 * renderer/workspaces/file-actions.ts: new file, rename (or move) and delete in the workspace editor,
 * each only a change of the author's drafts (drafts.create / rename / delete), so it becomes a
 * changeset patch (create, modify, delete) when the author makes one, never a direct write.
 *
 *   New file…  (tree: the focused folder)  ─► path checked (file-paths.ts) ─► drafts.create ─► opened
 *   Rename…    (F2 on a file)              ─► path checked ─► drafts.rename ─► the old tab closes, the
 *                                             new path opens (A new, D old in the tree)
 *   Delete     (Delete on a file, asked)   ─► drafts.delete ─► its tab closes (D in the tree)
 *
 * Guarantees: a path is checked before any call (the core refuses a taken path again); a failure is a
 * sentence in the dialog, which stays open with what was typed; an open file's unsaved text is kept
 * into its draft before a rename or delete reads it.
 */
import { create } from 'zustand';
import { isOutpostError } from '../../common/errors.ts';
import { engineClient } from '../state/engine-store.ts';
import { closeFile, flushEdits, openFile, refreshDrafts } from './workspace-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';
import { folderOf, pathProblem } from './file-paths.ts';

export type FileDialog =
  | { readonly kind: 'new'; readonly initial: string }
  | { readonly kind: 'rename'; readonly from: string }
  | { readonly kind: 'delete'; readonly path: string };

interface FileDialogState {
  readonly dialog: FileDialog | null;
  readonly error: string | null;
  readonly busy: boolean;
}

export const useFileDialog = create<FileDialogState>()(() => ({ dialog: null, error: null, busy: false }));

const messageOf = (error: unknown) => (isOutpostError(error) ? error.message : String(error));

export function closeFileDialog(): void {
  useFileDialog.setState({ dialog: null, error: null, busy: false });
}

function isFile(path: string | null): path is string {
  return path !== null && !path.endsWith('/');
}

export function newFile(): void {
  if (!useWorkspaceEditor.getState().workspaceId) return;
  useFileDialog.setState({
    dialog: { kind: 'new', initial: folderOf(useWorkspaceEditor.getState().treeFocus) },
    error: null,
  });
}

/** Rename the file `path` (default: the tree's focused file, else the open one). */
export function renameFile(path: string | null = null): void {
  const { treeFocus, tabs } = useWorkspaceEditor.getState();
  const from = path ?? (isFile(treeFocus) ? treeFocus : tabs.active);
  if (from) useFileDialog.setState({ dialog: { kind: 'rename', from }, error: null });
}

export function deleteFile(path: string | null = null): void {
  const { treeFocus, tabs } = useWorkspaceEditor.getState();
  const target = path ?? (isFile(treeFocus) ? treeFocus : tabs.active);
  if (target) useFileDialog.setState({ dialog: { kind: 'delete', path: target }, error: null });
}

async function run(step: (workspaceId: string) => Promise<void>): Promise<void> {
  const workspaceId = useWorkspaceEditor.getState().workspaceId;
  if (!workspaceId || useFileDialog.getState().busy) return;
  useFileDialog.setState({ busy: true, error: null });
  try {
    await step(workspaceId);
    closeFileDialog();
    await refreshDrafts();
  } catch (error) {
    useFileDialog.setState({ busy: false, error: messageOf(error) });
  }
}

/** Carries out the open dialog with `path` (the new path for new and rename). */
export function confirmFileDialog(path: string, taken: ReadonlySet<string>): Promise<void> {
  const dialog = useFileDialog.getState().dialog;
  if (!dialog) return Promise.resolve();
  if (dialog.kind !== 'delete') {
    const problem = pathProblem(path, taken, dialog.kind === 'rename' ? dialog.from : null);
    if (problem) {
      useFileDialog.setState({ error: problem });
      return Promise.resolve();
    }
  }
  const to = path.trim();
  return run(async (workspaceId) => {
    const client = engineClient();
    if (dialog.kind === 'new') {
      await client.call('drafts.create', { workspaceId, path: to, text: '' });
      await openFile(to);
    } else if (dialog.kind === 'rename') {
      await flushEdits();
      await client.call('drafts.rename', { workspaceId, from: dialog.from, to });
      await closeFile(dialog.from);
      await openFile(to);
    } else {
      await flushEdits();
      await client.call('drafts.delete', { workspaceId, path: dialog.path });
      await closeFile(dialog.path);
    }
  });
}

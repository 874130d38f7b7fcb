/**
 * renderer/workspaces/workspace-store.ts: the workspace editor's state, one zustand store: the open
 * workspace, its tree's expanded folders and focus, the editor's tabs, this user's drafts there, the
 * last validation's problems, which panel shows and whether the changeset form is open.
 *
 * Guarantees: only renderer/workspaces/workspace-actions.ts changes it (views read it); entering
 * another workspace resets everything of the previous one, so tabs, drafts and problems never mix two
 * workspaces. The texts here are the editor's; the durable copy is the core's drafts table.
 */
import { create } from 'zustand';
import type { WorkspaceDraftState } from '../../common/rpc/contract.ts';
import type { ValidationProblem } from '../../common/workspaces/problem.ts';
import { NO_TABS, type TabsState } from './editor-tabs.ts';

export type WorkspacePanel = 'problems' | 'changesets';

export interface WorkspaceEditorState {
  readonly workspaceId: string | null;
  readonly tabs: TabsState;
  /** This user's drafts in the workspace (drafts.list), by path; null until read. */
  readonly drafts: readonly WorkspaceDraftState[] | null;
  readonly expanded: ReadonlySet<string>;
  /** The tree row with the keyboard focus (a file path or a folder id ending in `/`). */
  readonly treeFocus: string | null;
  /** The last validation's problems; null: not validated since the workspace was opened. */
  readonly problems: readonly ValidationProblem[] | null;
  readonly validating: boolean;
  /** When the last validation ran (epoch ms). */
  readonly validatedAt: number | null;
  readonly panel: WorkspacePanel;
  readonly formOpen: boolean;
  /** A sentence about the last action (saved, failed, created), shown above the editor. */
  readonly notice: { readonly text: string; readonly tone: 'info' | 'error' } | null;
}

export const EMPTY_WORKSPACE: WorkspaceEditorState = {
  workspaceId: null,
  tabs: NO_TABS,
  drafts: null,
  expanded: new Set(),
  treeFocus: null,
  problems: null,
  validating: false,
  validatedAt: null,
  panel: 'changesets',
  formOpen: false,
  notice: null,
};

export const useWorkspaceEditor = create<WorkspaceEditorState>()(() => EMPTY_WORKSPACE);

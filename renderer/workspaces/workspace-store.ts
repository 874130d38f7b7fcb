/**
 * renderer/workspaces/workspace-store.ts: the workspace editor's state, one zustand store: the open
 * workspace, its tree's expanded folders and focus, the editor's tabs and the files opened lately,
 * this user's drafts there, the last validation's problems, the search across files, which panel
 * shows (and which run it opened), and whether Quick open or the changeset form is open.
 *
 * Guarantees: only renderer/workspaces/workspace-actions.ts, search-actions.ts (Quick open, the
 * search) and run-actions.ts (runs of record) change it (views read it); entering another workspace resets everything of the previous
 * one, so tabs, drafts, problems and search results never mix two workspaces. The texts here are the
 * editor's; the durable copy is the core's drafts table.
 */
import { create } from 'zustand';
import type { WorkspaceDraftState } from '../../common/rpc/contract.ts';
import type { ValidationProblem } from '../../common/workspaces/problem.ts';
import { NO_TABS, type TabsState } from './editor-tabs.ts';
import type { SearchOutcome, SearchQuery } from './file-search.ts';

export type WorkspacePanel = 'problems' | 'changesets' | 'search' | 'runs';

export interface FileSearchState {
  readonly query: SearchQuery;
  /** The last search's outcome (of the query as it was then). */
  readonly outcome: SearchOutcome;
  readonly searching: boolean;
  /** Why the files could not be read for the last search (the core's sentence); null when they were. */
  readonly failure: string | null;
  /** Incremented to ask the panel to focus its query field (Mod+Shift+F). */
  readonly focusRequest: number;
}

export interface WorkspaceEditorState {
  readonly workspaceId: string | null;
  readonly tabs: TabsState;
  /** The files opened in this workspace, most recent first (Quick open lists them first). */
  readonly recent: readonly string[];
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
  readonly search: FileSearchState;
  readonly quickOpen: boolean;
  readonly formOpen: boolean;
  /** The run whose artifacts the runs panel shows; null: the list. */
  readonly openRun: string | null;
  /** Runs asked for on this device since the workspace was opened: run id ─► the request's mutation id. */
  readonly requestedRuns: Readonly<Record<string, string>>;
  /** A sentence about the last action (saved, failed, created), shown above the editor. */
  readonly notice: { readonly text: string; readonly tone: 'info' | 'error' } | null;
}

export const EMPTY_WORKSPACE: WorkspaceEditorState = {
  workspaceId: null,
  tabs: NO_TABS,
  recent: [],
  drafts: null,
  expanded: new Set(),
  treeFocus: null,
  problems: null,
  validating: false,
  validatedAt: null,
  panel: 'changesets',
  search: {
    query: { text: '', matchCase: false, wholeWord: false, regex: false },
    outcome: { kind: 'idle' },
    searching: false,
    failure: null,
    focusRequest: 0,
  },
  quickOpen: false,
  formOpen: false,
  openRun: null,
  requestedRuns: {},
  notice: null,
};

export const useWorkspaceEditor = create<WorkspaceEditorState>()(() => EMPTY_WORKSPACE);

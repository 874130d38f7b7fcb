/**
 * renderer/workspaces/validation.ts: what "Validate" checks and how its problems reach Monaco.
 *
 *   workspace files (workspaces.fileTexts) ─┐
 *   this user's drafts (saved, else unsaved) ├─► the texts as the author sees them ─► validateWorkspace
 *   the editor's open tabs (what is on screen)┘       (common/workspaces/validate.ts)     ─► problems
 *   problems of a file ─► markersOf ─► Monaco markers (1-based lines and columns, as Monaco's)
 *
 * Pure: no React, no engine, no Monaco (markers are plain objects Monaco's setModelMarkers takes).
 * Guarantees: the editor's text wins over a draft and a draft over the workspace's file; a file a
 * draft deletes is not validated; a new file of a draft is.
 */
import type { WorkspaceDraftState } from '../../common/rpc/contract.ts';
import type { ValidationProblem } from '../../common/workspaces/problem.ts';
import type { WorkspaceFileText } from '../../common/workspaces/validate.ts';
import type { EditorTab } from './editor-tabs.ts';

/** The files as the author sees them now, by path. */
export function textsToValidate(
  files: readonly WorkspaceFileText[],
  drafts: readonly WorkspaceDraftState[],
  tabs: readonly EditorTab[],
): WorkspaceFileText[] {
  const texts = new Map(files.map((f) => [f.path, f.content]));
  for (const draft of drafts) {
    if (draft.operation === 'delete') texts.delete(draft.path);
    else texts.set(draft.path, draft.unsavedContent ?? draft.savedContent ?? '');
  }
  for (const tab of tabs) if (tab.operation !== 'delete') texts.set(tab.path, tab.text);
  return [...texts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, content]) => ({ path, content }));
}

/** Monaco's MarkerSeverity values (monaco.MarkerSeverity.Error / Warning). */
export const MARKER_SEVERITY = { error: 8, warning: 4 } as const;

export interface ProblemMarker {
  readonly severity: number;
  readonly message: string;
  readonly code: string;
  readonly source: string;
  readonly startLineNumber: number;
  readonly startColumn: number;
  readonly endLineNumber: number;
  readonly endColumn: number;
}

/** The markers of `path`: each problem underlines from its column to the end of the word there. */
export function markersOf(problems: readonly ValidationProblem[], path: string): ProblemMarker[] {
  return problems
    .filter((p) => p.path === path)
    .map((p) => ({
      severity: MARKER_SEVERITY[p.severity],
      message: p.message,
      code: p.code,
      source: 'Validate',
      startLineNumber: Math.max(1, p.line),
      startColumn: Math.max(1, p.column),
      endLineNumber: Math.max(1, p.line),
      endColumn: Math.max(1, p.column) + 1,
    }));
}

/** "2 errors, 1 warning" / "No problems". */
export function problemsSummary(problems: readonly ValidationProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (problems.length === 0) return 'No problems';
  const parts = [];
  if (errors) parts.push(`${errors} ${errors === 1 ? 'error' : 'errors'}`);
  if (warnings) parts.push(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
  return parts.join(', ');
}

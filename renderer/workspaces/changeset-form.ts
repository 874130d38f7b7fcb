/**
 * renderer/workspaces/changeset-form.ts: the "Create changeset" form as plain data: its fields, and how
 * they become the arguments of `drafts.propose` (changeset.create of the saved drafts) or a sentence
 * per field that says what is wrong, before anything is sent. changeset.create checks the same limits
 * again (common/mutations/changeset-create.ts: a title of 1 to 500 characters, a description of at
 * most 10,000); this lets the form say so at once, next to the field.
 *
 * Pure: no React, no engine.
 */
import type { WorkspaceDraftState } from '../../common/rpc/contract.ts';
import type { EditorTab } from './editor-tabs.ts';

export interface ChangesetFormFields {
  readonly title: string;
  readonly description: string;
}

export type ChangesetField = keyof ChangesetFormFields | 'files';

export const TITLE_MAX = 500;
export const DESCRIPTION_MAX = 10_000;

export type ChangesetFormCheck =
  | { readonly ok: true; readonly values: { readonly title: string; readonly description?: string } }
  | { readonly ok: false; readonly problems: Partial<Record<ChangesetField, string>> };

const count = (n: number) => n.toLocaleString('en-US');

/** The form's values, or what is wrong with each field; `changedFiles` is how many files it would hold. */
export function checkChangesetForm(fields: ChangesetFormFields, changedFiles: number): ChangesetFormCheck {
  const problems: Partial<Record<ChangesetField, string>> = {};
  const title = fields.title.trim();
  const description = fields.description.trim();
  if (title.length === 0) problems.title = 'Give the changeset a title: what does it change, and why?';
  else if (title.length > TITLE_MAX)
    problems.title = `The title is ${count(title.length)} characters; ${count(TITLE_MAX)} at most.`;
  if (description.length > DESCRIPTION_MAX)
    problems.description = `The description is ${count(description.length)} characters; ${count(DESCRIPTION_MAX)} at most.`;
  if (changedFiles === 0)
    problems.files = 'No file differs from the workspace: edit a file first, then create the changeset.';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, values: description ? { title, description } : { title } };
}

export interface ChangedFile {
  readonly path: string;
  readonly operation: WorkspaceDraftState['operation'];
}

/**
 * The files a changeset made now would hold, by path: each draft's text as the editor has it (an open
 * tab's text, else the draft's unsaved text, else its saved text) where it differs from the base; a new
 * or deleted file always.
 */
export function changedFiles(
  drafts: readonly WorkspaceDraftState[],
  tabs: readonly EditorTab[],
): ChangedFile[] {
  const current = new Map<
    string,
    { operation: ChangedFile['operation']; base: string | null; text: string | null }
  >();
  for (const d of drafts)
    current.set(d.path, {
      operation: d.operation,
      base: d.baseContent,
      text: d.unsavedContent ?? d.savedContent,
    });
  for (const t of tabs) current.set(t.path, { operation: t.operation, base: t.base, text: t.text });
  return [...current.entries()]
    .filter(([, f]) => f.operation !== 'modify' || f.text !== f.base)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, f]) => ({ path, operation: f.operation }));
}

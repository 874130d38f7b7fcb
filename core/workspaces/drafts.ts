/**
 * core/workspaces/drafts.ts: the workspace editor's drafts in the local, never-synced table
 * `editor.workspace_drafts` (migration 0321), and the changeset made from them.
 *
 *   openDraft(db, scope, path)        the draft of a file, started from the file's current content
 *                                     (its base text and SHA-256) or as a new file when there is none
 *   keepUnsaved(db, scope, path, t)   the editor's buffer (autosave): survives closing the app
 *   saveDraft(db, scope, path, t)     the saved text; the unsaved buffer is cleared
 *   deleteFile(db, scope, path)       the draft becomes a delete of the file (a new file's draft goes)
 *   createFile(db, scope, path, t)    a new file's draft (refused when the path is taken)
 *   renameFile(db, scope, from, to)   a new file `to` with `from`'s text, then `from` deleted
 *   listDrafts(db, scope)             the user's drafts in the workspace, by path
 *   discardDrafts(db, scope, paths)   drops drafts (after a changeset was made of them, or on revert)
 *   createChangesetFromDrafts(db, actor, scope, { title, description? })
 *       changeset.create (runLocalNamedMutation: optimistic, queued for the server) of the saved
 *       drafts, one patch per file (common/workspaces/changeset-input.ts); then those drafts go
 *
 * Guarantees: nothing here writes a synced table or the outbox except changeset.create itself, so a
 * keystroke never becomes a mutation; every statement is scoped to the user, workspace and path. A
 * crash between the changeset and discarding its drafts leaves the drafts (nothing is lost; the user
 * sees them as still pending and may discard them).
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { OutpostError } from '../../common/errors.ts';
import { toPgArrayLiteral } from '../../common/sync/pg-array-literal.ts';
import type { MutationActor } from '../../common/mutations/types.ts';
import { changesetFiles, type WorkspaceDraft } from '../../common/workspaces/changeset-input.ts';
import { contentSha256 } from '../../common/workspaces/patch.ts';
import { runLocalNamedMutation, type LocalOperationDatabase } from '../outbox/local-operation.ts';

export interface DraftScope {
  readonly userId: string;
  readonly tenantId: string;
  readonly workspaceId: string;
}

type Db = Pick<PGliteInterface, 'query'>;

export interface StoredDraft extends WorkspaceDraft {
  /** The editor's buffer when it differs from the saved text; null when all is saved. */
  readonly unsavedContent: string | null;
}

interface DraftRow {
  path: string;
  operation: WorkspaceDraft['operation'];
  base_content: string | null;
  base_sha256: string | null;
  saved_content: string | null;
  unsaved_content: string | null;
}

const toDraft = (r: DraftRow): StoredDraft => ({
  path: r.path,
  operation: r.operation,
  baseContent: r.base_content,
  baseSha256: r.base_sha256,
  savedContent: r.saved_content,
  unsavedContent: r.unsaved_content,
});

const SCOPE = `user_id = $1 AND workspace_id = $2`;
const COLUMNS = `path, operation, base_content, base_sha256, saved_content, unsaved_content`;

async function draftOf(db: Db, scope: DraftScope, path: string): Promise<StoredDraft | null> {
  const { rows } = await db.query<DraftRow>(
    `SELECT ${COLUMNS} FROM editor.workspace_drafts WHERE ${SCOPE} AND path = $3`,
    [scope.userId, scope.workspaceId, path],
  );
  return rows[0] ? toDraft(rows[0]) : null;
}

export async function openDraft(db: Db, scope: DraftScope, path: string): Promise<StoredDraft> {
  const existing = await draftOf(db, scope, path);
  if (existing) return existing;
  const { rows } = await db.query<{ content: string | null }>(
    `SELECT content FROM workspace_files WHERE workspace_id = $1 AND tenant_id = $2 AND path = $3`,
    [scope.workspaceId, scope.tenantId, path],
  );
  const file = rows[0];
  const base = file ? (file.content ?? '') : null;
  await db.query(
    `INSERT INTO editor.workspace_drafts (user_id, tenant_id, workspace_id, path, operation, base_content,
            base_sha256, saved_content)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $6)`,
    [
      scope.userId,
      scope.tenantId,
      scope.workspaceId,
      path,
      file ? 'modify' : 'create',
      base,
      base === null ? null : await contentSha256(base),
    ],
  );
  return (await draftOf(db, scope, path)) as StoredDraft;
}

async function update(
  db: Db,
  scope: DraftScope,
  path: string,
  set: string,
  params: unknown[],
): Promise<void> {
  const { affectedRows } = await db.query(
    `UPDATE editor.workspace_drafts SET ${set}, updated_at = now() WHERE ${SCOPE} AND path = $3`,
    [scope.userId, scope.workspaceId, path, ...params],
  );
  if (!affectedRows)
    throw new OutpostError('not_found', `There is no draft of ${path}; open the file first.`);
}

export const keepUnsaved = (db: Db, scope: DraftScope, path: string, text: string) =>
  update(db, scope, path, `unsaved_content = $4`, [text]);

export const saveDraft = (db: Db, scope: DraftScope, path: string, text: string) =>
  update(db, scope, path, `saved_content = $4, unsaved_content = NULL`, [text]);

export async function deleteFile(db: Db, scope: DraftScope, path: string): Promise<void> {
  const draft = await openDraft(db, scope, path);
  if (draft.operation === 'create') await discardDrafts(db, scope, [path]);
  else
    await update(db, scope, path, `operation = 'delete', saved_content = NULL, unsaved_content = NULL`, []);
}

async function fileExists(db: Db, scope: DraftScope, path: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM workspace_files WHERE workspace_id = $1 AND tenant_id = $2 AND path = $3`,
    [scope.workspaceId, scope.tenantId, path],
  );
  return rows.length > 0;
}

/** Whether `path` is taken: a file of the workspace (not being deleted by a draft) or a draft's new file. */
async function taken(db: Db, scope: DraftScope, path: string): Promise<boolean> {
  const draft = await draftOf(db, scope, path);
  if (draft) return draft.operation !== 'delete';
  return fileExists(db, scope, path);
}

/** A new file's draft holding `text` (saved); `conflict` when the path is taken. */
export async function createFile(db: Db, scope: DraftScope, path: string, text = ''): Promise<StoredDraft> {
  if (await taken(db, scope, path))
    throw new OutpostError('conflict', `${path} already exists in this workspace; choose another name.`, {
      path,
    });
  // A deleted file brought back: its draft becomes a modify of the file again.
  const deleted = await draftOf(db, scope, path);
  if (deleted)
    await update(db, scope, path, `operation = 'modify', saved_content = $4, unsaved_content = NULL`, [text]);
  else {
    await openDraft(db, scope, path);
    await saveDraft(db, scope, path, text);
  }
  return (await draftOf(db, scope, path)) as StoredDraft;
}

/**
 * Moves `from` to `to`: a new file `to` with `from`'s current text (its draft's unsaved, else saved
 * text, else the file's), then `from` deleted (a new file's draft just goes). `to` first, so a
 * failure between the two leaves both, never neither: no text is lost.
 */
export async function renameFile(db: Db, scope: DraftScope, from: string, to: string): Promise<StoredDraft> {
  if (from === to) throw new OutpostError('validation', `${from} already has that name.`);
  const source = await draftOf(db, scope, from);
  if (source?.operation === 'delete' || (!source && !(await fileExists(db, scope, from))))
    throw new OutpostError('not_found', `There is no file ${from} to rename.`, { path: from });
  const text = source
    ? (source.unsavedContent ?? source.savedContent ?? '')
    : ((await openDraft(db, scope, from)).savedContent ?? '');
  const moved = await createFile(db, scope, to, text);
  await deleteFile(db, scope, from);
  return moved;
}

export async function listDrafts(db: Db, scope: DraftScope): Promise<StoredDraft[]> {
  const { rows } = await db.query<DraftRow>(
    `SELECT ${COLUMNS} FROM editor.workspace_drafts WHERE ${SCOPE} ORDER BY path`,
    [scope.userId, scope.workspaceId],
  );
  return rows.map(toDraft);
}

export async function discardDrafts(db: Db, scope: DraftScope, paths: readonly string[]): Promise<void> {
  await db.query(`DELETE FROM editor.workspace_drafts WHERE ${SCOPE} AND path = ANY ($3::text[])`, [
    scope.userId,
    scope.workspaceId,
    toPgArrayLiteral(paths),
  ]);
}

export async function createChangesetFromDrafts(
  db: LocalOperationDatabase,
  actor: MutationActor,
  scope: DraftScope,
  details: { readonly title: string; readonly description?: string },
): Promise<{ changesetId: string; paths: string[] }> {
  const files = await changesetFiles(await listDrafts(db, scope));
  if (files.length === 0)
    throw new OutpostError('validation', 'No saved change to propose: save an edit first.');
  const outcome = await runLocalNamedMutation(db, actor, {
    name: 'changeset.create',
    values: { workspace_id: scope.workspaceId, ...details, files },
  });
  const paths = files.map((f) => f.path);
  await discardDrafts(db, scope, paths);
  return { changesetId: String(outcome.result['changeset_id']), paths };
}

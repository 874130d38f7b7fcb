/**
 * core/workspaces/drafts.ts: the workspace editor's drafts in the local, never-synced table
 * `editor.workspace_drafts` (migration 0321), and the changeset made from them.
 *
 *   openDraft(db, scope, path)        the draft of a file, started from the file's current content
 *                                     (its base text and SHA-256) or as a new file when there is none
 *   keepUnsaved(db, scope, path, t)   the editor's buffer (autosave): survives closing the app
 *   saveDraft(db, scope, path, t)     the saved text; the unsaved buffer is cleared
 *   deleteFile(db, scope, path)       the draft becomes a delete of the file (a new file's draft goes)
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

/**
 * common/mutations/changeset-apply.ts: `changeset.apply`, an approved changeset written into its
 * workspace's files in one transaction, never over a concurrent change.
 *
 *   changeset.apply  { key: { id } }                                        changesets:apply
 *     lock the changeset (approved, else 409 invalid_transition), then each patch in position order,
 *     locking its file (FOR UPDATE):
 *       patch with a base hash (workspace_patch_bases, made by changeset.create):
 *         file content's SHA-256 = base hash  ─► the patch's result (new content, or the delete)
 *         otherwise                           ─► three-way merge (common/workspaces/merge.ts) of the
 *                                                base (the diff undone on the new content), ours (the
 *                                                patch) and theirs (the file now):
 *             clean     ─► the merged text
 *             conflicts ─► recorded; nothing of this changeset is written
 *         create of a file that exists: its content is the patch's ─► nothing to do, else a conflict
 *         delete of a file changed since: a conflict; of a file already gone: nothing to do
 *       patch without a base hash (a plain write): its diff must fit the file exactly, else 409
 *     no conflict ─► files written, approved ──apply──► applied
 *     conflicts   ─► workspace_patch_conflicts rows (one per file, one attempt_id), approved
 *                    ──conflict──► rejected with a reason naming the files: back to the author, who
 *                    revises (rejected ──► draft) and resolves them in the editor
 *     result { changeset_id, status, files: { created, modified, deleted, merged }, conflicts }
 *
 * Guarantees: a file is written only from content whose hash was compared with the patch's base, or
 * from a clean merge with the file's current content, under the file's row lock, so a concurrent
 * change is never overwritten silently. All files of a changeset are written or none. Every step is
 * an audit event (changeset.applied or changeset.conflicted, workspace_file.created / modified /
 * deleted with the patch, workspace_patch_conflict.recorded). Created files' and conflict rows' ids
 * are derived from the mutation id, so the client's optimistic rows are the server's.
 */
import { OutpostError } from '../errors.ts';
import { merge3, type MergeConflict } from '../workspaces/merge.ts';
import { applyFilePatch, baseOf, contentSha256 } from '../workspaces/patch.ts';
import type { EntityChange, MutationContext } from './types.ts';
import {
  byId,
  defineNamedOperation,
  derivedIdSql,
  noValues,
  type OperationOutcome,
  type Row,
} from './named-operation.ts';
import {
  changesetChange,
  lockChangeset,
  moveTo,
  patchesOf,
  transition,
  workspaceRowChange,
  type PatchRow,
} from './changeset-steps.ts';
import { queryRows, textOf, type SqlQueryable } from './sql.ts';

/** What changeset.apply answers: applied with file counts, or sent back with the conflicting paths. */
interface ApplyResult extends Record<string, unknown> {
  readonly changeset_id: string;
  readonly status: string;
  readonly files: { created: number; modified: number; deleted: number; merged: number } | null;
  readonly conflicts: readonly string[];
  readonly attempt_id: string | null;
}

/** What one patch does to its file, decided before anything is written. */
type Outcome =
  | { readonly kind: 'write'; readonly content: string; readonly merged: boolean }
  | { readonly kind: 'delete' }
  | { readonly kind: 'nothing' }
  | {
      readonly kind: 'conflict';
      readonly merged: string;
      readonly regions: readonly MergeConflict[];
      readonly currentSha256: string;
    };

interface Planned {
  readonly patch: PatchRow;
  readonly file: Row | null;
  readonly outcome: Outcome;
}

const refuse = (changeset: string, message: string) =>
  new OutpostError('conflict', `Changeset ${changeset} cannot be applied: ${message}`);

/** The patch's base text (its diff undone on its new content), checked against its base hash. */
async function baseText(changeset: string, patch: PatchRow): Promise<string> {
  const next = patch.operation === 'delete' ? '' : patch.new_content;
  const base =
    patch.operation === 'create'
      ? ''
      : next !== null && patch.unified_diff
        ? baseOf(next, patch.unified_diff)
        : null;
  if (base === null || (await contentSha256(base)) !== patch.base_sha256)
    throw refuse(changeset, `the patch of ${patch.file_path} does not carry its base; revise the changeset.`);
  return base;
}

/** The whole-file conflict of a delete against a change, or of a create against another file. */
function wholeFileConflict(base: string, ours: string, theirs: string, currentSha256: string): Outcome {
  const merged = merge3(base, ours, theirs);
  if (merged.clean) return { kind: 'write', content: merged.text, merged: true };
  return { kind: 'conflict', merged: merged.text, regions: merged.conflicts, currentSha256 };
}

async function plan(changeset: string, patch: PatchRow, file: Row | null): Promise<Outcome> {
  const current = file && typeof file['content'] === 'string' ? file['content'] : file ? '' : null;
  if (patch.base_sha256 === null) return planWithoutBase(changeset, patch, current);
  const ours = patch.new_content ?? '';
  if (current === null) {
    if (patch.operation === 'create') return { kind: 'write', content: ours, merged: false };
    if (patch.operation === 'delete') return { kind: 'nothing' };
    const base = await baseText(changeset, patch);
    return wholeFileConflict(base, ours, '', await contentSha256(''));
  }
  const currentSha256 = await contentSha256(current);
  if (patch.operation === 'create')
    return current === ours ? { kind: 'nothing' } : wholeFileConflict('', ours, current, currentSha256);
  if (currentSha256 === patch.base_sha256)
    return patch.operation === 'delete'
      ? { kind: 'delete' }
      : { kind: 'write', content: ours, merged: false };
  const base = await baseText(changeset, patch);
  if (patch.operation === 'delete') return wholeFileConflict(base, '', current, currentSha256);
  const merged = merge3(base, ours, current);
  return merged.clean
    ? { kind: 'write', content: merged.text, merged: true }
    : { kind: 'conflict', merged: merged.text, regions: merged.conflicts, currentSha256 };
}

/** A patch written without a base hash: as before 0320, its diff must fit the file exactly. */
function planWithoutBase(changeset: string, patch: PatchRow, current: string | null): Outcome {
  if (patch.operation === 'create') {
    if (current !== null) throw refuse(changeset, `it creates ${patch.file_path}, which already exists.`);
    return { kind: 'write', content: patch.new_content ?? '', merged: false };
  }
  if (current === null) throw refuse(changeset, `${patch.file_path} no longer exists in the workspace.`);
  const patched = patch.unified_diff ? applyFilePatch(current, patch.unified_diff) : current;
  if (patched === null)
    throw refuse(
      changeset,
      `${patch.file_path} changed since the changeset was made; revise it against the current file.`,
    );
  if (patch.operation === 'delete') return { kind: 'delete' };
  return { kind: 'write', content: patch.new_content ?? patched, merged: false };
}

async function lockFile(sql: SqlQueryable, changeset: Row, path: string): Promise<Row | null> {
  const [found] = await queryRows<{ row: Row }>(
    sql,
    `SELECT to_jsonb(t) AS row FROM workspace_files t
      WHERE t.workspace_id = $1 AND t.tenant_id = $2 AND t.path = $3 FOR UPDATE`,
    [changeset['workspace_id'], changeset['tenant_id'], path],
  );
  return found?.row ?? null;
}

/** Writes one planned patch; returns its audit change, or null when there was nothing to do. */
async function write(
  sql: SqlQueryable,
  context: MutationContext,
  mutationId: string,
  changeset: Row,
  { patch, file, outcome }: Planned,
): Promise<EntityChange | null> {
  const meta = { changeset_id: textOf(changeset['id']), patch_id: patch.id, path: patch.file_path };
  const fileChange = (action: string, before: Row | null, after: Row | null, extra: Row = {}) =>
    workspaceRowChange(context, 'workspace_files', 'workspace_file', action, before, after, {
      ...meta,
      ...extra,
    });
  if (outcome.kind === 'delete' && file) {
    const [deleted] = await queryRows<{ row: Row }>(
      sql,
      `DELETE FROM workspace_files AS t WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
      [file['id']],
    );
    if (!deleted) throw new Error('delete from workspace_files returned no row');
    return fileChange('deleted', deleted.row, null);
  }
  if (outcome.kind !== 'write') return null;
  if (!file) {
    const [inserted] = await queryRows<{ row: Row }>(
      sql,
      `INSERT INTO workspace_files AS t (id, tenant_id, workspace_id, path, content)
       VALUES (${derivedIdSql('$5', '$6')}, $1, $2, $3, $4) RETURNING to_jsonb(t) AS row`,
      [
        changeset['tenant_id'],
        changeset['workspace_id'],
        patch.file_path,
        outcome.content,
        mutationId,
        patch.id,
      ],
    );
    if (!inserted) throw new Error('insert into workspace_files returned no row');
    return fileChange('created', null, inserted.row);
  }
  const [updated] = await queryRows<{ row: Row }>(
    sql,
    `UPDATE workspace_files AS t SET content = $2, updated_at = now() WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
    [file['id'], outcome.content],
  );
  if (!updated) throw new Error('update of workspace_files returned no row');
  return fileChange('modified', file, updated.row, { merged: outcome.merged });
}

async function recordConflicts(
  sql: SqlQueryable,
  context: MutationContext,
  mutationId: string,
  changeset: Row,
  conflicted: readonly Planned[],
): Promise<EntityChange[]> {
  const changes: EntityChange[] = [];
  for (const { patch, outcome } of conflicted) {
    if (outcome.kind !== 'conflict') continue;
    const [row] = await queryRows<{ row: Row }>(
      sql,
      `INSERT INTO workspace_patch_conflicts AS t (id, tenant_id, changeset_id, patch_id, attempt_id, file_path,
              base_sha256, current_sha256, merged_content, regions)
       VALUES (${derivedIdSql('$1', "'conflict/' || $4::text")}, $2, $3, $4::text::uuid, ${derivedIdSql('$1', "'attempt'")}, $5,
               $6, $7, $8, $9::jsonb)
       RETURNING to_jsonb(t) AS row`,
      [
        mutationId,
        changeset['tenant_id'],
        changeset['id'],
        patch.id,
        patch.file_path,
        patch.base_sha256,
        outcome.currentSha256,
        outcome.merged,
        JSON.stringify(outcome.regions),
      ],
    );
    if (!row) throw new Error('insert into workspace_patch_conflicts returned no row');
    changes.push(
      workspaceRowChange(
        context,
        'workspace_patch_conflicts',
        'workspace_patch_conflict',
        'recorded',
        null,
        row.row,
        {
          changeset_id: textOf(changeset['id']),
          path: patch.file_path,
          regions: outcome.regions.length,
        },
      ),
    );
  }
  return changes;
}

const apply = defineNamedOperation({
  name: 'changeset.apply',
  permission: 'changesets:apply',
  writes: ['workspace_changesets', 'workspace_files', 'workspace_patch_conflicts'],
  key: byId,
  values: noValues,
  async run({ key, mutationId }, context, sql): Promise<OperationOutcome<ApplyResult>> {
    const before = await lockChangeset(sql, context, key.id);
    transition(before, 'apply');
    const planned: Planned[] = [];
    for (const patch of await patchesOf(sql, before)) {
      const file = await lockFile(sql, before, patch.file_path);
      planned.push({ patch, file, outcome: await plan(key.id, patch, file) });
    }
    const conflicted = planned.filter((p) => p.outcome.kind === 'conflict');
    if (conflicted.length > 0) {
      const paths = conflicted.map((p) => p.patch.file_path);
      const to = transition(before, 'conflict');
      const after = await moveTo(
        sql,
        key.id,
        to,
        null,
        `Changed in the workspace since this changeset was made, with conflicting edits: ${paths.join(', ')}. Revise the changeset and resolve the conflicts.`,
      );
      const recorded = await recordConflicts(sql, context, mutationId, before, conflicted);
      const attempt = textOf(recorded[0]?.after?.['attempt_id'] ?? '') || null;
      return {
        result: {
          changeset_id: key.id,
          status: to,
          files: null,
          conflicts: paths,
          attempt_id: attempt,
        },
        changes: [
          changesetChange(context, 'conflicted', before, after, { conflicts: paths, attempt_id: attempt }),
          ...recorded,
        ],
      };
    }
    const fileChanges: EntityChange[] = [];
    for (const p of planned) {
      const change = await write(sql, context, mutationId, before, p);
      if (change) fileChanges.push(change);
    }
    const to = transition(before, 'apply');
    const after = await moveTo(sql, key.id, to, null, null);
    const count = (action: string) =>
      fileChanges.filter((c) => c.action === `workspace_file.${action}`).length;
    const files = {
      created: count('created'),
      modified: count('modified'),
      deleted: count('deleted'),
      merged: planned.filter((p) => p.outcome.kind === 'write' && p.outcome.merged).length,
    };
    return {
      result: {
        changeset_id: key.id,
        status: to,
        files,
        conflicts: [],
        attempt_id: null,
      },
      changes: [changesetChange(context, 'applied', before, after, { files }), ...fileChanges],
    };
  },
});

export const CHANGESET_APPLY_OPERATIONS = [apply] as const;

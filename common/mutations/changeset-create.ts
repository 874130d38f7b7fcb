/**
 * common/mutations/changeset-create.ts: `changeset.create`, a draft changeset with one patch per file,
 * made from the author's local drafts (the caller reads them: core/workspaces/drafts.ts; the server
 * never sees drafts, only these arguments).
 *
 *   changeset.create  { values: { workspace_id, title, description?, files: [{ path, operation,
 *                       base_sha256?, unified_diff?, new_content? }] } }            changesets:write
 *     the workspace is visible (else 404); paths are unique; per file:
 *       create  new_content; no base (the base is the empty text); the diff is made here if absent
 *       modify  base_sha256, unified_diff and new_content; the diff undone on new_content must give
 *               a text whose SHA-256 is base_sha256 (else 400: the arguments disagree)
 *       delete  base_sha256 and unified_diff (to the empty text); no new_content
 *     ─► INSERT workspace_changesets (draft, proposed_by the actor), workspace_patches (position = the
 *        order given) and workspace_patch_bases (0320) for modify and delete
 *     result { changeset_id, patch_ids }
 *
 * Guarantees: ids are derived from the mutation id (the changeset: 'changeset', patch i: 'patch/i',
 * its base row: 'base/i'), so the optimistic local rows are the server's and a replay is idempotent.
 * Every row is an audit event (changeset.created with the paths, workspace_patch.created per file).
 * The base hash is what changeset.apply compares the file with, so a concurrent change is detected.
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { baseOf, contentSha256, diffText } from '../workspaces/patch.ts';
import type { EntityChange } from './types.ts';
import {
  defineNamedOperation,
  derivedIdSql,
  noValues,
  textArg,
  uuidArg,
  type Row,
} from './named-operation.ts';
import { changesetChange, workspaceRowChange } from './changeset-steps.ts';
import { queryRows, textOf } from './sql.ts';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';

/** File text as an argument: no NUL (text columns refuse it), at most 2 MB. */
const fileText = z
  .string()
  .max(2_000_000)
  .refine((s) => !s.includes('\u0000'), 'file text must not contain NUL bytes');
const sha256Arg = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 (64 lower-case hex digits)');

const file = z.strictObject({
  path: textArg(1000).refine((p) => p.length > 0 && !p.startsWith('/') && !p.split('/').includes('..'), {
    message: 'a relative path inside the workspace',
  }),
  operation: z.enum(['create', 'modify', 'delete']),
  base_sha256: sha256Arg.optional(),
  unified_diff: fileText.optional(),
  new_content: fileText.optional(),
});
type FileArg = z.output<typeof file>;

const values = z
  .strictObject({
    workspace_id: uuidArg,
    title: textArg(500).refine((s) => s.length > 0, 'a title must not be blank'),
    description: textArg(10000).optional(),
    files: z.array(file).min(1).max(500),
  })
  .refine((v) => new Set(v.files.map((f) => f.path)).size === v.files.length, {
    message: 'each path at most once',
    path: ['files'],
  });

/** The file's diff, checked against its base hash; a 400 naming the file when the arguments disagree. */
async function checkedDiff(f: FileArg): Promise<string> {
  const bad = (why: string) =>
    new OutpostError('validation', `Invalid values for changeset.create: ${f.path}: ${why}.`);
  if (f.operation === 'create') {
    if (f.base_sha256 !== undefined) throw bad('a created file has no base');
    if (f.new_content === undefined) throw bad('a created file needs new_content');
    return f.unified_diff ?? diffText(f.path, '', f.new_content);
  }
  if (f.base_sha256 === undefined || f.unified_diff === undefined)
    throw bad(`${f.operation} needs base_sha256 and unified_diff`);
  if (f.operation === 'delete' && f.new_content !== undefined) throw bad('a deleted file has no new_content');
  if (f.operation === 'modify' && f.new_content === undefined) throw bad('modify needs new_content');
  let base: string | null;
  try {
    base = baseOf(f.new_content ?? '', f.unified_diff);
  } catch {
    base = null; // not a one-file unified diff
  }
  if (base === null || (await contentSha256(base)) !== f.base_sha256)
    throw bad('unified_diff, new_content and base_sha256 do not describe one change');
  return f.unified_diff;
}

const create = defineNamedOperation({
  name: 'changeset.create',
  permission: 'changesets:write',
  writes: ['workspace_changesets', 'workspace_patches', 'workspace_patch_bases'],
  key: noValues,
  values,
  async run({ values: v, mutationId }, context, sql) {
    const [workspace] = await queryRows<{ tenant_id: string }>(
      sql,
      `SELECT tenant_id::text AS tenant_id FROM workspaces WHERE id = $1 AND tenant_id = ANY ($2::uuid[])`,
      [v.workspace_id, toPgArrayLiteral(context.actor.visibleTenantIds)],
    );
    if (!workspace) throw new OutpostError('not_found', `No workspace ${v.workspace_id} is visible to you.`);
    const diffs: string[] = [];
    for (const f of v.files) diffs.push(await checkedDiff(f));
    const [changeset] = await queryRows<{ row: Row }>(
      sql,
      `INSERT INTO workspace_changesets AS t (id, tenant_id, workspace_id, title, description, status, proposed_by)
       VALUES (${derivedIdSql('$1', "'changeset'")}, $2, $3, $4, $5, 'draft', $6) RETURNING to_jsonb(t) AS row`,
      [mutationId, workspace.tenant_id, v.workspace_id, v.title, v.description ?? null, context.actor.userId],
    );
    if (!changeset) throw new Error('insert into workspace_changesets returned no row');
    const changesetId = textOf(changeset.row['id']);
    const changes: EntityChange[] = [];
    const patchIds: string[] = [];
    for (const [i, f] of v.files.entries()) {
      const [patch] = await queryRows<{ row: Row }>(
        sql,
        `INSERT INTO workspace_patches AS t (id, tenant_id, changeset_id, file_id, file_path, operation, unified_diff,
                new_content, position)
         SELECT ${derivedIdSql('$1', "'patch/' || $2")}, $3, $4,
                (SELECT w.id FROM workspace_files w WHERE w.workspace_id = $5 AND w.tenant_id = $3 AND w.path = $6),
                $6, $7, $8, $9, $2::int
         RETURNING to_jsonb(t) AS row`,
        [
          mutationId,
          String(i),
          workspace.tenant_id,
          changesetId,
          v.workspace_id,
          f.path,
          f.operation,
          diffs[i],
          f.new_content ?? null,
        ],
      );
      if (!patch) throw new Error('insert into workspace_patches returned no row');
      const patchId = textOf(patch.row['id']);
      patchIds.push(patchId);
      changes.push(
        workspaceRowChange(context, 'workspace_patches', 'workspace_patch', 'created', null, patch.row, {
          changeset_id: changesetId,
          path: f.path,
          operation: f.operation,
          ...(f.base_sha256 ? { base_sha256: f.base_sha256 } : {}),
        }),
      );
      if (f.base_sha256 === undefined) continue;
      await sql.query(
        `INSERT INTO workspace_patch_bases (id, tenant_id, changeset_id, patch_id, base_sha256)
         VALUES (${derivedIdSql('$1', "'base/' || $2")}, $3, $4, $5, $6)`,
        [mutationId, String(i), workspace.tenant_id, changesetId, patchId, f.base_sha256],
      );
    }
    return {
      result: { changeset_id: changesetId, patch_ids: patchIds },
      changes: [
        changesetChange(context, 'created', null, changeset.row, { paths: v.files.map((f) => f.path) }),
        ...changes,
      ],
    };
  },
});

export const CHANGESET_CREATE_OPERATIONS = [create] as const;

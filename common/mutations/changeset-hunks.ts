/**
 * common/mutations/changeset-hunks.ts: per-hunk review. A reviewer accepts or rejects each hunk of a
 * patch while the changeset is pending review; approving the changeset then narrows every patch to
 * the hunks nobody rejected.
 *
 *   changeset.decide_hunk  { key: { id }, values: { patch_id, hunk_id, decision: 'accept' | 'reject' } }
 *     changesets:review; the changeset pending review (else 409 conflict); not its proposer (403:
 *     nobody reviews their own change); the patch is one of its patches and the hunk one of the
 *     patch's hunks now (common/workspaces/patch.ts ids; else 404). One decision per reviewer and hunk:
 *     a later decision of the same reviewer replaces theirs (until the changeset is decided).
 *
 *   narrowToAcceptedHunks (changeset.review, on approve)
 *     a hunk is rejected when any reviewer rejected it (two reviewers: one rejection is enough);
 *     each patch with a rejected hunk is replaced by the patch of its accepted hunks only
 *     (narrowPatch: the accepted hunks applied to the base, diffed again; its base hash stays); a
 *     patch left with no change is removed, with its base row and decisions (its comments keep their
 *     file and line, without the patch). The original diffs stay in the audit log
 *     (workspace_patch.narrowed / removed, before and after).
 *
 * Partial acceptance is decided here, documented in docs/architecture.md ("Workspace changesets"):
 * the approved changeset is the accepted part; a rejected hunk is not applied and not kept as a new
 * changeset (the author makes a new one from their drafts if they still want it).
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { baseOf, hunksOf, narrowPatch } from '../workspaces/patch.ts';
import type { EntityChange, MutationContext } from './types.ts';
import { byId, defineNamedOperation, derivedIdSql, uuidArg, type Row } from './named-operation.ts';
import { lockChangeset, patchesOf, workspaceRowChange } from './changeset-steps.ts';
import { queryRows, textOf, type SqlQueryable } from './sql.ts';

export const HUNK_ID = z.string().regex(/^h[0-9a-f]{16}$/, 'a hunk id (h + 16 hex digits)');

const decideHunk = defineNamedOperation({
  name: 'changeset.decide_hunk',
  permission: 'changesets:review',
  writes: ['workspace_hunk_decisions'],
  key: byId,
  values: z.strictObject({ patch_id: uuidArg, hunk_id: HUNK_ID, decision: z.enum(['accept', 'reject']) }),
  async run({ key, values, mutationId }, context, sql) {
    const changeset = await lockChangeset(sql, context, key.id);
    if (changeset['status'] !== 'pending_review')
      throw new OutpostError(
        'conflict',
        `Changeset ${key.id} is ${textOf(changeset['status'])}; hunks are decided only while it is pending review.`,
        { status: changeset['status'] },
      );
    const actor = context.actor.userId.toLowerCase();
    if (textOf(changeset['proposed_by']).toLowerCase() === actor)
      throw new OutpostError('forbidden', `You proposed changeset ${key.id}; someone else reviews it.`, {
        reason: 'own_changeset',
      });
    const patch = (await patchesOf(sql, changeset)).find((p) => p.id === values.patch_id);
    if (!patch) throw new OutpostError('not_found', `Changeset ${key.id} has no patch ${values.patch_id}.`);
    if (!hunksOf(patch.unified_diff ?? '').some((h) => h.id === values.hunk_id))
      throw new OutpostError('not_found', `The patch of ${patch.file_path} has no hunk ${values.hunk_id}.`);
    const [earlier] = await queryRows<{ row: Row }>(
      sql,
      `SELECT to_jsonb(t) AS row FROM workspace_hunk_decisions t
        WHERE t.patch_id = $1 AND t.hunk_id = $2 AND t.decided_by = $3 FOR UPDATE`,
      [patch.id, values.hunk_id, actor],
    );
    const [saved] = earlier
      ? await queryRows<{ row: Row }>(
          sql,
          `UPDATE workspace_hunk_decisions AS t SET decision = $2, updated_at = now() WHERE t.id = $1
           RETURNING to_jsonb(t) AS row`,
          [earlier.row['id'], values.decision],
        )
      : await queryRows<{ row: Row }>(
          sql,
          `INSERT INTO workspace_hunk_decisions AS t (id, tenant_id, changeset_id, patch_id, hunk_id, decided_by, decision)
           VALUES (${derivedIdSql('$1', "'hunk-decision'")}, $2, $3, $4, $5, $6, $7) RETURNING to_jsonb(t) AS row`,
          [mutationId, changeset['tenant_id'], key.id, patch.id, values.hunk_id, actor, values.decision],
        );
    if (!saved) throw new Error('the hunk decision was not saved');
    return {
      result: { changeset_id: key.id, decision_id: textOf(saved.row['id']), decision: values.decision },
      changes: [
        workspaceRowChange(
          context,
          'workspace_hunk_decisions',
          'workspace_hunk_decision',
          earlier ? 'changed' : 'recorded',
          earlier?.row ?? null,
          saved.row,
          { changeset_id: key.id, path: patch.file_path, hunk_id: values.hunk_id },
        ),
      ],
    };
  },
});

/** The hunk ids any reviewer rejected, by patch. */
async function rejectedHunks(sql: SqlQueryable, changeset: Row): Promise<Map<string, Set<string>>> {
  const rows = await queryRows<{ patch_id: string; hunk_id: string }>(
    sql,
    `SELECT DISTINCT patch_id::text AS patch_id, hunk_id FROM workspace_hunk_decisions
      WHERE changeset_id = $1 AND tenant_id = $2 AND decision = 'reject'`,
    [changeset['id'], changeset['tenant_id']],
  );
  const byPatch = new Map<string, Set<string>>();
  for (const r of rows) byPatch.set(r.patch_id, (byPatch.get(r.patch_id) ?? new Set()).add(r.hunk_id));
  return byPatch;
}

/** Narrows the changeset's patches to the hunks nobody rejected (see the header); their changes. */
export async function narrowToAcceptedHunks(
  sql: SqlQueryable,
  context: MutationContext,
  changeset: Row,
): Promise<EntityChange[]> {
  const rejected = await rejectedHunks(sql, changeset);
  if (rejected.size === 0) return [];
  const changes: EntityChange[] = [];
  for (const patch of await patchesOf(sql, changeset)) {
    const drop = rejected.get(patch.id);
    if (!drop) continue;
    const hunks = hunksOf(patch.unified_diff ?? '');
    const accepted = new Set(hunks.map((h) => h.id).filter((id) => !drop.has(id)));
    const base =
      patch.operation === 'create' ? '' : baseOf(patch.new_content ?? '', patch.unified_diff ?? '');
    if (base === null)
      throw new OutpostError(
        'conflict',
        `The patch of ${patch.file_path} does not carry its base, so its hunks cannot be taken apart; reject the changeset instead.`,
      );
    const narrowed = narrowPatch(patch.file_path, base, patch.unified_diff ?? '', accepted);
    const [before] = await queryRows<{ row: Row }>(
      sql,
      `SELECT to_jsonb(t) AS row FROM workspace_patches t WHERE t.id = $1 FOR UPDATE`,
      [patch.id],
    );
    const meta = {
      changeset_id: textOf(changeset['id']),
      path: patch.file_path,
      rejected_hunks: narrowed.dropped,
    };
    if (narrowed.kept.length === 0 || (patch.operation !== 'delete' && narrowed.unifiedDiff === '')) {
      await sql.query(`DELETE FROM workspace_patch_bases WHERE patch_id = $1`, [patch.id]);
      await sql.query(`DELETE FROM workspace_hunk_decisions WHERE patch_id = $1`, [patch.id]);
      await sql.query(`UPDATE workspace_changeset_comments SET patch_id = NULL WHERE patch_id = $1`, [
        patch.id,
      ]);
      await sql.query(`DELETE FROM workspace_patches WHERE id = $1`, [patch.id]);
      changes.push(
        workspaceRowChange(
          context,
          'workspace_patches',
          'workspace_patch',
          'removed',
          before?.row ?? null,
          null,
          meta,
        ),
      );
      continue;
    }
    const [after] = await queryRows<{ row: Row }>(
      sql,
      `UPDATE workspace_patches AS t SET unified_diff = $2, new_content = $3 WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
      [patch.id, narrowed.unifiedDiff, narrowed.content],
    );
    changes.push(
      workspaceRowChange(
        context,
        'workspace_patches',
        'workspace_patch',
        'narrowed',
        before?.row ?? null,
        after?.row ?? null,
        meta,
      ),
    );
  }
  return changes;
}

export const CHANGESET_HUNK_OPERATIONS = [decideHunk] as const;

/**
 * The workspace review and apply operations (changeset.create, decide_hunk, comment, resolve_comment,
 * and apply with base hashes and three-way merges), part of the contract operations.testkit.ts runs
 * on every database: PGlite with the shared schema, PostgreSQL 15, and a client's local schema
 * (core/outbox/local-operation.pglite.test.ts). Each test runs in the contract's rolled-back
 * transaction; a concurrent change to a file is a server write (serverWrite), as sync would bring it.
 *
 * Fixtures used: the workspace with a.js, the admin (proposes), the approver and the third user
 * (review), and the other tenant's user.
 */
import { describe, expect, it } from 'vitest';
import { hunksOf, makePatch } from '../workspaces/patch.ts';
import type { ContractHarness } from './approvals.testkit.ts';
import { queryRows } from './sql.ts';
import type { MutationActor } from './types.ts';

const LINES = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
const BASE = LINES.join('\n') + '\n';
const edit = (text: string, from: string, to: string) => text.replace(`${from}\n`, `${to}\n`);

const AUTHOR = ['changesets:read', 'changesets:write', 'changesets:submit', 'changesets:apply'];
const REVIEWER = ['changesets:read', 'changesets:review'];

export function changesetReviewContract(harness: ContractHarness): void {
  const { ids: IDS, actorOf, db, run, failure, row, serverWrite } = harness;
  const author = actorOf(IDS.admin, AUTHOR);
  const reviewer = actorOf(IDS.approver, REVIEWER);
  const second = actorOf(IDS.third, REVIEWER);
  const FILE = 'f0000000-0000-4000-8000-000000000aaa';

  /** Puts src/main.js (BASE) into the workspace, as server state. */
  const seedFile = () =>
    serverWrite(
      `INSERT INTO workspace_files (id, tenant_id, workspace_id, path, content) VALUES ($1, $2, $3, 'src/main.js', $4)`,
      [FILE, IDS.tenant, IDS.workspace, BASE],
    );
  const concurrentEdit = (content: string) =>
    serverWrite(`UPDATE workspace_files SET content = $2 WHERE id = $1`, [FILE, content]);
  const contentOf = async (path: string) =>
    (
      await row(`SELECT content FROM workspace_files WHERE workspace_id = $1 AND path = $2`, [
        IDS.workspace,
        path,
      ])
    )?.['content'];

  /** changeset.create of `next` against `base` for src/main.js (and more files); its id. */
  async function create(
    next: string,
    base = BASE,
    more: readonly Record<string, unknown>[] = [],
  ): Promise<{ id: string; patch: string }> {
    const patch = await makePatch('src/main.js', base, next);
    const done = await run(author, {
      name: 'changeset.create',
      values: {
        workspace_id: IDS.workspace,
        title: 'Edit main',
        files: [
          {
            path: 'src/main.js',
            operation: 'modify',
            base_sha256: patch.baseSha256,
            unified_diff: patch.unifiedDiff,
            new_content: next,
          },
          ...more,
        ],
      },
    });
    const ids = done.result['patch_ids'] as string[];
    return { id: String(done.result['changeset_id']), patch: ids[0] ?? '' };
  }
  const op = (name: string, id: string, values?: Record<string, unknown>) => ({
    name,
    key: { id },
    ...(values ? { values } : {}),
  });
  const submitAndApprove = async (id: string, by: MutationActor = reviewer) => {
    await run(author, op('changeset.submit', id));
    return run(by, op('changeset.review', id, { decision: 'approve' }));
  };
  const statusOf = async (id: string) =>
    (await row(`SELECT status, rejected_reason FROM workspace_changesets WHERE id = $1`, [id])) ?? {};

  describe('changeset.create', () => {
    it('makes a draft with one patch and base hash per file, ids derived from the mutation', async () => {
      await seedFile();
      const next = edit(BASE, 'line 3', 'LINE 3');
      const made = await create(next, BASE, [
        { path: 'src/new.js', operation: 'create', new_content: 'export const n = 1;\n' },
      ]);
      expect(await statusOf(made.id)).toMatchObject({ status: 'draft' });
      const patches = await queryRows<{ file_path: string; operation: string; base_sha256: string | null }>(
        db().sql,
        `SELECT p.file_path, p.operation, b.base_sha256 FROM workspace_patches p
           LEFT JOIN workspace_patch_bases b ON b.patch_id = p.id WHERE p.changeset_id = $1 ORDER BY p.position`,
        [made.id],
      );
      expect(patches).toEqual([
        {
          file_path: 'src/main.js',
          operation: 'modify',
          base_sha256: (await makePatch('x', BASE, '')).baseSha256,
        },
        { file_path: 'src/new.js', operation: 'create', base_sha256: null },
      ]);
      expect(await row(`SELECT proposed_by FROM workspace_changesets WHERE id = $1`, [made.id])).toEqual({
        proposed_by: IDS.admin,
      });
    });

    it('refuses a diff that does not match its base hash, and another tenant’s workspace', async () => {
      const patch = await makePatch('src/main.js', BASE, edit(BASE, 'line 3', 'x'));
      const file = {
        path: 'src/main.js',
        operation: 'modify',
        base_sha256: (await makePatch('f', 'something else', '')).baseSha256,
        unified_diff: patch.unifiedDiff,
        new_content: edit(BASE, 'line 3', 'x'),
      };
      const values = { workspace_id: IDS.workspace, title: 'Bad', files: [file] };
      expect(await failure(author, { name: 'changeset.create', values })).toBe('validation');
      const outsider = { ...author, visibleTenantIds: [IDS.other], tenantId: IDS.other };
      expect(
        await failure(outsider, {
          name: 'changeset.create',
          values: { ...values, files: [{ ...file, base_sha256: patch.baseSha256 }] },
        }),
      ).toBe('not_found');
      expect(await failure(reviewer, { name: 'changeset.create', values })).toBe('forbidden');
    });
  });

  describe('changeset.apply with base hashes', () => {
    it('writes the new content when the file still has the base content', async () => {
      await seedFile();
      const next = edit(BASE, 'line 3', 'LINE 3');
      const { id } = await create(next);
      await submitAndApprove(id);
      const applied = await run(author, op('changeset.apply', id));
      expect(applied.result).toMatchObject({
        status: 'applied',
        files: { created: 0, modified: 1, deleted: 0, merged: 0 },
        conflicts: [],
      });
      expect(await contentOf('src/main.js')).toBe(next);
      expect(applied.changes.map((c) => c.action)).toEqual(['changeset.applied', 'workspace_file.modified']);
    });

    it('merges a concurrent change to other lines cleanly', async () => {
      await seedFile();
      const { id } = await create(edit(BASE, 'line 3', 'LINE 3'));
      await submitAndApprove(id);
      await concurrentEdit(edit(BASE, 'line 25', 'LINE 25'));
      const applied = await run(author, op('changeset.apply', id));
      expect(applied.result).toMatchObject({ status: 'applied', files: { modified: 1, merged: 1 } });
      expect(await contentOf('src/main.js')).toBe(edit(edit(BASE, 'line 3', 'LINE 3'), 'line 25', 'LINE 25'));
      expect(applied.changes[1]).toMatchObject({
        action: 'workspace_file.modified',
        metadata: { merged: true },
      });
    });

    it('never overwrites a conflicting concurrent change: the changeset goes back to its author', async () => {
      await seedFile();
      const { id, patch } = await create(edit(BASE, 'line 3', 'OURS'), BASE, [
        { path: 'src/other.js', operation: 'create', new_content: 'x\n' },
      ]);
      await submitAndApprove(id);
      const theirs = edit(BASE, 'line 3', 'THEIRS');
      await concurrentEdit(theirs);
      const applied = await run(author, op('changeset.apply', id));
      expect(applied.result).toMatchObject({ status: 'rejected', conflicts: ['src/main.js'], files: null });
      // Nothing of the changeset was written: the concurrent change stays, the created file is not there.
      expect(await contentOf('src/main.js')).toBe(theirs);
      expect(await contentOf('src/other.js')).toBeUndefined();
      expect(await statusOf(id)).toMatchObject({
        status: 'rejected',
        rejected_reason: expect.stringContaining('src/main.js') as unknown,
      });
      const conflict = await row(
        `SELECT patch_id, file_path, merged_content, regions, attempt_id::text AS attempt FROM workspace_patch_conflicts
          WHERE changeset_id = $1`,
        [id],
      );
      expect(conflict).toMatchObject({
        patch_id: patch,
        file_path: 'src/main.js',
        attempt: applied.result['attempt_id'],
      });
      expect(String(conflict?.['merged_content'])).toContain(
        '<<<<<<< changeset\nOURS\n||||||| base\nline 3\n=======\nTHEIRS\n>>>>>>> workspace\n',
      );
      expect(conflict?.['regions']).toEqual([
        { line: 3, base: 'line 3\n', ours: 'OURS\n', theirs: 'THEIRS\n' },
      ]);
      expect(applied.changes.map((c) => c.action)).toEqual([
        'changeset.conflicted',
        'workspace_patch_conflict.recorded',
      ]);
      // The author revises it (rejected ─► draft) to resolve the conflicts.
      await run(author, op('changeset.revise', id));
      expect(await statusOf(id)).toMatchObject({ status: 'draft' });
    });

    it('is a conflict to delete a file changed since, and nothing to delete one already gone', async () => {
      await seedFile();
      const del = await makePatch('src/main.js', BASE, '');
      const files = [
        {
          path: 'src/main.js',
          operation: 'delete',
          base_sha256: del.baseSha256,
          unified_diff: del.unifiedDiff,
        },
      ];
      const made = await run(author, {
        name: 'changeset.create',
        values: { workspace_id: IDS.workspace, title: 'Delete', files },
      });
      const id = String(made.result['changeset_id']);
      await submitAndApprove(id);
      await concurrentEdit(edit(BASE, 'line 10', 'changed'));
      expect((await run(author, op('changeset.apply', id))).result).toMatchObject({ status: 'rejected' });
      expect(await contentOf('src/main.js')).toBe(edit(BASE, 'line 10', 'changed'));
      // The same delete made again after the file is gone: nothing to do, applied.
      await run(author, op('changeset.revise', id));
      await submitAndApprove(id);
      await serverWrite(`DELETE FROM workspace_files WHERE id = $1`, [FILE]);
      expect((await run(author, op('changeset.apply', id))).result).toMatchObject({
        status: 'applied',
        files: { deleted: 0 },
      });
    });
  });

  describe('per-hunk review', () => {
    const NEXT = edit(edit(BASE, 'line 3', 'LINE 3'), 'line 25', 'LINE 25');
    const decide = (
      by: MutationActor,
      id: string,
      patch: string,
      hunk: string,
      decision: 'accept' | 'reject',
    ) => run(by, op('changeset.decide_hunk', id, { patch_id: patch, hunk_id: hunk, decision }));

    it('with two reviewers: a hunk either rejects is left out of the approved changeset', async () => {
      await seedFile();
      const { id, patch } = await create(NEXT);
      await run(author, op('changeset.submit', id));
      const [first, second_] = hunksOf((await makePatch('src/main.js', BASE, NEXT)).unifiedDiff);
      if (!first || !second_) throw new Error('expected two hunks');
      await decide(reviewer, id, patch, first.id, 'accept');
      await decide(reviewer, id, patch, second_.id, 'accept');
      await decide(second, id, patch, first.id, 'accept');
      await decide(second, id, patch, second_.id, 'reject');
      // A reviewer's later decision replaces theirs: one row per reviewer and hunk.
      await decide(reviewer, id, patch, second_.id, 'reject');
      await decide(reviewer, id, patch, second_.id, 'accept');
      const decisions = await queryRows<{ decided_by: string; hunk_id: string; decision: string }>(
        db().sql,
        `SELECT decided_by::text, hunk_id, decision FROM workspace_hunk_decisions WHERE changeset_id = $1
          ORDER BY decided_by, hunk_id`,
        [id],
      );
      expect(decisions).toHaveLength(4);
      const reviewed = await run(reviewer, op('changeset.review', id, { decision: 'approve' }));
      expect(reviewed.result).toMatchObject({ status: 'approved', narrowed_patches: 1 });
      expect(reviewed.changes.map((c) => c.action)).toEqual([
        'changeset.approved',
        'workspace_patch.narrowed',
      ]);
      expect(reviewed.changes[1]?.before).toMatchObject({ new_content: NEXT });
      await run(author, op('changeset.apply', id));
      expect(await contentOf('src/main.js')).toBe(edit(BASE, 'line 3', 'LINE 3'));
    });

    it('removes a patch whose every hunk was rejected', async () => {
      await seedFile();
      const { id, patch } = await create(edit(BASE, 'line 3', 'LINE 3'), BASE, [
        { path: 'src/kept.js', operation: 'create', new_content: 'kept\n' },
      ]);
      await run(author, op('changeset.submit', id));
      const [only] = hunksOf(
        (await makePatch('src/main.js', BASE, edit(BASE, 'line 3', 'LINE 3'))).unifiedDiff,
      );
      await decide(reviewer, id, patch, only?.id ?? '', 'reject');
      const reviewed = await run(reviewer, op('changeset.review', id, { decision: 'approve' }));
      expect(reviewed.changes.map((c) => c.action)).toEqual([
        'changeset.approved',
        'workspace_patch.removed',
      ]);
      await run(author, op('changeset.apply', id));
      expect(await contentOf('src/main.js')).toBe(BASE);
      expect(await contentOf('src/kept.js')).toBe('kept\n');
    });

    it('is decided only by someone other than the author, while pending review, on a hunk of the patch', async () => {
      await seedFile();
      const { id, patch } = await create(NEXT);
      const [first] = hunksOf((await makePatch('src/main.js', BASE, NEXT)).unifiedDiff);
      const hunk = first?.id ?? '';
      expect(
        await failure(
          reviewer,
          op('changeset.decide_hunk', id, { patch_id: patch, hunk_id: hunk, decision: 'accept' }),
        ),
      ).toBe('conflict');
      await run(author, op('changeset.submit', id));
      const asAuthor = actorOf(IDS.admin, [...AUTHOR, 'changesets:review']);
      expect(
        await failure(
          asAuthor,
          op('changeset.decide_hunk', id, { patch_id: patch, hunk_id: hunk, decision: 'accept' }),
        ),
      ).toBe('forbidden');
      expect(
        await failure(
          reviewer,
          op('changeset.decide_hunk', id, {
            patch_id: patch,
            hunk_id: 'h0123456789abcdef',
            decision: 'accept',
          }),
        ),
      ).toBe('not_found');
      expect(
        await failure(
          reviewer,
          op('changeset.decide_hunk', id, { patch_id: patch, hunk_id: 'nope', decision: 'accept' }),
        ),
      ).toBe('validation');
      expect(
        await failure(
          author,
          op('changeset.decide_hunk', id, { patch_id: patch, hunk_id: hunk, decision: 'accept' }),
        ),
      ).toBe('forbidden');
    });
  });

  describe('review comments', () => {
    it('are added by the author and reviewers on a line of a patch, and resolved and reopened', async () => {
      await seedFile();
      const { id, patch } = await create(edit(BASE, 'line 3', 'LINE 3'));
      const added = await run(
        reviewer,
        op('changeset.comment', id, { body: 'Why upper case?', patch_id: patch, line: 3 }),
      );
      const commentId = String(added.result['comment_id']);
      expect(
        await row(
          `SELECT file_path, line, side, author_id::text, resolved FROM workspace_changeset_comments WHERE id = $1`,
          [commentId],
        ),
      ).toEqual({
        file_path: 'src/main.js',
        line: 3,
        side: 'new',
        author_id: IDS.approver,
        resolved: false,
      });
      await run(author, op('changeset.comment', id, { body: 'House style.' }));
      await run(author, op('changeset.resolve_comment', commentId));
      expect(
        await row(`SELECT resolved, resolved_by::text FROM workspace_changeset_comments WHERE id = $1`, [
          commentId,
        ]),
      ).toEqual({
        resolved: true,
        resolved_by: IDS.admin,
      });
      await run(reviewer, op('changeset.resolve_comment', commentId, { resolved: false }));
      expect(
        await row(`SELECT resolved, resolved_at FROM workspace_changeset_comments WHERE id = $1`, [
          commentId,
        ]),
      ).toEqual({
        resolved: false,
        resolved_at: null,
      });
      expect(added.changes[0]).toMatchObject({
        action: 'workspace_changeset_comment.added',
        entityId: commentId,
      });
    });

    it('are refused to a reader who is neither author nor reviewer, to another tenant, and without a file for a line', async () => {
      await seedFile();
      const { id } = await create(edit(BASE, 'line 3', 'LINE 3'));
      const reader = actorOf(IDS.third, ['changesets:read']);
      expect(await failure(reader, op('changeset.comment', id, { body: 'hi' }))).toBe('forbidden');
      const outsider = {
        ...actorOf(IDS.otherUser, REVIEWER),
        tenantId: IDS.other,
        visibleTenantIds: [IDS.other],
      };
      expect(await failure(outsider, op('changeset.comment', id, { body: 'hi' }))).toBe('not_found');
      expect(await failure(reviewer, op('changeset.comment', id, { body: 'hi', line: 2 }))).toBe(
        'validation',
      );
      expect(await failure(reviewer, op('changeset.comment', id, { body: '   ' }))).toBe('validation');
      const added = await run(reviewer, op('changeset.comment', id, { body: 'ok' }));
      expect(
        await failure(outsider, op('changeset.resolve_comment', String(added.result['comment_id']))),
      ).toBe('not_found');
    });
  });
}

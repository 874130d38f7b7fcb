/**
 * The review model (review-model.ts): the text before and after each file, hunks with every
 * reviewer's decision, comment threads by line, and what a reader may do in each state.
 */
import { createPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import type { ChangesetCommentRow, HunkDecisionRow } from '../../common/queries/changeset-review.ts';
import type { ChangesetPatchRow } from '../../common/queries/changesets.ts';
import { hunksOf } from '../../common/workspaces/patch.ts';
import { allowedActions, fileReview, hunkRange, threadsOf } from './review-model.ts';

const BEFORE = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const AFTER = BEFORE.replace('line 2\n', 'line two\n').replace('line 28\n', '');

const patch = (over: Partial<ChangesetPatchRow> = {}): ChangesetPatchRow => ({
  id: 'p1',
  file_path: 'src/a.js',
  operation: 'modify',
  unified_diff: createPatch('src/a.js', BEFORE, AFTER),
  new_content: AFTER,
  position: 0,
  ...over,
});

const decision = (hunk: string, by: string, d: 'accept' | 'reject'): HunkDecisionRow => ({
  patch_id: 'p1',
  hunk_id: hunk,
  decision: d,
  decided_by: by,
  decider_name: by === 'me' ? 'Me Myself' : 'Rita Reviewer',
  updated_at: '2026-12-07T10:00:00Z',
});

describe('fileReview', () => {
  it('gives the text before (the diff undone) and after, and each hunk with its counts', () => {
    const file = fileReview(patch(), [], 'me');
    expect(file.original).toBe(BEFORE);
    expect(file.modified).toBe(AFTER);
    expect(file.problem).toBeNull();
    expect(file.hunks).toHaveLength(2);
    expect(file.hunks.map((h) => [h.added, h.removed])).toEqual([
      [1, 1],
      [0, 1],
    ]);
    expect([file.added, file.removed]).toEqual([1, 2]);
  });

  it('reads a new file and a deleted file', () => {
    const created = fileReview(
      patch({ operation: 'create', unified_diff: createPatch('n.js', '', 'a\nb\n'), new_content: 'a\nb\n' }),
      [],
      'me',
    );
    expect([created.original, created.modified, created.added]).toEqual(['', 'a\nb\n', 2]);
    const bare = fileReview(
      patch({ operation: 'create', unified_diff: null, new_content: 'a\nb\n' }),
      [],
      'me',
    );
    expect([bare.original, bare.added, bare.hunks.length]).toEqual(['', 2, 0]);
    const deleted = fileReview(
      patch({ operation: 'delete', unified_diff: createPatch('d.js', 'x\n', ''), new_content: null }),
      [],
      'me',
    );
    expect([deleted.original, deleted.modified, deleted.removed]).toEqual(['x\n', '', 1]);
  });

  it('says so when a diff does not fit its new content, and shows nothing of it', () => {
    const file = fileReview(patch({ new_content: 'something else\n' }), [], 'me');
    expect(file.original).toBeNull();
    expect(file.problem).toMatch(/does not fit/);
    const garbage = fileReview(patch({ unified_diff: '@@ nonsense' }), [], 'me');
    expect(garbage.original).toBeNull();
    expect(garbage.problem).toMatch(/could not be read|does not fit/);
  });

  it('puts every reviewer’s decision on its hunk, mine apart', () => {
    const [first, second] = hunksOf(patch().unified_diff!);
    const file = fileReview(
      patch(),
      [
        decision(first!.id, 'me', 'accept'),
        decision(first!.id, 'rita', 'reject'),
        decision(second!.id, 'rita', 'accept'),
      ],
      'me',
    );
    expect(file.hunks[0]).toMatchObject({
      mine: 'accept',
      acceptedBy: ['Me Myself'],
      rejectedBy: ['Rita Reviewer'],
    });
    expect(file.hunks[1]).toMatchObject({ mine: null, acceptedBy: ['Rita Reviewer'], rejectedBy: [] });
  });

  it('gives a revised patch a new version, so a viewed mark does not carry over', () => {
    const other = createPatch('src/a.js', BEFORE, BEFORE.replace('line 5\n', 'line five\n'));
    expect(fileReview(patch(), [], 'me').version).not.toBe(
      fileReview(
        patch({ unified_diff: other, new_content: BEFORE.replace('line 5\n', 'line five\n') }),
        [],
        'me',
      ).version,
    );
    expect(fileReview(patch(), [], 'me').version).toBe(fileReview(patch(), [], 'me').version);
  });
});

describe('hunkRange', () => {
  it('names the lines a hunk covers after the change, or before it for a removal only', () => {
    const [first, second] = fileReview(patch(), [], 'me').hunks;
    expect(hunkRange(first!)).toMatch(/^lines \d+–\d+$/);
    expect(hunkRange({ oldStart: 4, oldLines: 2, newStart: 3, newLines: 0 })).toBe('removes lines 4–5');
    expect(hunkRange({ oldStart: 4, oldLines: 1, newStart: 4, newLines: 1 })).toBe('line 4');
    expect(second).toBeDefined();
  });
});

const commentRow = (over: Partial<ChangesetCommentRow>): ChangesetCommentRow => ({
  id: 'c',
  patch_id: 'p1',
  file_path: 'src/a.js',
  line: 3,
  side: 'new',
  hunk_id: null,
  body: 'Why?',
  author_id: 'u',
  author_name: 'Rita Reviewer',
  resolved: false,
  resolver_name: null,
  resolved_at: null,
  created_at: '2026-12-07T10:00:00Z',
  ...over,
});

describe('threadsOf', () => {
  it('groups a file’s comments by line and side, in line order; resolved only when all are', () => {
    const threads = threadsOf(
      [
        commentRow({ id: '1', line: 9 }),
        commentRow({ id: '2', line: 3 }),
        commentRow({ id: '3', line: 3, resolved: true }),
        commentRow({ id: '4', line: 3, side: 'old', resolved: true }),
        commentRow({ id: '5', file_path: 'other.js' }),
        commentRow({ id: '6', file_path: null, line: null, patch_id: null }),
      ],
      'src/a.js',
    );
    expect(threads.map((t) => [t.line, t.side, t.comments.map((c) => c.id), t.resolved])).toEqual([
      [3, 'new', ['2', '3'], false],
      [3, 'old', ['4'], true],
      [9, 'new', ['1'], false],
    ]);
    expect(threadsOf([commentRow({ id: '6', file_path: null, line: null })], null)).toHaveLength(1);
  });
});

describe('allowedActions', () => {
  const ALL = [
    'changesets:read',
    'changesets:write',
    'changesets:submit',
    'changesets:review',
    'changesets:apply',
  ];
  const of = (
    status: Parameters<typeof allowedActions>[0]['status'],
    proposer = 'author',
    me = 'me',
    perms = ALL,
  ) => [...allowedActions({ status, proposed_by: proposer }, me, perms)].sort();

  it('offers each state’s moves to those who may make them', () => {
    expect(of('draft')).toEqual(['comment', 'submit']);
    expect(of('pending_review')).toEqual(['approve', 'comment', 'decideHunks', 'reject']);
    expect(of('approved')).toEqual(['apply', 'comment']);
    expect(of('rejected')).toEqual(['comment', 'revise']);
    expect(of('applied')).toEqual(['comment']);
  });

  it('never offers a review of one’s own changeset, and nothing without the permission', () => {
    expect(of('pending_review', 'me', 'ME')).toEqual(['comment', 'withdraw']);
    expect(of('pending_review', 'author', 'me', ['changesets:read'])).toEqual([]);
    expect(of('approved', 'author', 'me', ['changesets:read', 'changesets:review'])).toEqual(['comment']);
  });

  it('offers the author, and only the author, to withdraw a changeset in review or approved', () => {
    expect(of('approved', 'me')).toEqual(['apply', 'comment', 'withdraw']);
    expect(of('pending_review', 'me', 'me', ['changesets:read'])).toEqual(['comment']);
    for (const status of ['draft', 'rejected', 'applied'] as const)
      expect(of(status, 'me')).not.toContain('withdraw');
  });
});

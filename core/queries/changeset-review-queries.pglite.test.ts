/**
 * The changeset review's named queries (common/queries/changeset-review.ts) on a client's local
 * database: one changeset with names and state, hunk decisions, comments and the last apply's
 * conflicts, each limited to the reader's visible tenants and needing changesets:read. Fixtures are the
 * write operations' (operations.testkit.ts), plus a decision and two apply attempts' conflicts.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOutpostError } from '../../common/errors.ts';
import { fixturesSql, IDS, reviewFixturesSql } from '../../common/mutations/operations.testkit.ts';
import type { QueryReader } from '../../common/queries/query.ts';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { QueryService } from './query-service.ts';

const reader = (permissions = ['changesets:read'], visible: string[] = [IDS.tenant]): QueryReader => ({
  userId: IDS.admin,
  tenantId: IDS.tenant,
  visibleTenantIds: visible,
  permissions: new Set(permissions),
});

const PATCH = 'f0000000-0000-4000-8000-00000000004a'; // id(74), the patch of the changeset in review
const HUNK = 'h0123456789abcdef';
const SHA = 'a'.repeat(64);

describe('changeset review queries', () => {
  let db: PGlite & { live: LiveNamespace };
  let queries: QueryService;

  beforeAll(async () => {
    db = (await createLocalPGlite()) as PGlite & { live: LiveNamespace };
    await asServerState(db, async (tx) => {
      await tx.exec(fixturesSql());
      await tx.exec(reviewFixturesSql());
      await tx.exec(`
        INSERT INTO workspace_hunk_decisions (tenant_id, changeset_id, patch_id, hunk_id, decided_by, decision)
        VALUES ('${IDS.tenant}', '${IDS.pendingReview}', '${PATCH}', '${HUNK}', '${IDS.approver}', 'reject');
        INSERT INTO workspace_patch_conflicts (tenant_id, changeset_id, patch_id, attempt_id, file_path,
                                               base_sha256, current_sha256, merged_content, created_at) VALUES
          ('${IDS.tenant}', '${IDS.pendingReview}', '${PATCH}', gen_random_uuid(), 'a.js', '${SHA}', '${SHA}',
           'first attempt', now() - interval '1 hour'),
          ('${IDS.tenant}', '${IDS.pendingReview}', '${PATCH}', gen_random_uuid(), 'a.js', '${SHA}', '${SHA}',
           'second attempt', now());`);
    });
    queries = new QueryService(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  const params = { changesetId: IDS.pendingReview };

  it('changesets.one gives the changeset with its workspace, author and state', async () => {
    const { rows } = await queries.run(reader(), { name: 'changesets.one', params });
    expect(rows).toEqual([
      expect.objectContaining({
        id: IDS.pendingReview,
        title: 'In review',
        status: 'pending_review',
        workspace_name: 'Scripts',
        proposed_by: IDS.admin,
        proposer_name: 'admin@ops.test',
        reviewer_name: null,
        patch_count: 1,
      }),
    ]);
    const rejected = await queries.run(reader(), {
      name: 'changesets.one',
      params: { changesetId: IDS.rejected },
    });
    expect(rejected.rows[0]).toMatchObject({
      rejected_reason: 'needs a test',
      reviewer_name: 'approver@ops.test',
    });
  });

  it('changesets.hunkDecisions and changesets.comments name the people', async () => {
    expect((await queries.run(reader(), { name: 'changesets.hunkDecisions', params })).rows).toEqual([
      expect.objectContaining({
        patch_id: PATCH,
        hunk_id: HUNK,
        decision: 'reject',
        decider_name: 'approver@ops.test',
      }),
    ]);
    expect((await queries.run(reader(), { name: 'changesets.comments', params })).rows).toEqual([
      expect.objectContaining({
        id: IDS.comment,
        file_path: 'a.js',
        line: 2,
        side: 'new',
        body: 'Why z?',
        author_name: 'approver@ops.test',
        resolved: false,
      }),
    ]);
  });

  it('changesets.conflicts gives the last apply attempt’s conflicts only', async () => {
    const { rows } = await queries.run(reader(), { name: 'changesets.conflicts', params });
    expect(rows.map((r) => r['merged_content'])).toEqual(['second attempt']);
  });

  it('reads nothing of a tenant the reader cannot see, and needs changesets:read', async () => {
    for (const name of [
      'changesets.one',
      'changesets.hunkDecisions',
      'changesets.comments',
      'changesets.conflicts',
    ] as const) {
      expect((await queries.run(reader(undefined, [IDS.other]), { name, params })).rows).toEqual([]);
      try {
        await queries.run(reader(['workspaces:read']), { name, params });
        expect.unreachable(`${name} needs changesets:read`);
      } catch (error) {
        expect(isOutpostError(error) && error.code).toBe('forbidden');
      }
    }
  });
});

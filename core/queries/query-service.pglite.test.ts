/**
 * The named read queries (common/queries) on a client's local database: the rows each one promises,
 * its tenant scope, its permission and parameter checks, and `live` following local writes.
 * Fixtures are the write operations' (common/mutations/operations.testkit.ts), stored as server state.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesSql, IDS } from '../../common/mutations/operations.testkit.ts';
import type { QueryReader } from '../../common/queries/query.ts';
import { refusal } from '../../scripts/testing/refusal.ts';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { eventually } from '../../scripts/testing/eventually.ts';
import { runLocalNamedMutation } from '../outbox/local-operation.ts';
import { QueryService, type QueryRows } from './query-service.ts';

const READS = ['approvals:read', 'changesets:read', 'changesets:review', 'work_items:read', 'audit:read'];

const reader = (userId: string, permissions = READS, visible: string[] = [IDS.tenant]): QueryReader => ({
  userId,
  tenantId: IDS.tenant,
  visibleTenantIds: visible,
  permissions: new Set(permissions),
});

describe('QueryService', () => {
  let db: PGlite & { live: LiveNamespace };
  let queries: QueryService;

  beforeAll(async () => {
    db = (await createLocalPGlite()) as PGlite & { live: LiveNamespace };
    await asServerState(db, (tx) => tx.exec(fixturesSql()));
    await asServerState(db, (tx) =>
      tx.query(
        `INSERT INTO audit_logs (tenant_id, actor_type, actor_id, action, entity_type, entity_id, created_at,
                                 integrity_hash, previous_hash, chain_seq)
         VALUES ($1, 'user', $2, 'approval.created', 'approval', $3, now() - interval '2 hours', 'h1', 'h0', 1),
                ($1, 'system', NULL, 'approvals.update', 'approvals', $3, now() - interval '1 hour', 'h2', 'h1', 2),
                ($1, 'user', $2, 'approval.created', 'approval', $4, now(), 'h3', 'h2', 3)`,
        [IDS.tenant, IDS.admin, IDS.pending, IDS.highRisk],
      ),
    );
    queries = new QueryService(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('approvals.waitingForMe', () => {
    it('lists the approver’s pending approvals, most urgent first, with names instead of ids', async () => {
      const { rows } = await queries.run(reader(IDS.approver), { name: 'approvals.waitingForMe' });
      // Not the approval the approver requested: nobody decides their own request.
      // Same expiry: the higher risk first (quorum is risk 3, pending risk 2).
      expect(rows.map((r) => r['id'])).toEqual([IDS.overdue, IDS.highRisk, IDS.quorum, IDS.pending]);
      expect(rows[3]).toMatchObject({
        title: 'Pending',
        tenant_name: 'Ops Test',
        requester_name: 'requester@ops.test',
        work_item_title: 'Post journal',
        assistant_name: 'Bot',
        risk_level: 2,
        status: 'pending',
        on_behalf_of: null,
        quorum_required: 1,
        quorum_approvals: 0,
        my_decision: null,
      });
      expect(typeof rows[3]?.['expires_at']).toBe('string');
    });

    it('lists what a delegate may decide for an approver, within the delegation’s risk levels', async () => {
      const { rows } = await queries.run(reader(IDS.admin), { name: 'approvals.waitingForMe' });
      // The delegation covers risk 0–4: the risk-5 approval stays with the approver; the approver's own
      // request is never decided through their delegation.
      expect(rows.map((r) => r['id'])).toEqual([IDS.overdue, IDS.quorum, IDS.pending]);
      expect(rows[0]).toMatchObject({ on_behalf_of: IDS.approver, on_behalf_of_name: 'approver@ops.test' });
    });

    it('never shows another tenant’s approvals, and narrows to the scoped tenant', async () => {
      const other = await queries.run(reader(IDS.approver), {
        name: 'approvals.waitingForMe',
        params: { tenantId: IDS.other },
      });
      expect(other.rows).toEqual([]);
      const users = await queries.run(reader(IDS.requester), { name: 'approvals.waitingForMe' });
      expect(users.rows).toEqual([]);
    });

    it('shows the quorum: required, approved so far, and what the reader decided', async () => {
      await asServerState(db, (tx) =>
        tx.query(
          `INSERT INTO approval_policies (id, tenant_id, quorum_min_risk_level, quorum_required)
           VALUES ('f0000000-0000-4000-8000-0000000000a0', $1, 3, 2)`,
          [IDS.tenant],
        ),
      );
      await runLocalNamedMutation(
        db,
        { ...reader(IDS.approver), permissions: new Set(['approvals:decide']) },
        { name: 'approval.decide', key: { id: IDS.quorum }, values: { decision: 'approve' } },
      );
      const mine = await queries.run(reader(IDS.approver), { name: 'approvals.waitingForMe' });
      expect(mine.rows.find((r) => r['id'] === IDS.quorum)).toMatchObject({
        quorum_required: 2,
        quorum_approvals: 1,
        my_decision: 'approve',
      });
      const third = await queries.run(reader(IDS.third), { name: 'approvals.waitingForMe' });
      expect(third.rows.find((r) => r['id'] === IDS.quorum)).toMatchObject({
        quorum_required: 2,
        quorum_approvals: 1,
        my_decision: null,
      });
      // The admin acts for the approver, who already approved.
      const admin = await queries.run(reader(IDS.admin), { name: 'approvals.waitingForMe' });
      expect(admin.rows.find((r) => r['id'] === IDS.quorum)).toMatchObject({ my_decision: 'approve' });
      const decisions = await queries.run(reader(IDS.third), {
        name: 'approvals.decisions',
        params: { approvalId: IDS.quorum },
      });
      expect(decisions.rows).toEqual([
        expect.objectContaining({ decided_by: IDS.approver, decision: 'approve', on_behalf_of: null }),
      ]);
      const delegations = await queries.run(reader(IDS.admin), { name: 'delegations.mine' });
      expect(delegations.rows).toEqual([
        expect.objectContaining({ id: IDS.delegation, direction: 'received', is_current: true }),
      ]);
    });

    it('offers the reader’s own tenant’s users as delegates, by name, never the reader', async () => {
      const delegates = reader(IDS.approver, ['approvals:delegate']);
      const { rows } = await queries.run(delegates, { name: 'delegations.candidates' });
      expect(rows.map((r) => r['email'])).toEqual(['admin@ops.test', 'requester@ops.test', 'third@ops.test']);
      expect(rows.every((r) => typeof r['name'] === 'string' && r['name'] !== '')).toBe(true);
      const refused = await refusal(queries.run(reader(IDS.approver), { name: 'delegations.candidates' }));
      expect(refused.code).toBe('forbidden');
    });

    it('waitingForMeCount counts what the list shows for every reader, beyond the list’s limit', async () => {
      for (const id of [IDS.approver, IDS.admin, IDS.requester, IDS.third]) {
        const list = await queries.run(reader(id), { name: 'approvals.waitingForMe' });
        const count = await queries.run(reader(id), { name: 'approvals.waitingForMeCount' });
        expect(count.rows, `the count for ${id}`).toEqual([{ count: list.rows.length }]);
      }
      const limited = await queries.run(reader(IDS.approver), {
        name: 'approvals.waitingForMe',
        params: { limit: 2 },
      });
      expect(limited.rows).toHaveLength(2);
      const all = await queries.run(reader(IDS.approver), { name: 'approvals.waitingForMeCount' });
      expect(all.rows[0]?.['count']).toBeGreaterThan(2);
      const other = await queries.run(reader(IDS.approver), {
        name: 'approvals.waitingForMeCount',
        params: { tenantId: IDS.other },
      });
      expect(other.rows).toEqual([{ count: 0 }]);
    });

    it('follows a decision live: the decided approval leaves the list', async () => {
      const events: QueryRows[] = [];
      const failures: unknown[] = [];
      const stop = await queries.live(
        reader(IDS.approver),
        { name: 'approvals.waitingForMe' },
        (rows) => events.push(rows),
        (error) => failures.push(error),
      );
      expect(events[0]?.rows).toHaveLength(4);
      await runLocalNamedMutation(
        db,
        { ...reader(IDS.approver), permissions: new Set(['approvals:decide']) },
        // Risk 2: below the quorum policy the test above added, so one approval decides it.
        { name: 'approval.decide', key: { id: IDS.pending }, values: { decision: 'approve' } },
      );
      await eventually(() => Promise.resolve(events.length === 2), 'the list after the decision', 10_000);
      expect(events[1]?.rows.map((r) => r['id'])).toEqual([IDS.overdue, IDS.highRisk, IDS.quorum]);
      stop();
      expect(failures).toEqual([]);
    });
  });

  it('changesets.awaitingMyReview lists what others submitted, with the workspace and author', async () => {
    const { rows } = await queries.run(reader(IDS.approver), { name: 'changesets.awaitingMyReview' });
    expect(rows).toEqual([
      expect.objectContaining({
        id: IDS.pendingReview,
        title: 'In review',
        workspace_name: 'Scripts',
        proposer_name: 'admin@ops.test',
        patch_count: 1,
      }),
    ]);
    const own = await queries.run(reader(IDS.admin), { name: 'changesets.awaitingMyReview' });
    expect(own.rows).toEqual([]);
    const count = await queries.run(reader(IDS.approver), { name: 'changesets.awaitingMyReviewCount' });
    expect(count.rows).toEqual([{ count: 1 }]);
    const ownCount = await queries.run(reader(IDS.admin), { name: 'changesets.awaitingMyReviewCount' });
    expect(ownCount.rows).toEqual([{ count: 0 }]);
  });

  it('changesets.patches lists one changeset’s patches with their diffs, and needs changesets:read', async () => {
    const { rows } = await queries.run(reader(IDS.approver), {
      name: 'changesets.patches',
      params: { changesetId: IDS.pendingReview },
    });
    expect(rows).toEqual([expect.objectContaining({ file_path: 'a.js', operation: 'modify', position: 0 })]);
    expect(rows[0]?.['unified_diff']).toMatch(/^@@ /m);
    const other = await queries.run(reader(IDS.approver, ['changesets:read'], [IDS.other]), {
      name: 'changesets.patches',
      params: { changesetId: IDS.pendingReview },
    });
    expect(other.rows).toEqual([]);
    const refused = await refusal(
      queries.run(reader(IDS.approver, ['approvals:read']), {
        name: 'changesets.patches',
        params: { changesetId: IDS.pendingReview },
      }),
    );
    expect(refused.code).toBe('forbidden');
  });

  it('workItems.byStatus lists the work items in one state with their assistant', async () => {
    const { rows } = await queries.run(reader(IDS.approver), {
      name: 'workItems.byStatus',
      params: { status: 'awaiting_approval' },
    });
    expect(rows).toEqual([
      expect.objectContaining({ id: IDS.workItem, title: 'Post journal', assistant_name: 'Bot' }),
    ]);
  });

  it('workItems.byStatus with mine lists only the work items the reader created', async () => {
    const mine = () =>
      queries.run(reader(IDS.approver), {
        name: 'workItems.byStatus',
        params: { status: 'awaiting_approval', mine: true },
      });
    expect((await mine()).rows).toEqual([]);
    const setCreator = (userId: string | null) =>
      asServerState(db, (tx) =>
        tx.query(`UPDATE work_items SET created_by = $1 WHERE id = $2`, [userId, IDS.workItem]),
      );
    await setCreator(IDS.approver);
    try {
      expect((await mine()).rows).toEqual([
        expect.objectContaining({ id: IDS.workItem, created_by: IDS.approver }),
      ]);
    } finally {
      await setCreator(null);
    }
  });

  it('records.history lists one record’s audit events, newest first, under both entity names', async () => {
    const { rows } = await queries.run(reader(IDS.approver), {
      name: 'records.history',
      params: { table: 'approvals', id: IDS.pending },
    });
    expect(rows.map((r) => [r['action'], r['actor_name']])).toEqual([
      ['approvals.update', null],
      ['approval.created', 'admin@ops.test'],
    ]);
  });

  describe('refusals, before any SQL', () => {
    it('an unknown query', async () => {
      const error = await refusal(queries.run(reader(IDS.approver), { name: 'approvals.everything' }));
      expect(error.code).toBe('validation');
      expect(error.message).toContain('approvals.waitingForMe');
    });

    it('a missing permission', async () => {
      const error = await refusal(
        queries.run(reader(IDS.approver, ['work_items:read']), { name: 'approvals.waitingForMe' }),
      );
      expect(error).toMatchObject({ code: 'forbidden' });
      expect(error.message).toContain('approvals:read');
    });

    it('malformed or unknown params, named', async () => {
      const bad = await refusal(
        queries.run(reader(IDS.approver), { name: 'approvals.waitingForMe', params: { tenantId: 'x' } }),
      );
      expect(bad).toMatchObject({ code: 'validation' });
      expect(bad.message).toContain('params.tenantId');
      const unknown = await refusal(
        queries.run(reader(IDS.approver), { name: 'workItems.byStatus', params: { status: 'done' } }),
      );
      expect(unknown.message).toContain('params.status');
      const table = await refusal(
        queries.run(reader(IDS.approver), {
          name: 'records.history',
          params: { table: 'accounts', id: '1' },
        }),
      );
      expect(table.message).toContain('a table with a sync rule');
    });
  });
});

/**
 * The approval expiry job's pass on PostgreSQL 15 with the central schema and row-level security
 * (the sweep runs as outpost_app): expiry by default, the escalation chain step by step (tenant admins,
 * then the holding's approvers) with new expiries and the audit chain, two workers at once, and a pass
 * that dies in the middle of its batch.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import type { TestDatabase } from '../../scripts/testing/postgres.ts';
import { sweepExpiredApprovals } from './expiry-sweep.ts';
import { dueApproval, FIXTURES_SQL, X } from './expiry.fixtures.ts';

let database: TestDatabase;
let admin: pg.Client;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createMigratedTestDatabase('expiry_sweep');
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(FIXTURES_SQL);
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await admin?.end();
  await database?.drop();
});
beforeEach(async () => {
  await admin.query(`DELETE FROM approval_policies`);
});
afterEach(async () => {
  // Leave nothing due for the next test.
  await admin.query(
    `UPDATE approvals SET expires_at = now() + interval '10 years' WHERE status IN ('pending', 'escalated')`,
  );
});

const approvalRow = async (id: string) =>
  (
    await admin.query<{
      status: string;
      escalation_count: number;
      approver_ids: string[];
      minutes_left: number;
      context: Record<string, unknown>;
    }>(
      `SELECT status, escalation_count, approver_ids::text[] AS approver_ids, context,
              round(extract(epoch FROM expires_at - now()) / 60)::int AS minutes_left
         FROM approvals WHERE id = $1`,
      [id],
    )
  ).rows[0];

const auditOf = async (entityId: string) =>
  (
    await admin.query<{ action: string; actor_type: string; actor_id: string | null }>(
      `SELECT action, actor_type, actor_id::text AS actor_id FROM audit_logs WHERE entity_id = $1 ORDER BY id`,
      [entityId],
    )
  ).rows;

const escalatePolicy = (tenant: string, chain: string, window = 60) =>
  admin.query(
    `INSERT INTO approval_policies (tenant_id, on_expiry, escalation_chain, escalation_window_minutes)
     VALUES ($1, 'escalate', $2::text[], $3)`,
    [tenant, chain, window],
  );

const makeDue = (approval: string) =>
  admin.query(`UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = $1`, [approval]);

describe('the approval expiry sweep', () => {
  it('expires a pending approval past expiry without a policy, cancels its work item, and audits both', async () => {
    const { approval, workItem } = await dueApproval(admin, 'A');
    const notDue = await dueApproval(admin, 'A', "now() + interval '1 hour'");
    const result = await sweepExpiredApprovals(pool);
    expect(result.expired).toEqual([approval]);
    expect((await approvalRow(approval))?.status).toBe('expired');
    expect((await approvalRow(notDue.approval))?.status).toBe('pending');
    expect((await admin.query(`SELECT status FROM work_items WHERE id = $1`, [workItem])).rows[0]).toEqual({
      status: 'cancelled',
    });
    expect(await auditOf(approval)).toEqual([
      { action: 'approval.expired', actor_type: 'system', actor_id: null },
    ]);
    expect(await auditOf(workItem)).toEqual([
      { action: 'work_item.cancelled', actor_type: 'system', actor_id: null },
    ]);
    const verify = await admin.query<{ broken: number }>(
      `SELECT count(*)::int AS broken FROM audit_logs a
        WHERE a.tenant_id = $1 AND a.integrity_hash IS NULL`,
      [X.A],
    );
    expect(verify.rows[0]?.broken).toBe(0);
  });

  it('walks the escalation chain: the tenant’s admins, then the holding’s approvers, then expires', async () => {
    await escalatePolicy(X.S, '{tenant_admins,holding_approvers}', 60);
    const { approval, workItem } = await dueApproval(admin, 'S');

    expect((await sweepExpiredApprovals(pool)).escalated).toEqual([approval]);
    const first = await approvalRow(approval);
    expect(first).toMatchObject({ status: 'escalated', escalation_count: 1, approver_ids: [X.adminS] });
    expect(first?.minutes_left).toBe(60);
    expect(first?.context['escalated_from']).toEqual([X.approverS]);

    await makeDue(approval);
    expect((await sweepExpiredApprovals(pool)).escalated).toEqual([approval]);
    expect(await approvalRow(approval)).toMatchObject({
      status: 'escalated',
      escalation_count: 2,
      approver_ids: [X.holdingApprover],
    });

    await makeDue(approval);
    expect((await sweepExpiredApprovals(pool)).expired).toEqual([approval]);
    expect((await approvalRow(approval))?.status).toBe('expired');
    expect((await auditOf(approval)).map((a) => a.action)).toEqual([
      'approval.escalated',
      'approval.escalated',
      'approval.expired',
    ]);
    expect((await auditOf(workItem)).map((a) => a.action)).toEqual(['work_item.cancelled']);
    // The subsidiary's approval is audited in the subsidiary's chain.
    const tenants = await admin.query<{ tenant_id: string }>(
      `SELECT DISTINCT tenant_id::text AS tenant_id FROM audit_logs WHERE entity_id = $1`,
      [approval],
    );
    expect(tenants.rows).toEqual([{ tenant_id: X.S }]);
  });

  it('skips a chain step that names nobody, and never hands an approval to its requester', async () => {
    // A has no holding: holding_approvers names nobody; the requester holds approvals:decide.
    await escalatePolicy(X.A, '{holding_approvers,tenant_approvers}');
    const { approval } = await dueApproval(admin, 'A');
    await sweepExpiredApprovals(pool);
    const row = await approvalRow(approval);
    expect(row?.status).toBe('escalated');
    // Everyone in A who holds approvals:decide (the admin role grants it too), except the requester.
    expect([...(row?.approver_ids ?? [])].sort()).toEqual([X.approverA, X.adminA, X.secondA].sort());
    expect(row?.context['escalation_step']).toBe(1);
  });

  it('escalates each approval exactly once with two workers at once', async () => {
    await escalatePolicy(X.A, '{tenant_admins}');
    const due = [];
    for (let i = 0; i < 24; i++) due.push((await dueApproval(admin, 'A')).approval);
    const second = new pg.Pool({ connectionString: database.url, max: 4 });
    try {
      const [a, b] = await Promise.all([
        sweepExpiredApprovals(pool, { batchSize: 50 }),
        sweepExpiredApprovals(second, { batchSize: 50 }),
      ]);
      const handled = [...a.escalated, ...b.escalated];
      expect(handled.sort()).toEqual([...due].sort());
      expect(new Set(handled).size).toBe(due.length);
    } finally {
      await second.end();
    }
    const counts = await admin.query<{ n: number; escalation_count: number }>(
      `SELECT count(*)::int AS n, max(escalation_count) AS escalation_count FROM approvals WHERE id = ANY ($1::uuid[])`,
      [due],
    );
    expect(counts.rows[0]).toEqual({ n: 24, escalation_count: 1 });
    const audits = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_logs WHERE action = 'approval.escalated' AND entity_id = ANY ($1::text[])`,
      [due],
    );
    expect(audits.rows[0]?.n).toBe(24);
  });

  it('survives a pass that dies in the middle of its batch: no approval is escalated twice', async () => {
    await escalatePolicy(X.A, '{tenant_admins}');
    const due = [];
    for (let i = 0; i < 5; i++) due.push((await dueApproval(admin, 'A')).approval);
    let seen = 0;
    await expect(
      sweepExpiredApprovals(pool, {
        beforeCommit: () => {
          seen += 1;
          if (seen === 3) throw new Error('the worker died');
          return Promise.resolve();
        },
      }),
    ).rejects.toThrow('the worker died');
    const midway = await admin.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM approvals WHERE id = ANY ($1::uuid[]) GROUP BY status ORDER BY status`,
      [due],
    );
    expect(midway.rows).toEqual([
      { status: 'escalated', n: 2 },
      { status: 'pending', n: 3 },
    ]);
    const rerun = await sweepExpiredApprovals(pool);
    expect(rerun.escalated).toHaveLength(3);
    const after = await admin.query<{ escalation_count: number; n: number }>(
      `SELECT escalation_count, count(*)::int AS n FROM approvals WHERE id = ANY ($1::uuid[]) GROUP BY escalation_count`,
      [due],
    );
    expect(after.rows).toEqual([{ escalation_count: 1, n: 5 }]);
    const audits = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_logs WHERE action = 'approval.escalated' AND entity_id = ANY ($1::text[])`,
      [due],
    );
    expect(audits.rows[0]?.n).toBe(5);
  });
});

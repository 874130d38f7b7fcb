/**
 * The database's business rules, written once and run against a migrated PGlite
 * (rules.pglite.test.ts) and a migrated PostgreSQL 15 (rules.pg.test.ts): lifecycles pair by pair,
 * final approval decisions, delegations, work item timestamps, and the append-only hash-chained
 * audit log.
 */
import { describe, expect, it } from 'vitest';
import { approvalLifecycle, APPROVAL_STATES, type ApprovalState } from '../common/lifecycles/approval.ts';
import { changesetLifecycle, CHANGESET_STATES, type ChangesetState } from '../common/lifecycles/changeset.ts';
import { allowedTransitions, type Lifecycle } from '../common/lifecycles/state-machine.ts';
import type { SqlExecutor } from '../common/migrations/runner.ts';

export interface RulesDatabase {
  /** A connection to a database migrated with every shared migration. */
  readonly db: SqlExecutor;
  /** Runs SQL with triggers disabled, as only a superuser can: used to simulate tampering. */
  readonly asSuperuserWithoutTriggers: (sql: string, params?: readonly unknown[]) => Promise<void>;
}

interface Fixture {
  tenant: string;
  admin: string;
  approver: string;
  assistant: string;
  workItem: string;
  workspace: string;
}

let counter = 0;

async function one<T>(db: SqlExecutor, sql: string, params: readonly unknown[] = []): Promise<T> {
  const { rows } = await db.query<T>(sql, params);
  if (!rows[0]) throw new Error(`expected a row from: ${sql}`);
  return rows[0];
}

async function fixture(db: SqlExecutor): Promise<Fixture> {
  counter += 1;
  const slug = `rules-${Date.now().toString(36)}-${counter}`;
  const { id: tenant } = await one<{ id: string }>(
    db,
    `INSERT INTO tenants (name, slug) VALUES ($1, $2) RETURNING id`,
    [`Rules ${counter}`, slug],
  );
  const user = async (email: string) =>
    (
      await one<{ id: string }>(
        db,
        `INSERT INTO users (tenant_id, email, role) VALUES ($1, $2, 'admin') RETURNING id`,
        [tenant, `${email}@${slug}.test`],
      )
    ).id;
  const admin = await user('admin');
  const approver = await user('approver');
  const { id: assistant } = await one<{ id: string }>(
    db,
    `INSERT INTO assistants (tenant_id, name, slug, type) VALUES ($1, 'Finance', 'finance', 'shared_finance') RETURNING id`,
    [tenant],
  );
  const { id: workItem } = await one<{ id: string }>(
    db,
    `INSERT INTO work_items (tenant_id, assistant_id, title) VALUES ($1, $2, 'Close the month') RETURNING id`,
    [tenant, assistant],
  );
  const { id: workspace } = await one<{ id: string }>(
    db,
    `INSERT INTO workspaces (tenant_id, name) VALUES ($1, 'Scripts') RETURNING id`,
    [tenant],
  );
  return { tenant, admin, approver, assistant, workItem, workspace };
}

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected the statement to be refused');
}

function reachable<S extends string, E extends string>(lifecycle: Lifecycle<S, E>, from: S, to: S): boolean {
  return allowedTransitions(lifecycle).some((t) => t.from === from && t.to === to);
}

export function businessRulesContract(open: () => RulesDatabase): void {
  describe('lifecycle tables', () => {
    it('the database holds exactly the transitions of common/lifecycles', async () => {
      const { db } = open();
      for (const lifecycle of [changesetLifecycle, approvalLifecycle] as Lifecycle<string, string>[]) {
        const { rows } = await db.query<{ from: string; event: string; to: string }>(
          `SELECT from_state AS "from", event, to_state AS "to" FROM state_transitions WHERE machine = $1`,
          [lifecycle.name],
        );
        const key = (t: { from: string; event: string; to: string }) => `${t.from}|${t.event}|${t.to}`;
        expect(rows.map(key).sort()).toEqual(allowedTransitions(lifecycle).map(key).sort());
      }
    });
  });

  describe('workspace changesets', () => {
    const pairs = CHANGESET_STATES.flatMap((from) =>
      CHANGESET_STATES.filter((to) => to !== from).map(
        (to) => [from, to] as [ChangesetState, ChangesetState],
      ),
    );
    it.each(pairs)('%s -> %s is allowed exactly when the lifecycle allows it', async (from, to) => {
      const { db } = open();
      const f = await fixture(db);
      const { id } = await one<{ id: string }>(
        db,
        `INSERT INTO workspace_changesets (tenant_id, workspace_id, title, status, rejected_reason)
         VALUES ($1, $2, 'Fix rounding', $3, 'needs tests') RETURNING id`,
        [f.tenant, f.workspace, from],
      );
      const update = db.query(`UPDATE workspace_changesets SET status = $2, reviewed_by = $3 WHERE id = $1`, [
        id,
        to,
        f.approver,
      ]);
      if (reachable(changesetLifecycle, from, to)) {
        await update;
        const row = await one<{ status: string; reviewed_at: unknown; applied_at: unknown }>(
          db,
          `SELECT status, reviewed_at, applied_at FROM workspace_changesets WHERE id = $1`,
          [id],
        );
        expect(row.status).toBe(to);
        if (to === 'approved' || to === 'rejected') expect(row.reviewed_at).not.toBeNull();
        if (to === 'applied') expect(row.applied_at).not.toBeNull();
      } else {
        const error = await failure(update);
        expect(error.code).toBe('OP001');
        expect(error.message).toContain(`invalid workspace_changeset transition: ${from} -> ${to}`);
      }
    });

    it('refuses to reject without a reason', async () => {
      const { db } = open();
      const f = await fixture(db);
      const { id } = await one<{ id: string }>(
        db,
        `INSERT INTO workspace_changesets (tenant_id, workspace_id, title, status) VALUES ($1, $2, 'x', 'pending_review') RETURNING id`,
        [f.tenant, f.workspace],
      );
      const error = await failure(
        db.query(`UPDATE workspace_changesets SET status = 'rejected' WHERE id = $1`, [id]),
      );
      expect(error.code).toBe('OP003');
      expect(error.message).toContain('rejected_reason');
    });
  });

  describe('approvals', () => {
    const insertApproval = async (
      db: SqlExecutor,
      f: Fixture,
      status: ApprovalState,
      expiresIn = '-1 hour',
    ) =>
      (
        await one<{ id: string }>(
          db,
          `INSERT INTO approvals (tenant_id, work_item_id, title, risk_level, status, requested_by, approver_ids,
                                  approved_by, rejected_reason, expires_at)
           VALUES ($1, $2, 'Pay vendor', 3, $3, $4, ARRAY[$5]::uuid[],
                   CASE WHEN $3 IN ('approved', 'rejected') THEN $5::uuid END,
                   CASE WHEN $3 = 'rejected' THEN 'over budget' END,
                   now() + $6::interval)
           RETURNING id`,
          [f.tenant, f.workItem, status, f.admin, f.approver, expiresIn],
        )
      ).id;

    const pairs = APPROVAL_STATES.flatMap((from) =>
      APPROVAL_STATES.filter((to) => to !== from).map((to) => [from, to] as [ApprovalState, ApprovalState]),
    );
    it.each(pairs)('%s -> %s is allowed exactly when the lifecycle allows it', async (from, to) => {
      const { db } = open();
      const f = await fixture(db);
      const id = await insertApproval(db, f, from);
      const update = db.query(
        `UPDATE approvals SET status = $2, approved_by = coalesce(approved_by, $3), rejected_reason = coalesce(rejected_reason, 'no')
          WHERE id = $1`,
        [id, to, f.approver],
      );
      if (reachable(approvalLifecycle, from, to)) {
        await update;
        const row = await one<{ status: string; escalation_count: number }>(
          db,
          `SELECT status, escalation_count FROM approvals WHERE id = $1`,
          [id],
        );
        expect(row.status).toBe(to);
        if (to === 'escalated') expect(row.escalation_count).toBe(1);
      } else {
        const error = await failure(update);
        expect(error.code).toBe('OP001');
        expect(error.message).toMatch(/invalid approval transition|already decided/);
      }
    });

    it('refuses to insert a decision without its decider or a rejection without its reason', async () => {
      const { db } = open();
      const f = await fixture(db);
      const insert = (status: string, approvedBy: string | null, reason: string | null) =>
        db.query(
          `INSERT INTO approvals (tenant_id, work_item_id, title, risk_level, status, requested_by, approved_by, rejected_reason, expires_at)
           VALUES ($1, $2, 'x', 1, $3, $4, $5, $6, now())`,
          [f.tenant, f.workItem, status, f.admin, approvedBy, reason],
        );
      expect((await failure(insert('approved', null, null))).message).toContain(
        'approvals_decision_has_decider',
      );
      expect((await failure(insert('rejected', f.approver, ' '))).message).toContain(
        'approvals_rejected_has_reason',
      );
      await insert('approved', f.approver, null);
    });

    it('keeps a decision final: the decider cannot be changed afterwards', async () => {
      const { db } = open();
      const f = await fixture(db);
      const id = await insertApproval(db, f, 'approved');
      const error = await failure(
        db.query(`UPDATE approvals SET approved_by = $2 WHERE id = $1`, [id, f.admin]),
      );
      expect(error.code).toBe('OP001');
      expect(error.message).toContain('already decided');
    });

    it('refuses a decision without the deciding user, and expiry before expires_at', async () => {
      const { db } = open();
      const f = await fixture(db);
      const id = await insertApproval(db, f, 'pending', '+1 hour');
      const noDecider = await failure(
        db.query(`UPDATE approvals SET status = 'approved' WHERE id = $1`, [id]),
      );
      expect(noDecider.code).toBe('OP003');
      expect(noDecider.message).toContain('approved_by');
      const early = await failure(db.query(`UPDATE approvals SET status = 'expired' WHERE id = $1`, [id]));
      expect(early.code).toBe('OP003');
      expect(early.message).toContain('cannot expire before');
    });
  });

  describe('approval delegations', () => {
    const delegate = (
      db: SqlExecutor,
      tenant: string,
      from: string,
      to: string,
      starts: string,
      ends: string,
    ) =>
      db.query(
        `INSERT INTO approval_delegations (tenant_id, delegator_id, delegate_id, starts_at, ends_at)
         VALUES ($1, $2, $3, now() + $4::interval, now() + $5::interval)`,
        [tenant, from, to, starts, ends],
      );

    it('accepts a delegation to another user of the tenant for a real period', async () => {
      const { db } = open();
      const f = await fixture(db);
      await delegate(db, f.tenant, f.approver, f.admin, '0 hours', '2 days');
    });

    it('refuses self-delegation, an empty period and a delegate from another tenant', async () => {
      const { db } = open();
      const f = await fixture(db);
      const other = await fixture(db);
      expect((await failure(delegate(db, f.tenant, f.admin, f.admin, '0 hours', '1 day'))).message).toContain(
        'valid_delegation',
      );
      expect(
        (await failure(delegate(db, f.tenant, f.approver, f.admin, '1 day', '1 day'))).message,
      ).toContain('approval_delegations_period');
      const cross = await failure(delegate(db, f.tenant, f.approver, other.admin, '0 hours', '1 day'));
      expect(cross.code).toBe('OP003');
      expect(cross.message).toContain('must both belong to tenant');
    });
  });

  describe('work items', () => {
    it('sets started_at when work starts and completed_at when it ends', async () => {
      const { db } = open();
      const f = await fixture(db);
      const at = () =>
        one<{ started: boolean; completed: boolean }>(
          db,
          `SELECT started_at IS NOT NULL AS started, completed_at IS NOT NULL AS completed FROM work_items WHERE id = $1`,
          [f.workItem],
        );
      expect(await at()).toEqual({ started: false, completed: false });
      await db.query(`UPDATE work_items SET status = 'in_progress' WHERE id = $1`, [f.workItem]);
      expect(await at()).toEqual({ started: true, completed: false });
      await db.query(`UPDATE work_items SET status = 'completed' WHERE id = $1`, [f.workItem]);
      expect(await at()).toEqual({ started: true, completed: true });
    });
  });

  describe('audit log', () => {
    const record = (db: SqlExecutor, tenant: string, action: string) =>
      db.query(
        `INSERT INTO audit_logs (tenant_id, actor_type, action, entity_type, entity_id, after_state, integrity_hash)
         VALUES ($1, 'user', $2, 'approval', 'a-1', '{"status":"approved"}', 'client-supplied, ignored')`,
        [tenant, action],
      );
    const verify = (db: SqlExecutor, tenant: string) =>
      one<{ ok: boolean; checked: string; broken_seq: string | null; reason: string | null }>(
        db,
        `SELECT ok, checked::text, broken_seq::text, reason FROM verify_audit_chain($1)`,
        [tenant],
      );

    it('chains every tenant separately and verifies an untouched chain', async () => {
      const { db } = open();
      const a = await fixture(db);
      const b = await fixture(db);
      for (const action of ['approve', 'apply', 'login']) await record(db, a.tenant, action);
      await record(db, b.tenant, 'login');
      const rows = await db.query<{ chain_seq: string; previous_hash: string; integrity_hash: string }>(
        `SELECT chain_seq::text, previous_hash, integrity_hash FROM audit_logs WHERE tenant_id = $1 ORDER BY chain_seq`,
        [a.tenant],
      );
      expect(rows.rows.map((r) => r.chain_seq)).toEqual(['1', '2', '3']);
      expect(rows.rows[0]?.previous_hash).toBe('0'.repeat(64));
      expect(rows.rows[1]?.previous_hash).toBe(rows.rows[0]?.integrity_hash);
      expect(rows.rows[0]?.integrity_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await verify(db, a.tenant)).toEqual({ ok: true, checked: '3', broken_seq: null, reason: null });
      expect(await verify(db, b.tenant)).toMatchObject({ ok: true, checked: '1' });
    });

    it('refuses UPDATE, DELETE and TRUNCATE, on the table and on a partition', async () => {
      const { db } = open();
      const f = await fixture(db);
      await record(db, f.tenant, 'approve');
      const statements = [
        [`UPDATE audit_logs SET action = 'forged' WHERE tenant_id = $1`, [f.tenant]],
        [`DELETE FROM audit_logs WHERE tenant_id = $1`, [f.tenant]],
        [`TRUNCATE audit_logs`, []],
        [`TRUNCATE audit_logs_default`, []],
      ] as const;
      for (const [sql, params] of statements) {
        const error = await failure(db.query(sql, params));
        expect(error.code, sql).toBe('OP002');
        expect(error.message).toContain('append-only');
      }
      const { rows } = await db.query<{ n: string }>(
        `SELECT (SELECT partition FROM (SELECT tableoid::regclass::text AS partition FROM audit_logs WHERE tenant_id = $1) p) AS n`,
        [f.tenant],
      );
      const partition = rows[0]?.n;
      expect(partition).toMatch(/^audit_logs_\d{4}_\d{2}$/);
      const onPartition = await failure(db.query(`TRUNCATE ${partition}`));
      expect(onPartition.code).toBe('OP002');
    });

    it('finds a tampered row, a removed row and a removed tail', async () => {
      const { db, asSuperuserWithoutTriggers } = open();
      const altered = await fixture(db);
      const removed = await fixture(db);
      const tail = await fixture(db);
      for (const f of [altered, removed, tail]) {
        for (const action of ['a1', 'a2', 'a3', 'a4']) await record(db, f.tenant, action);
      }
      await asSuperuserWithoutTriggers(
        `UPDATE audit_logs SET after_state = '{"status":"rejected"}' WHERE tenant_id = $1 AND chain_seq = 3`,
        [altered.tenant],
      );
      {
        const verdict = await verify(db, altered.tenant);
        expect(verdict).toMatchObject({ ok: false, broken_seq: '3' });
        expect(verdict.reason).toContain('altered');
      }
      await asSuperuserWithoutTriggers(`DELETE FROM audit_logs WHERE tenant_id = $1 AND chain_seq = 2`, [
        removed.tenant,
      ]);
      {
        const verdict = await verify(db, removed.tenant);
        expect(verdict).toMatchObject({ ok: false, broken_seq: '3' });
        expect(verdict.reason).toContain('removed');
      }
      await asSuperuserWithoutTriggers(`DELETE FROM audit_logs WHERE tenant_id = $1 AND chain_seq = 4`, [
        tail.tenant,
      ]);
      {
        const verdict = await verify(db, tail.tenant);
        expect(verdict).toMatchObject({ ok: false });
        expect(verdict.reason).toContain('at the end');
      }
    });

    it('records a checkpoint per partition in audit_log_integrity', async () => {
      const { db } = open();
      const f = await fixture(db);
      await record(db, f.tenant, 'approve');
      const { n } = await one<{ n: number }>(db, `SELECT record_audit_checkpoints() AS n`);
      expect(n).toBeGreaterThanOrEqual(1);
      const { rows } = await db.query<{ cumulative_hash: string }>(
        `SELECT cumulative_hash FROM audit_log_integrity`,
      );
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.cumulative_hash))).toBe(true);
    });
  });
}

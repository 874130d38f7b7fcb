/**
 * The approval rules of the write operations (quorum, self-approval, delegation rules and revoking),
 * part of the contract operations.testkit.ts runs on every database: PGlite with the shared schema,
 * PostgreSQL 15, and a client's local schema (core/outbox/local-operation.pglite.test.ts). The harness
 * gives the contract's helpers; every test runs in the contract's rolled-back transaction, on its
 * fixtures (requester, approver, the approver's delegate the admin, a third user; the approvals
 * `quorum` (risk 3, two approvers) and `ownRequest` (requested by the approver)).
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors.ts';
import { mapDatabaseError } from './database-errors.ts';
import type { actorOf, Draft, IDS, OpenedDatabase } from './operations.testkit.ts';
import { queryRows } from './sql.ts';
import type { AppliedMutation, MutationActor } from './types.ts';

/** The contract's database and helpers (given by operations.testkit.ts, which owns the fixtures). */
export interface ContractHarness {
  readonly ids: typeof IDS;
  readonly actorOf: typeof actorOf;
  readonly db: () => OpenedDatabase;
  readonly run: (actor: MutationActor, draft: Draft) => Promise<AppliedMutation>;
  readonly failure: (actor: MutationActor, draft: Draft) => Promise<ErrorCode>;
  readonly row: (sql: string, params?: unknown[]) => Promise<Record<string, unknown> | undefined>;
  readonly serverWrite: (sql: string, params: unknown[]) => Promise<void>;
}

export function approvalRulesContract(harness: ContractHarness): void {
  const { ids: IDS, actorOf, db, run, failure, row, serverWrite } = harness;
  describe('approval.decide: quorum and self-approval', () => {
    const decide = (approval: string, decision: 'approve' | 'reject', reason?: string) => ({
      name: 'approval.decide',
      key: { id: approval },
      values: { decision, ...(reason ? { reason } : {}) },
    });
    const requireTwoFromRisk3 = () =>
      serverWrite(
        `INSERT INTO approval_policies (tenant_id, quorum_min_risk_level, quorum_required) VALUES ($1, 3, 2)`,
        [IDS.tenant],
      );
    const statusOf = async (approval: string) =>
      (await row(`SELECT status FROM approvals WHERE id = $1`, [approval]))?.['status'];

    it('approves only when K distinct approvers approved, recording each decision in its own row', async () => {
      await requireTwoFromRisk3();
      const first = await run(actorOf(IDS.approver), decide(IDS.quorum, 'approve'));
      expect(first.result).toMatchObject({ status: 'pending', approvals: 1, required: 2 });
      expect(first.changes.map((c) => c.action)).toEqual(['approval_decision.recorded']);
      expect(await statusOf(IDS.quorum)).toBe('pending');
      const second = await run(actorOf(IDS.third), decide(IDS.quorum, 'approve'));
      expect(second.result).toMatchObject({ status: 'approved', approvals: 2, required: 2 });
      expect(second.changes.map((c) => c.action)).toEqual([
        'approval.approved',
        'approval_decision.recorded',
      ]);
      const decisions = await queryRows<{ decided_by: string; decision: string }>(
        db().sql,
        `SELECT decided_by::text AS decided_by, decision FROM approval_decisions WHERE approval_id = $1 ORDER BY decided_at, decided_by`,
        [IDS.quorum],
      );
      expect(decisions.map((d) => d.decided_by).sort()).toEqual([IDS.approver, IDS.third].sort());
      expect(await row(`SELECT approved_by::text AS by FROM approvals WHERE id = $1`, [IDS.quorum])).toEqual({
        by: IDS.third,
      });
    });

    it('needs one approver below the policy’s risk level, and without a policy', async () => {
      const done = await run(actorOf(IDS.approver), decide(IDS.quorum, 'approve'));
      expect(done.result).toMatchObject({ status: 'approved', approvals: 1, required: 1 });
      await requireTwoFromRisk3();
      const low = await run(actorOf(IDS.approver), decide(IDS.pending, 'approve'));
      expect(low.result).toMatchObject({ status: 'approved', required: 1 });
    });

    it('rejects at once on one rejection, whatever the quorum', async () => {
      await requireTwoFromRisk3();
      await run(actorOf(IDS.approver), decide(IDS.quorum, 'approve'));
      const rejected = await run(actorOf(IDS.third), decide(IDS.quorum, 'reject', 'Not this month'));
      expect(rejected.result).toMatchObject({ status: 'rejected', approvals: 1, required: 2 });
      expect(await statusOf(IDS.quorum)).toBe('rejected');
      expect(rejected.changes.map((c) => c.action)).toContain('work_item.cancelled');
      expect(await row(`SELECT status FROM work_items WHERE id = $1`, [IDS.workItem])).toEqual({
        status: 'cancelled',
      });
    });

    it('answers conflict when the same approver decides twice, directly or through a delegate', async () => {
      await requireTwoFromRisk3();
      await run(actorOf(IDS.approver), decide(IDS.quorum, 'approve'));
      expect(await failure(actorOf(IDS.approver), decide(IDS.quorum, 'approve'))).toBe('conflict');
      expect(await failure(actorOf(IDS.approver), decide(IDS.quorum, 'reject', 'changed my mind'))).toBe(
        'conflict',
      );
      // The admin is the approver's delegate: the approver's authority is already counted.
      expect(await failure(actorOf(IDS.admin), decide(IDS.quorum, 'approve'))).toBe('conflict');
      expect(await statusOf(IDS.quorum)).toBe('pending');
    });

    it('refuses approving one’s own request, also through a delegation from the requester', async () => {
      expect(await failure(actorOf(IDS.approver), decide(IDS.ownRequest, 'approve'))).toBe('forbidden');
      // The admin holds the approver's delegation, but the approver requested this one.
      expect(await failure(actorOf(IDS.admin), decide(IDS.ownRequest, 'approve'))).toBe('forbidden');
      const other = await run(actorOf(IDS.third), decide(IDS.ownRequest, 'approve'));
      expect(other.result).toMatchObject({ status: 'approved' });
    });

    it('refuses decision rows that break the rules in the database too', async () => {
      // The local schema stores server state unchecked (the applier's mode); its rule trigger polices
      // the named operation's own writes, which the tests above cover.
      if (db().serverWrite) return;
      const insert = async (decidedBy: string, onBehalfOf: string | null, delegation: string | null) => {
        await db().sql.query(
          `INSERT INTO approval_decisions (tenant_id, approval_id, decided_by, on_behalf_of, delegation_id, decision)
           VALUES ($1, $2, $3, $4, $5, 'approve')`,
          [IDS.tenant, IDS.ownRequest, decidedBy, onBehalfOf, delegation],
        );
      };
      const refused = async (write: () => Promise<void>) => {
        await db().sql.query('SAVEPOINT raw');
        try {
          await write();
        } catch (error) {
          await db().sql.query('ROLLBACK TO SAVEPOINT raw');
          return mapDatabaseError(error)?.code ?? 'unmapped';
        }
        throw new Error('expected the insert to fail');
      };
      expect(await refused(() => insert(IDS.approver, null, null))).toBe('validation');
      expect(await refused(() => insert(IDS.admin, IDS.approver, IDS.delegation))).toBe('validation');
      expect(await refused(() => insert(IDS.admin, null, null))).toBe('validation');
    });
  });

  describe('delegation rules', () => {
    const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString();
    const create = (values: Record<string, unknown>) => ({ name: 'delegation.create', values });

    it('bounds the window to 90 days, in the operation and in the database', async () => {
      const approver = actorOf(IDS.approver);
      expect(await failure(approver, create({ delegate_id: IDS.third, ends_at: inDays(91) }))).toBe(
        'validation',
      );
      expect(
        await failure(
          approver,
          create({ delegate_id: IDS.third, starts_at: inDays(1), ends_at: inDays(92) }),
        ),
      ).toBe('validation');
      await run(approver, create({ delegate_id: IDS.third, ends_at: inDays(89) }));
      if (db().serverWrite) return; // the local schema stores server state as it is sent
      await db().sql.query('SAVEPOINT raw');
      let code: string | undefined;
      try {
        await db().sql.query(
          `INSERT INTO approval_delegations (tenant_id, delegator_id, delegate_id, starts_at, ends_at)
           VALUES ($1, $2, $3, now(), now() + interval '91 days')`,
          [IDS.tenant, IDS.approver, IDS.third],
        );
      } catch (error) {
        code = mapDatabaseError(error)?.code;
      }
      await db().sql.query('ROLLBACK TO SAVEPOINT raw');
      expect(code).toBe('validation');
    });

    it('is not re-delegable: without authority of one’s own there is nothing to delegate', async () => {
      const onlyDelegate = actorOf(IDS.admin, ['approvals:delegate', 'approvals:read']);
      expect(await failure(onlyDelegate, create({ delegate_id: IDS.third, ends_at: inDays(1) }))).toBe(
        'forbidden',
      );
      // A delegation from the delegate does not carry the delegator's authority.
      const { result } = await run(
        actorOf(IDS.admin),
        create({ delegate_id: IDS.third, ends_at: inDays(1) }),
      );
      expect(result['delegation_id']).toBeTruthy();
      expect(
        await failure(actorOf(IDS.third), {
          name: 'approval.decide',
          key: { id: IDS.highRisk },
          values: { decision: 'approve' },
        }),
      ).toBe('forbidden');
    });

    it('revokes: only the delegator, once, and the delegate can no longer decide', async () => {
      const revoke = (reason?: string) => ({
        name: 'delegation.revoke',
        key: { id: IDS.delegation },
        values: reason ? { reason } : {},
      });
      expect(await failure(actorOf(IDS.admin), revoke())).toBe('forbidden');
      const done = await run(actorOf(IDS.approver), revoke('back from holiday'));
      expect(done.result).toEqual({ delegation_id: IDS.delegation, is_active: false });
      expect(done.changes[0]).toMatchObject({ action: 'delegation.revoked', after: { is_active: false } });
      expect(await failure(actorOf(IDS.approver), revoke())).toBe('conflict');
      expect(
        await failure(actorOf(IDS.admin), {
          name: 'approval.decide',
          key: { id: IDS.pending },
          values: { decision: 'approve' },
        }),
      ).toBe('forbidden');
      expect(
        await failure(actorOf(IDS.approver), {
          name: 'delegation.revoke',
          key: { id: 'f0000000-0000-4000-8000-0000000003e7' },
          values: {},
        }),
      ).toBe('not_found');
    });
  });
}

/**
 * Decisions racing each other and racing the expiry job, on PostgreSQL 15 with two real connections
 * (each a client of the write API: a transaction as outpost_app running approval.decide). The first
 * to commit wins; the other gets a clear `conflict`. Waits for states (a backend waiting on a lock,
 * the clock passing an expiry), never for fixed times.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isOutpostError } from '../../common/errors.ts';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import { eventually } from '../../scripts/testing/eventually.ts';
import type { TestDatabase } from '../../scripts/testing/postgres.ts';
import { sweepExpiredApprovals } from './expiry-sweep.ts';
import { actorIn, decideInOpenTransaction, dueApproval, FIXTURES_SQL, X } from './expiry.fixtures.ts';

let database: TestDatabase;
let admin: pg.Client;
let pool: pg.Pool;
const clients: pg.Client[] = [];

async function connection(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  database = await createMigratedTestDatabase('decision_race');
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(FIXTURES_SQL);
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
  await admin.query(`DELETE FROM approval_policies`);
  await admin.query(
    `UPDATE approvals SET expires_at = now() + interval '10 years' WHERE status IN ('pending', 'escalated')`,
  );
});
afterAll(async () => {
  await pool?.end();
  await admin?.end();
  await database?.drop();
});

/** Whether the backend `pid` is waiting for a lock. */
const waitsForLock = async (pid: number) =>
  (
    await admin.query<{ waiting: boolean }>(
      `SELECT coalesce(bool_or(wait_event_type = 'Lock'), false) AS waiting FROM pg_stat_activity WHERE pid = $1`,
      [pid],
    )
  ).rows[0]?.waiting === true;

const pidOf = async (client: pg.Client) =>
  (await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;

const statusOf = async (approval: string) =>
  (await admin.query<{ status: string }>(`SELECT status FROM approvals WHERE id = $1`, [approval])).rows[0]
    ?.status;

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; details: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isOutpostError(error)) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('racing decisions', () => {
  it('two approvers at once, one needed: the first to commit wins, the second gets a conflict', async () => {
    const { approval } = await dueApproval(admin, 'A', "now() + interval '1 hour'", [X.approverA, X.secondA]);
    const [first, second] = [await connection(), await connection()];
    const won = await decideInOpenTransaction(
      first,
      actorIn('A', X.approverA),
      approval,
      'approve',
      randomUUID(),
    );
    expect(won.result).toMatchObject({ status: 'approved', approvals: 1, required: 1 });
    const secondPid = await pidOf(second);
    const losing = decideInOpenTransaction(second, actorIn('A', X.secondA), approval, 'reject', randomUUID());
    const refused = codeOf(losing);
    await eventually(() => waitsForLock(secondPid), 'the second decision to wait for the row lock', 20_000);
    await first.query('COMMIT');
    expect(await refused).toMatchObject({ code: 'conflict', details: { status: 'approved' } });
    await second.query('ROLLBACK');
    expect(await statusOf(approval)).toBe('approved');
  });

  it('with a quorum of two, both decisions count and the second approves', async () => {
    await admin.query(
      `INSERT INTO approval_policies (tenant_id, quorum_min_risk_level, quorum_required) VALUES ($1, 0, 2)`,
      [X.A],
    );
    const { approval } = await dueApproval(admin, 'A', "now() + interval '1 hour'", [X.approverA, X.secondA]);
    const [first, second] = [await connection(), await connection()];
    const one = await decideInOpenTransaction(
      first,
      actorIn('A', X.approverA),
      approval,
      'approve',
      randomUUID(),
    );
    expect(one.result).toMatchObject({ status: 'pending', approvals: 1, required: 2 });
    const secondPid = await pidOf(second);
    const two = decideInOpenTransaction(second, actorIn('A', X.secondA), approval, 'approve', randomUUID());
    await eventually(() => waitsForLock(secondPid), 'the second decision to wait for the row lock', 20_000);
    await first.query('COMMIT');
    expect((await two).result).toMatchObject({ status: 'approved', approvals: 2, required: 2 });
    await second.query('COMMIT');
    expect(await statusOf(approval)).toBe('approved');
  });
});

describe('a decision racing the expiry job', () => {
  it('the decision commits first: the job leaves the approval alone', async () => {
    const { approval } = await dueApproval(admin, 'A', "now() + interval '1 second'");
    const decider = await connection();
    const decided = await decideInOpenTransaction(
      decider,
      actorIn('A', X.approverA),
      approval,
      'approve',
      randomUUID(),
    );
    expect(decided.result).toMatchObject({ status: 'approved' });
    await eventually(
      async () =>
        (
          await admin.query<{ due: boolean }>(
            `SELECT expires_at <= now() AS due FROM approvals WHERE id = $1`,
            [approval],
          )
        ).rows[0]?.due === true,
      'the approval to be past its expiry',
      20_000,
    );
    const during = await sweepExpiredApprovals(pool);
    expect(during.skipped).toContain(approval);
    await decider.query('COMMIT');
    const after = await sweepExpiredApprovals(pool);
    expect([...after.escalated, ...after.expired]).not.toContain(approval);
    expect(await statusOf(approval)).toBe('approved');
  });

  for (const policy of ['expire', 'escalate'] as const)
    it(`the job commits first (${policy}): the waiting decision gets a conflict`, async () => {
      if (policy === 'escalate')
        await admin.query(
          `INSERT INTO approval_policies (tenant_id, on_expiry, escalation_chain) VALUES ($1, 'escalate', '{tenant_admins}')`,
          [X.A],
        );
      const { approval } = await dueApproval(admin, 'A');
      const decider = await connection();
      const deciderPid = await pidOf(decider);
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked: () => void = () => undefined;
      const jobHoldsLock = new Promise<void>((resolve) => (locked = resolve));
      const job = sweepExpiredApprovals(pool, {
        beforeCommit: async (id) => {
          if (id !== approval) return;
          locked();
          await held;
        },
      });
      await jobHoldsLock;
      const refused = codeOf(
        decideInOpenTransaction(decider, actorIn('A', X.approverA), approval, 'approve', randomUUID()),
      );
      await eventually(() => waitsForLock(deciderPid), 'the decision to wait for the job’s row lock', 20_000);
      release();
      const swept = await job;
      expect(policy === 'escalate' ? swept.escalated : swept.expired).toContain(approval);
      expect(await refused).toMatchObject({
        code: 'conflict',
        details: policy === 'escalate' ? { reason: 'escalated' } : { status: 'expired' },
      });
      await decider.query('ROLLBACK');
      expect(await statusOf(approval)).toBe(policy === 'escalate' ? 'escalated' : 'expired');
    });
});

/**
 * The approval expiry job on pg-boss, on PostgreSQL 15: two runners (two sync servers) on one
 * database install the queue once, run the sweep from their workers, and an approval past its expiry
 * is expired once, with one audit row, whichever worker took the job.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import { eventually } from '../../scripts/testing/eventually.ts';
import type { TestDatabase } from '../../scripts/testing/postgres.ts';
import { ApprovalExpiryRunner } from './expiry-runner.ts';
import type { SweepResult } from './expiry-sweep.ts';
import { dueApproval, FIXTURES_SQL } from './expiry.fixtures.ts';

let database: TestDatabase;
let admin: pg.Client;

beforeAll(async () => {
  database = await createMigratedTestDatabase('expiry_runner');
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(FIXTURES_SQL);
});
afterAll(async () => {
  await admin?.end();
  await database?.drop();
});

describe('the approval expiry runner (pg-boss)', () => {
  it('expires what is past its expiry from a worker, once, with two runners on one database', async () => {
    const { approval } = await dueApproval(admin, 'A');
    const pools = [0, 1].map(() => new pg.Pool({ connectionString: database.url, max: 3 }));
    const sweeps: SweepResult[] = [];
    const runners: ApprovalExpiryRunner[] = [];
    try {
      for (const pool of pools)
        runners.push(
          await ApprovalExpiryRunner.start({
            connectionString: database.url,
            pool,
            pollingIntervalSeconds: 0.5,
            log: () => undefined,
            onSweep: (result) => sweeps.push(result),
          }),
        );
      await eventually(
        async () =>
          (await admin.query<{ status: string }>(`SELECT status FROM approvals WHERE id = $1`, [approval]))
            .rows[0]?.status === 'expired',
        'a worker to expire the approval',
        60_000,
      );
      const later = await dueApproval(admin, 'A');
      await runners[1]!.runNow();
      await eventually(
        () => Promise.resolve(sweeps.some((s) => s.expired.includes(later.approval))),
        'a sweep sent with runNow',
        60_000,
      );
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      await Promise.all(pools.map((p) => p.end()));
    }
    const audits = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_logs WHERE entity_id = $1 AND action = 'approval.expired'`,
      [approval],
    );
    expect(audits.rows[0]?.n).toBe(1);
    const queue = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.queue WHERE name = 'approval-expiry'`,
    );
    expect(queue.rows[0]?.n).toBe(1);
  });
});

/**
 * sync-server/approvals/expiry-runner.ts: the approval expiry job on pg-boss (a maintained job queue
 * in PostgreSQL, schema `pgboss`), started by the sync server.
 *
 *   start: PgBoss.start() (creates or migrates its schema) ─► queue `approval-expiry` (policy
 *          `stately`: at most one queued and one active job across every server) ─► cron schedule
 *          (every minute, UTC; pg-boss sends each scheduled job once however many servers run) ─►
 *          worker: each job runs sweepExpiredApprovals (expiry-sweep.ts), which handles one batch
 *          ─► one job sent at once (what expired while no server ran)
 *   runNow(): sends a job at once (tests); stop(): the worker finishes its job, then stops.
 *
 * Guarantees: the sweep is correct with any number of workers at once and after a crash mid-batch
 * (expiry-sweep.ts), so pg-boss's at-least-once delivery (a job retried after a worker died) never
 * escalates twice. A failed job is retried by pg-boss (retryLimit) and logged; the next minute's job
 * runs regardless.
 *
 * Needs: the database role of DATABASE_URL may create the `pgboss` schema on first start (or a DBA
 * creates it), and may SET ROLE outpost_app (the sweep runs as outpost_app, docs/security.md).
 */
import PgBoss from 'pg-boss';
import type pg from 'pg';
import { sweepExpiredApprovals, type SweepOptions, type SweepResult } from './expiry-sweep.ts';

export const APPROVAL_EXPIRY_QUEUE = 'approval-expiry';

export interface ApprovalExpiryRunnerOptions {
  readonly connectionString: string;
  /** The server's pool (the sweep's transactions). */
  readonly pool: pg.Pool;
  /** Cron expression (pg-boss: minute resolution); default every minute. */
  readonly cron?: string;
  /** How often the worker looks for a job, in seconds (default 2). */
  readonly pollingIntervalSeconds?: number;
  readonly sweep?: Omit<SweepOptions, 'log'>;
  readonly log?: (line: string) => void;
  /** Called after every sweep (tests, metrics). */
  readonly onSweep?: (result: SweepResult) => void;
}

export class ApprovalExpiryRunner {
  private constructor(private readonly boss: PgBoss) {}

  static async start(options: ApprovalExpiryRunnerOptions): Promise<ApprovalExpiryRunner> {
    const log = options.log ?? ((line: string) => console.error(line));
    const boss = new PgBoss({ connectionString: options.connectionString, schema: 'pgboss', max: 2 });
    boss.on('error', (error: Error) => log(`sync-server: job queue error: ${error.message}`));
    await boss.start();
    try {
      await boss.createQueue(APPROVAL_EXPIRY_QUEUE, {
        name: APPROVAL_EXPIRY_QUEUE,
        policy: 'stately',
        retryLimit: 3,
        retryDelay: 10,
        expireInSeconds: 600,
      });
      await boss.schedule(APPROVAL_EXPIRY_QUEUE, options.cron ?? '* * * * *', {}, { tz: 'UTC' });
      await boss.work(
        APPROVAL_EXPIRY_QUEUE,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
        async () => {
          const result = await sweepExpiredApprovals(options.pool, { ...options.sweep, log });
          options.onSweep?.(result);
        },
      );
      // Whatever expired while no server ran is handled now, not at the next minute.
      await boss.send(APPROVAL_EXPIRY_QUEUE, {});
    } catch (error) {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      throw error;
    }
    return new ApprovalExpiryRunner(boss);
  }

  /** Queues a sweep now (null when one is already queued: the queue is stately). */
  async runNow(): Promise<string | null> {
    return this.boss.send(APPROVAL_EXPIRY_QUEUE, {});
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

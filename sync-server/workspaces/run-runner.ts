/**
 * sync-server/workspaces/run-runner.ts: runs of record as pg-boss jobs (queue `workspace-run`, in the
 * same `pgboss` schema as the approval expiry job), started by the sync server.
 *
 *   dispatch (every dispatchMs): outpost_jobs.queued_workspace_runs(batch) (definer, ids and tenants
 *            only, 0360) ─► boss.send(queue, { run_id, tenant_id }, { id: run_id }): the job's id is
 *            the run's, so a run already sent is not sent again (pg-boss inserts ON CONFLICT DO NOTHING)
 *   work:    one job at a time per server (a jest run is a whole process) ─► processRun (run-worker.ts)
 *   runNow(): one dispatch at once (tests); stop(): the running job finishes, then it stops.
 *
 * Guarantees: pg-boss delivers at least once; run-worker.ts claims a run with a conditional UPDATE, so
 * a second delivery never runs a finished run again. A job expires after the sandbox's wall time plus a
 * margin, so a redelivered job never meets a run that another worker is still running.
 */
import PgBoss from 'pg-boss';
import type pg from 'pg';
import { inTenantTransaction } from '../db/tenant-transaction.ts';
import { processRun, type QueuedRun, type RunResult } from './run-worker.ts';
import { DEFAULT_LIMITS, type SandboxLimits } from './sandbox.ts';

export const WORKSPACE_RUN_QUEUE = 'workspace-run';

export interface WorkspaceRunRunnerOptions {
  readonly connectionString: string;
  readonly pool: pg.Pool;
  /** How often queued runs are looked for, in ms (default 1000). */
  readonly dispatchMs?: number;
  /** How often the worker looks for a job, in seconds (default 1). */
  readonly pollingIntervalSeconds?: number;
  readonly limits?: SandboxLimits;
  readonly log?: (line: string) => void;
  /** Called after every run (tests, metrics). */
  readonly onRun?: (run: QueuedRun, result: RunResult) => void;
}

export class WorkspaceRunRunner {
  private timer: NodeJS.Timeout | null = null;
  private dispatching: Promise<number> | null = null;

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: WorkspaceRunRunnerOptions,
  ) {}

  static async start(options: WorkspaceRunRunnerOptions): Promise<WorkspaceRunRunner> {
    const log = options.log ?? ((line: string) => console.error(line));
    const limits = options.limits ?? DEFAULT_LIMITS;
    const boss = new PgBoss({ connectionString: options.connectionString, schema: 'pgboss', max: 2 });
    boss.on('error', (error: Error) => log(`sync-server: workspace run queue error: ${error.message}`));
    await boss.start();
    try {
      await boss.createQueue(WORKSPACE_RUN_QUEUE, {
        name: WORKSPACE_RUN_QUEUE,
        policy: 'standard',
        retryLimit: 2,
        retryDelay: 5,
        expireInSeconds: Math.ceil(limits.wallMs / 1000) + 120,
      });
      await boss.work<QueuedRun>(
        WORKSPACE_RUN_QUEUE,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: 1 },
        async ([job]) => {
          if (!job) return;
          const result = await processRun(options.pool, job.data, limits);
          log(`sync-server: workspace run ${job.data.run_id}: ${result}`);
          options.onRun?.(job.data, result);
        },
      );
    } catch (error) {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      throw error;
    }
    const runner = new WorkspaceRunRunner(boss, options);
    runner.timer = setInterval(() => {
      runner.runNow().catch((error: unknown) => log(`sync-server: workspace run dispatch: ${String(error)}`));
    }, options.dispatchMs ?? 1000);
    return runner;
  }

  /** Sends a job for every queued run not sent yet; how many were sent. */
  runNow(): Promise<number> {
    this.dispatching ??= this.dispatch().finally(() => {
      this.dispatching = null;
    });
    return this.dispatching;
  }

  private async dispatch(): Promise<number> {
    const queued = await inTenantTransaction(
      this.options.pool,
      { tenantId: null, userId: null },
      async (client) =>
        (
          await client.query<QueuedRun>(
            `SELECT run_id::text, tenant_id::text FROM outpost_jobs.queued_workspace_runs(100)`,
          )
        ).rows,
      { readOnly: true },
    );
    let sent = 0;
    for (const run of queued)
      if ((await this.boss.send(WORKSPACE_RUN_QUEUE, run, { id: run.run_id })) !== null) sent += 1;
    return sent;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.dispatching?.catch(() => undefined);
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

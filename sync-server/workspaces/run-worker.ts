/**
 * sync-server/workspaces/run-worker.ts: one run of record, from queued to its final state with its
 * artifacts, in the run's tenant as outpost_app (row-level security as for any request).
 *
 *   claim    UPDATE workspace_runs SET status 'running', started_at WHERE id AND status = 'queued'
 *            ─► no row: the run is no longer queued ─► running: an earlier delivery died in the middle
 *               (pg-boss delivers again only after a job failed or expired) ─► crash it, with that
 *               reason ─► final: skipped
 *   load     the workspace's files as of now, with the changeset's patches on top (created and
 *            modified files get the patch's new content, deleted ones go)
 *   check    run-checks.ts (outside any transaction: a test run can take minutes)
 *   finish   UPDATE ... SET status <pass|fail|crash>, finished_at, summary WHERE status = 'running'
 *            ─► a row: INSERT the stdout, stderr and report artifacts (sha256, size_bytes), same
 *               transaction ─► no row: cancelled meanwhile, nothing is written
 *
 * Guarantees: at-least-once delivery never runs a run twice to a second result: the claim is a
 * conditional UPDATE, and a finish writes only over `running`, so a cancel that wins keeps the run
 * cancelled and without artifacts. The lifecycle trigger (0300) refuses any other move. Each artifact
 * is cut at ARTIFACT_BYTES (the report says when).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { nextState, REFUSED } from '../../common/lifecycles/state-machine.ts';
import { workspaceRunLifecycle, type WorkspaceRunState } from '../../common/lifecycles/workspace-run.ts';
import type { WorkspaceRunType } from '../../common/mutations/workspace-runs.ts';
import type { WorkspaceFileText } from '../../common/workspaces/validate.ts';
import { inTenantTransaction } from '../db/tenant-transaction.ts';
import { runCheck, type CheckOutcome } from './run-checks.ts';
import type { SandboxLimits } from './sandbox.ts';

export const ARTIFACT_BYTES = 1024 * 1024;

export interface QueuedRun {
  readonly run_id: string;
  readonly tenant_id: string;
}

export type RunResult = WorkspaceRunState | 'skipped';

interface ClaimedRun {
  readonly workspace_id: string;
  readonly changeset_id: string | null;
  readonly run_type: WorkspaceRunType;
}

const stateAfter = (event: CheckOutcome['event']): WorkspaceRunState => {
  const to = nextState(workspaceRunLifecycle, 'running', event);
  if (to === REFUSED) throw new Error(`workspace_run: running does not allow ${event}`);
  return to;
};

export async function processRun(pool: pg.Pool, run: QueuedRun, limits?: SandboxLimits): Promise<RunResult> {
  const context = { tenantId: run.tenant_id, userId: null };
  const claimed = await inTenantTransaction(pool, context, async (client) => {
    const { rows } = await client.query<ClaimedRun>(
      `UPDATE workspace_runs SET status = 'running', started_at = now()
        WHERE id = $1 AND tenant_id = $2 AND status = 'queued'
      RETURNING workspace_id::text, changeset_id::text, run_type`,
      [run.run_id, run.tenant_id],
    );
    return rows[0] ?? null;
  });
  if (!claimed) {
    const abandoned = await finish(pool, run, {
      event: 'crash',
      stdout: '',
      stderr: 'The runner stopped during this run (the server restarted or the job expired); run it again.\n',
      report: { reason: 'The runner stopped during this run; it was not finished.' },
    });
    return abandoned ?? 'skipped';
  }
  let outcome: CheckOutcome;
  try {
    const files = await inTenantTransaction(pool, context, (client) => filesOf(client, run, claimed), {
      readOnly: true,
    });
    outcome = await runCheck(claimed.run_type, files, limits);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    outcome = {
      event: 'crash',
      stdout: '',
      stderr: `${message}\n`,
      report: { reason: `The run could not start: ${message}` },
    };
  }
  return (await finish(pool, run, outcome)) ?? 'cancelled';
}

/** The final move and the artifacts, only over `running`; null when the run is not running any more. */
async function finish(
  pool: pg.Pool,
  run: QueuedRun,
  outcome: CheckOutcome,
): Promise<WorkspaceRunState | null> {
  const to = stateAfter(outcome.event);
  return inTenantTransaction(pool, { tenantId: run.tenant_id, userId: null }, async (client) => {
    const summary = { reason: outcome.report['reason'] ?? null, ...summaryOf(outcome) };
    const { rowCount } = await client.query(
      `UPDATE workspace_runs SET status = $3, finished_at = now(), summary = $4::jsonb
        WHERE id = $1 AND tenant_id = $2 AND status = 'running'`,
      [run.run_id, run.tenant_id, to, JSON.stringify(summary)],
    );
    if (rowCount !== 1) return null;
    const artifacts: [string, string, string][] = [
      ['stdout', 'text/plain; charset=utf-8', outcome.stdout],
      ['stderr', 'text/plain; charset=utf-8', outcome.stderr],
      ['report', 'application/json', JSON.stringify({ state: to, ...outcome.report }, null, 2)],
    ];
    for (const [type, contentType, text] of artifacts) {
      const content = cut(text);
      await client.query(
        `INSERT INTO workspace_artifacts (tenant_id, run_id, artifact_type, content, content_type, size_bytes, sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          run.tenant_id,
          run.run_id,
          type,
          content,
          contentType,
          Buffer.byteLength(content),
          createHash('sha256').update(content).digest('hex'),
        ],
      );
    }
    return to;
  });
}

function summaryOf(outcome: CheckOutcome): Record<string, unknown> {
  const { tests, errors, warnings, limit } = outcome.report;
  return Object.fromEntries(
    Object.entries({ tests, errors, warnings, limit }).filter(([, v]) => v !== undefined),
  );
}

/** Text cut to ARTIFACT_BYTES (whole characters), with a line saying so; no NUL (text refuses it). */
function cut(text: string): string {
  const clean = text.replaceAll('\u0000', '\uFFFD');
  if (Buffer.byteLength(clean) <= ARTIFACT_BYTES) return clean;
  const bytes = Buffer.from(clean).subarray(0, ARTIFACT_BYTES);
  return `${bytes.toString('utf8').replace(/\uFFFD$/, '')}\n[cut at ${ARTIFACT_BYTES} bytes]\n`;
}

async function filesOf(
  client: pg.ClientBase,
  run: QueuedRun,
  claimed: ClaimedRun,
): Promise<WorkspaceFileText[]> {
  const { rows } = await client.query<WorkspaceFileText>(
    `SELECT path, coalesce(content, '') AS content FROM workspace_files
      WHERE workspace_id = $1 AND tenant_id = $2 ORDER BY path`,
    [claimed.workspace_id, run.tenant_id],
  );
  if (claimed.changeset_id === null) return rows;
  const files = new Map(rows.map((f) => [f.path, f.content]));
  const { rows: patches } = await client.query<{
    file_path: string;
    operation: string;
    new_content: string | null;
  }>(
    `SELECT file_path, operation, new_content FROM workspace_patches
      WHERE changeset_id = $1 AND tenant_id = $2 ORDER BY position, created_at, id`,
    [claimed.changeset_id, run.tenant_id],
  );
  for (const p of patches) {
    if (p.operation === 'delete') files.delete(p.file_path);
    else files.set(p.file_path, p.new_content ?? '');
  }
  return [...files]
    .map(([path, content]) => ({ path, content }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

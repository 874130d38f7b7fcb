/**
 * sync-server/approvals/expiry-sweep.ts: one pass of the approval expiry job. Every pending or
 * escalated approval past its expires_at is escalated or expired, per its tenant's policy
 * (approval_policies, migrations/shared/0303; no policy: expire).
 *
 *   candidates: outpost_jobs.approvals_past_expiry(batch)   (definer: ids and tenants only, 0304)
 *   for each, its own transaction, as outpost_app in the approval's tenant (its holding for a subsidiary):
 *     lock the approval FOR UPDATE SKIP LOCKED ─► locked by someone else (a decision in flight): skip
 *       ─► no longer pending/escalated, or no longer past expiry: skip (already handled)
 *       ─► policy on_expiry 'escalate' and a chain step left that names someone:
 *            status escalated (pending ──escalate──► escalated; a later step keeps escalated, which is
 *            no transition: common/lifecycles/approval.ts), escalation_count + 1, approver_ids := the
 *            step's approvers, expires_at := now() + escalation_window_minutes, context records the
 *            step, the previous approvers (escalated_from) and the escalation
 *       ─► otherwise: status expired; its work item is cancelled (common/mutations/work-item-outcome.ts)
 *       ─► audit rows (actor system) for every changed row, in the same transaction
 *     COMMIT
 *
 * Guarantees:
 *   - Idempotent: a handled approval is no longer a candidate (decided, or a new expiry in the
 *     future), and each is re-checked under its row lock, so a re-run or a second worker never
 *     escalates it twice.
 *   - Two workers at once: SKIP LOCKED hands each approval to one of them; the other skips it.
 *   - A crash in the middle of a batch: every approval is its own transaction, so those before the
 *     crash are committed with their audit rows and those after are untouched; the next run picks them up.
 *   - A decision racing the job: both lock the approval row, so the first to commit wins; a decision
 *     that waited sees `expired` or `escalated` and gets a conflict (common/mutations/approvals.ts), and
 *     the job skips an approval a decision holds or has decided.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { loadWriteCatalog, type WriteCatalog } from '../../common/mutations/catalog.ts';
import type { Row } from '../../common/mutations/named-operation.ts';
import { textOf } from '../../common/mutations/sql.ts';
import type { EntityChange } from '../../common/mutations/types.ts';
import { followApprovalOutcome } from '../../common/mutations/work-item-outcome.ts';
import { beginTenantTransaction } from '../db/tenant-transaction.ts';
import { writeAuditRows } from '../mutations/audit.ts';
import { approversOfStep, isEscalationStep } from './escalation-chain.ts';

export type SweepOutcome = 'escalated' | 'expired' | 'skipped';

export interface SweepOptions {
  /** At most this many approvals per pass (default 100). */
  readonly batchSize?: number;
  /** Tests: runs before each approval's COMMIT (throw to abort the pass there, as a crash would). */
  readonly beforeCommit?: (approvalId: string, outcome: SweepOutcome) => Promise<void>;
  readonly log?: (line: string) => void;
}

export interface SweepResult {
  readonly runId: string;
  readonly escalated: string[];
  readonly expired: string[];
  readonly skipped: string[];
}

interface Candidate {
  approval_id: string;
  tenant_id: string;
  context_tenant_id: string;
}

interface Policy {
  on_expiry: 'expire' | 'escalate';
  escalation_chain: string[];
  escalation_window_minutes: number;
}

/** One pass over the approvals past expiry (see the header). */
export async function sweepExpiredApprovals(pool: pg.Pool, options: SweepOptions = {}): Promise<SweepResult> {
  const runId = randomUUID();
  const result: SweepResult = { runId, escalated: [], expired: [], skipped: [] };
  const candidates = await listCandidates(pool, options.batchSize ?? 100);
  if (candidates.length === 0) return result;
  let catalog: WriteCatalog | null = null;
  for (const candidate of candidates) {
    const client = await pool.connect();
    let broken = false;
    try {
      await beginTenantTransaction(client, { tenantId: candidate.context_tenant_id, userId: null });
      catalog ??= await loadWriteCatalog(client);
      const outcome = await handleOne(client, catalog, candidate, runId);
      await options.beforeCommit?.(candidate.approval_id, outcome);
      await client.query('COMMIT');
      result[outcome].push(candidate.approval_id);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
  if (result.escalated.length + result.expired.length > 0)
    options.log?.(
      `sync-server: approval expiry ${runId}: ${result.escalated.length} escalated, ${result.expired.length} expired, ${result.skipped.length} skipped`,
    );
  return result;
}

async function listCandidates(pool: pg.Pool, limit: number): Promise<Candidate[]> {
  const client = await pool.connect();
  try {
    await beginTenantTransaction(client, { tenantId: null, userId: null }, { readOnly: true });
    const { rows } = await client.query<Candidate>(
      `SELECT approval_id::text, tenant_id::text, context_tenant_id::text
         FROM outpost_jobs.approvals_past_expiry($1)`,
      [limit],
    );
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function handleOne(
  client: pg.ClientBase,
  catalog: WriteCatalog,
  candidate: Candidate,
  runId: string,
): Promise<SweepOutcome> {
  const { rows } = await client.query<{ row: Row; due: boolean }>(
    `SELECT to_jsonb(a) AS row, a.expires_at <= now() AS due
       FROM approvals a WHERE a.id = $1 AND a.tenant_id = $2 FOR UPDATE SKIP LOCKED`,
    [candidate.approval_id, candidate.tenant_id],
  );
  const locked = rows[0];
  if (!locked || !locked.due || !['pending', 'escalated'].includes(String(locked.row['status'])))
    return 'skipped';
  const before = locked.row;
  const policy = await policyOf(client, candidate.tenant_id);
  const escalation = policy?.on_expiry === 'escalate' ? await nextStep(client, before, policy) : null;
  const changes: EntityChange[] = [];
  let after: Row;
  if (escalation) {
    const approvers = ((before['approver_ids'] as string[] | null) ?? []).map((a) => a.toLowerCase());
    const context = (before['context'] as Row | null) ?? {};
    const escalatedFrom = [
      ...new Set([...((context['escalated_from'] as string[] | undefined) ?? []), ...approvers]),
    ].filter((id) => !escalation.approvers.includes(id));
    const { rows: updated } = await client.query<{ row: Row }>(
      `UPDATE approvals AS t
          SET status = 'escalated', approver_ids = $2::uuid[],
              escalation_count = coalesce(t.escalation_count, 0) + 1,
              expires_at = now() + make_interval(mins => $3::int), updated_at = now(),
              context = coalesce(t.context, '{}'::jsonb) || jsonb_build_object(
                'escalation_step', $4::int, 'escalated_from', $5::jsonb,
                'escalations', coalesce(t.context -> 'escalations', '[]'::jsonb) || jsonb_build_array(
                  jsonb_build_object('at', now(), 'step', $6::text, 'from', $7::jsonb, 'to', $8::jsonb)))
        WHERE t.id = $1
      RETURNING to_jsonb(t) AS row`,
      [
        candidate.approval_id,
        `{${escalation.approvers.join(',')}}`,
        policy?.escalation_window_minutes ?? 1440,
        escalation.index,
        JSON.stringify(escalatedFrom),
        escalation.step,
        JSON.stringify(approvers),
        JSON.stringify(escalation.approvers),
      ],
    );
    after = updated[0]?.row ?? before;
  } else {
    const { rows: updated } = await client.query<{ row: Row }>(
      `UPDATE approvals AS t SET status = 'expired', updated_at = now() WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
      [candidate.approval_id],
    );
    after = updated[0]?.row ?? before;
  }
  const outcome = escalation ? 'escalated' : 'expired';
  changes.push({
    tenantId: candidate.tenant_id,
    action: `approval.${outcome}`,
    category: 'approvals',
    entityType: 'approval',
    entityId: candidate.approval_id,
    before: catalog.publicState('approvals', before),
    after: catalog.publicState('approvals', after),
    metadata: escalation
      ? {
          step: escalation.step,
          approvers: escalation.approvers,
          escalation_count: after['escalation_count'],
        }
      : { reason: 'past expires_at' },
  });
  if (outcome === 'expired') {
    const workItem = await followApprovalOutcome(client, catalog, after, 'expired');
    if (workItem) changes.push(workItem);
  }
  await writeAuditRows(
    client,
    { type: 'system' },
    changes.map((change) => ({ mutationId: runId, mutation: 'job.approval_expiry', change })),
  );
  return outcome;
}

async function policyOf(client: pg.ClientBase, tenantId: string): Promise<Policy | null> {
  const { rows } = await client.query<Policy>(
    `SELECT on_expiry, escalation_chain, escalation_window_minutes FROM approval_policies WHERE tenant_id = $1`,
    [tenantId],
  );
  return rows[0] ?? null;
}

/** The next chain step (after the last one used) that names at least one approver, or null. */
async function nextStep(
  client: pg.ClientBase,
  approval: Row,
  policy: Policy,
): Promise<{ index: number; step: string; approvers: string[] } | null> {
  const lastIndex = Number(((approval['context'] as Row | null) ?? {})['escalation_step'] ?? -1);
  const requester = approval['requested_by'] ? textOf(approval['requested_by']) : null;
  for (let index = lastIndex + 1; index < policy.escalation_chain.length; index++) {
    const step = policy.escalation_chain[index];
    if (step === undefined || !isEscalationStep(step)) continue;
    const approvers = await approversOfStep(client, step, textOf(approval['tenant_id']), requester);
    if (approvers.length > 0) return { index, step, approvers };
  }
  return null;
}

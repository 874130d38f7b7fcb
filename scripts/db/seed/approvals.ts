/**
 * scripts/db/seed/approvals.ts: work items of the assistants and the human approvals they wait for
 * (004 work_items, approvals, approval_delegations).
 *
 * Every tenant gets approvals in every status (approval lifecycle of common/lifecycles): pending
 * ones, two of which expire within the hour after the anchor; escalated; approved; rejected (with a
 * reason); expired (expires_at passed). The approver has delegated to the admin for this week (an
 * active delegation), and some recent approvals were decided by the admin under it (context names
 * the delegation). Rows are inserted in their final state with what the 0050 trigger would have
 * recorded: approved_by and approved_at for approved and rejected rows (the decider), the
 * escalation count for escalated ones. Work items carry their timestamps explicitly (the insert
 * trigger would otherwise stamp now()).
 *
 * Quorum (migrations/shared/0303): every tenant has an approval policy (risk 5 needs its two
 * approvers, the approver and the admin; an approval past its expiry escalates to the tenant's admins,
 * then the holding's approvers, with a day to decide), and every decided approval has its decision row
 * where the decision rules allow it (the decider an approver, or the admin under the approver's
 * delegation): decisions by the admin outside the delegation on approvals that did not name them
 * predate the rules and have no row. Decision ids come from their own random stream, so the rest of
 * the seed is unchanged.
 */
import { APPROVAL_STATES, type ApprovalState } from '../../../common/lifecycles/approval.ts';
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import { pgArray } from './copy.ts';
import type { AssistantRef, TenantWorld } from './model.ts';
import type { Rng } from './random.ts';
import { isoDate, money } from './vocabulary.ts';

const WINDOW_DAYS = 60;

const REJECTIONS = [
  'Amount does not match the payout report; re-run the reconciliation first.',
  'Posting period is closed. Post into the current period instead.',
  'Refund exceeds the order total minus previous refunds.',
  'Wrong subsidiary: this belongs to Northwind Retail.',
  'Needs the supporting invoice attached.',
];

interface Task {
  readonly title: (rng: Rng, currency: string) => string;
  readonly action: string;
}

const TASKS: Readonly<Record<string, readonly Task[]>> = {
  shared_finance: [
    {
      title: (r) =>
        `Post Stripe fees journal entry for ${isoDate(new Date(Date.UTC(2026, r.int(0, 10), r.int(1, 28))))}`,
      action: 'post_journal_entry',
    },
    { title: (r) => `Reconcile payout po_${r.token(10)} against bank deposit`, action: 'reconcile_payout' },
    {
      title: (r, c) => `Write off ${c} ${r.int(1, 40)}.${r.int(10, 99)} unmatched payout difference`,
      action: 'write_off',
    },
    { title: () => 'Accrue unsettled card sales at period end', action: 'post_journal_entry' },
  ],
  company_customer: [
    { title: (r) => `Refund order #${r.int(1001, 9999)}: damaged on arrival`, action: 'issue_refund' },
    {
      title: (r) => `Reply to escalation about order #${r.int(1001, 9999)} delivery`,
      action: 'reply_customer',
    },
  ],
  company_operations: [
    { title: () => 'Retry failed netsuite_sync after rate limit', action: 'retry_job' },
    { title: () => 'Re-authorise the CRM connection', action: 'reauthorise_connection' },
  ],
  executive_cos: [{ title: () => 'Send the weekly group digest to the board', action: 'send_digest' }],
  company_compliance: [
    {
      title: (r) => `Review segregation-of-duties exception JE${r.int(1000, 9999)}`,
      action: 'review_exception',
    },
  ],
  company_marketing: [
    { title: (r) => `Extend promo code SPRING${r.int(10, 30)} by two weeks`, action: 'change_promotion' },
  ],
  company_product: [{ title: () => 'Publish the monthly feedback themes report', action: 'publish_report' }],
  custom: [{ title: (r) => `Email renewal reminder to account ${r.int(100, 999)}`, action: 'send_email' }],
};

/** The statuses each tenant must show, then the random mix for the rest. */
const REQUIRED: readonly (ApprovalState | 'pending_soon' | 'approved_delegated')[] = [
  'pending_soon',
  'pending_soon',
  'pending',
  'escalated',
  'approved',
  'approved_delegated',
  'rejected',
  'expired',
];

const covered = new Set(
  REQUIRED.map((k) => (k === 'pending_soon' ? 'pending' : k === 'approved_delegated' ? 'approved' : k)),
);
const uncovered = APPROVAL_STATES.filter((s) => !covered.has(s));
if (uncovered.length > 0)
  throw new Error(`approvals.ts: REQUIRED misses approval states ${uncovered.join(', ')}`);

export async function seedApprovals(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const delegations = ctx.writer('approval_delegations', [
    'id',
    'tenant_id',
    'delegator_id',
    'delegate_id',
    'risk_levels',
    'starts_at',
    'ends_at',
    'reason',
    'is_active',
    'created_at',
  ]);
  const workItems = ctx.writer('work_items', [
    'id',
    'tenant_id',
    'assistant_id',
    'title',
    'description',
    'status',
    'priority',
    'risk_level',
    'estimated_cost',
    'actual_cost',
    'context',
    'result',
    'started_at',
    'completed_at',
    'due_at',
    'created_by',
    'created_at',
    'updated_at',
  ]);
  const approvals = ctx.writer(
    'approvals',
    [
      'id',
      'tenant_id',
      'work_item_id',
      'title',
      'description',
      'risk_level',
      'status',
      'requested_by',
      'approver_ids',
      'approved_by',
      'approved_at',
      'rejected_reason',
      'expires_at',
      'escalation_count',
      'context',
      'created_at',
      'updated_at',
    ],
    { parents: [workItems] },
  );

  const policies = ctx.writer('approval_policies', [
    'id',
    'tenant_id',
    'quorum_min_risk_level',
    'quorum_required',
    'on_expiry',
    'escalation_chain',
    'escalation_window_minutes',
    'created_at',
    'updated_at',
  ]);
  const decisions = ctx.writer(
    'approval_decisions',
    [
      'id',
      'tenant_id',
      'approval_id',
      'decided_by',
      'on_behalf_of',
      'delegation_id',
      'decision',
      'reason',
      'decided_at',
      'created_at',
    ],
    { parents: [approvals, delegations] },
  );

  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`approvals:${tenant.slug}`);
    const decisionIds = ctx.rng(`approval-decisions:${tenant.slug}`);
    await policies.add({
      id: decisionIds.uuid(),
      tenant_id: tenant.id,
      quorum_min_risk_level: 5,
      quorum_required: 2,
      on_expiry: 'escalate',
      escalation_chain: pgArray(['tenant_admins', 'holding_approvers']),
      escalation_window_minutes: 1440,
      created_at: tenant.createdAt,
      updated_at: tenant.createdAt,
    });
    const since = Math.max(tenant.createdAt.getTime() + DAY, ctx.anchorMs - WINDOW_DAYS * DAY);
    const delegationStart = ctx.ago(2 * DAY + rng.between(0, 10) * HOUR);
    const delegationId = rng.uuid();
    await delegations.add({
      id: delegationId,
      tenant_id: tenant.id,
      delegator_id: users.approver.id,
      delegate_id: users.admin.id,
      risk_levels: pgArray([0, 1, 2, 3, 4]),
      starts_at: delegationStart,
      ends_at: ctx.ahead(5 * DAY),
      reason: 'Annual leave: the admin decides approvals this week',
      is_active: true,
      created_at: new Date(delegationStart.getTime() - 3 * HOUR),
    });
    const pastStart = new Date(Math.max(since, ctx.anchorMs - 30 * DAY));
    await delegations.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      delegator_id: users.admin.id,
      delegate_id: users.approver.id,
      risk_levels: pgArray([0, 1, 2]),
      starts_at: pastStart,
      ends_at: new Date(pastStart.getTime() + 3 * DAY),
      reason: 'Conference travel',
      is_active: false,
      created_at: new Date(pastStart.getTime() - DAY),
    });

    const pickAssistant = (): AssistantRef => rng.pick(world.assistants);
    const task = (assistant: AssistantRef): Task => rng.pick(TASKS[assistant.type] ?? TASKS['custom'] ?? []);

    const total = Math.max(REQUIRED.length, ctx.count(30 * tenant.weight));
    for (let i = 0; i < total; i++) {
      const kind =
        REQUIRED[i] ??
        rng.weighted([
          ['approved', 45],
          ['rejected', 10],
          ['expired', 8],
          ['pending', 25],
          ['escalated', 7],
        ] as const);
      const status: ApprovalState =
        kind === 'pending_soon' ? 'pending' : kind === 'approved_delegated' ? 'approved' : kind;
      const assistant = pickAssistant();
      const t = task(assistant);
      const title = t.title(rng, tenant.currency);
      const risk = rng.weighted([
        [1, 15],
        [2, 30],
        [3, 30],
        [4, 18],
        [5, 7],
      ] as const);
      const amount = Math.round(rng.logNormal(1800, 1.1) * 100) / 100;
      let created: number;
      let expires: number;
      if (kind === 'pending_soon') {
        expires = ctx.anchorMs + rng.between(5, 55) * MINUTE;
        created = expires - 24 * HOUR;
      } else if (status === 'pending' || status === 'escalated') {
        created = ctx.anchorMs - rng.between(0.5, 40) * HOUR;
        expires = Math.max(created + rng.pick([48, 72]) * HOUR, ctx.anchorMs + 2 * HOUR);
      } else if (kind === 'approved_delegated') {
        created = Math.max(delegationStart.getTime() + HOUR, ctx.anchorMs - 30 * HOUR);
        expires = created + 48 * HOUR;
      } else if (status === 'expired') {
        expires = ctx.anchorMs - rng.between(1, WINDOW_DAYS * 0.8) * DAY;
        created = expires - rng.pick([24, 48]) * HOUR;
        if (created < since) created = since;
        if (expires <= created) expires = created + 24 * HOUR;
      } else {
        created = since + (ctx.anchorMs - 2 * HOUR - since) * rng.float();
        expires = created + rng.pick([24, 48, 72]) * HOUR;
      }
      const decidedAt =
        status === 'approved' || status === 'rejected'
          ? Math.min(created + rng.between(10, 600) * MINUTE, expires - MINUTE, ctx.anchorMs - MINUTE)
          : null;
      const underDelegation =
        decidedAt !== null &&
        (kind === 'approved_delegated' || (decidedAt >= delegationStart.getTime() && rng.chance(0.7)));
      const decider = underDelegation ? users.admin : rng.chance(0.9) ? users.approver : users.admin;
      const escalations = status === 'escalated' ? rng.int(1, 2) : 0;
      const requester = rng.pick([users.bot, users.bot, users.finance, users.ops]);

      // The work item that waits on (or waited on) this approval.
      const wiId = rng.uuid();
      const wiStatus =
        status === 'pending' || status === 'escalated'
          ? 'awaiting_approval'
          : status === 'approved'
            ? ctx.anchorMs - (decidedAt ?? 0) < 2 * HOUR
              ? 'in_progress'
              : 'completed'
            : 'cancelled';
      const wiStarted = created - rng.between(1, 30) * MINUTE;
      const wiCompleted =
        wiStatus === 'completed'
          ? Math.min((decidedAt ?? created) + rng.between(1, 30) * MINUTE, ctx.anchorMs)
          : wiStatus === 'cancelled'
            ? Math.min((decidedAt ?? expires) + rng.between(1, 30) * MINUTE, ctx.anchorMs)
            : null;
      const estimated = rng.between(0.02, 1.5);
      await workItems.add({
        id: wiId,
        tenant_id: tenant.id,
        assistant_id: assistant.id,
        title,
        description: `${assistant.name}: ${t.action.replace(/_/g, ' ')} (${tenant.currency} ${money(amount)})`,
        status: wiStatus,
        priority: rng.int(1, 4),
        risk_level: risk,
        estimated_cost: estimated.toFixed(4),
        actual_cost: wiStatus === 'completed' ? (estimated * rng.between(0.6, 1.4)).toFixed(4) : null,
        context: { action: t.action, amount: money(amount), currency: tenant.currency },
        result: wiStatus === 'completed' ? { ok: true, reference: `JE${rng.int(1000, 9999)}` } : null,
        started_at: new Date(wiStarted),
        completed_at: wiCompleted ? new Date(wiCompleted) : null,
        due_at: new Date(expires),
        created_by: requester.id,
        created_at: new Date(wiStarted - rng.between(1, 60) * MINUTE),
        updated_at: new Date(wiCompleted ?? created),
      });
      world.workItems.push({ id: wiId, assistantId: assistant.id, title, createdAt: new Date(wiStarted) });

      const id = rng.uuid();
      const updated =
        decidedAt ??
        (status === 'expired'
          ? Math.min(expires + rng.between(1, 15) * MINUTE, ctx.anchorMs)
          : status === 'escalated'
            ? created + rng.between(2, 20) * HOUR
            : created);
      const rejectedReason = status === 'rejected' ? rng.pick(REJECTIONS) : null;
      await approvals.add({
        id,
        tenant_id: tenant.id,
        work_item_id: wiId,
        title,
        description: `Requested by ${assistant.name} for ${tenant.currency} ${money(amount)}.`,
        risk_level: risk,
        status,
        requested_by: requester.id,
        approver_ids: pgArray(risk >= 4 ? [users.approver.id, users.admin.id] : [users.approver.id]),
        approved_by: decidedAt !== null ? decider.id : null,
        approved_at: decidedAt !== null ? new Date(decidedAt) : null,
        rejected_reason: rejectedReason,
        expires_at: new Date(expires),
        escalation_count: escalations,
        context: {
          action: t.action,
          amount: money(amount),
          currency: tenant.currency,
          assistant_id: assistant.id,
          ...(underDelegation
            ? { decided_under_delegation: delegationId, on_behalf_of: users.approver.id }
            : {}),
          ...(status === 'escalated'
            ? { escalated_to: users.admin.id, reason: 'No decision within 2 hours' }
            : {}),
        },
        created_at: new Date(created),
        updated_at: new Date(Math.min(updated, ctx.anchorMs)),
      });
      const approverIds = risk >= 4 ? [users.approver.id, users.admin.id] : [users.approver.id];
      if (decidedAt !== null && (underDelegation || approverIds.includes(decider.id)))
        await decisions.add({
          id: decisionIds.uuid(),
          tenant_id: tenant.id,
          approval_id: id,
          decided_by: decider.id,
          on_behalf_of: underDelegation ? users.approver.id : null,
          delegation_id: underDelegation ? delegationId : null,
          decision: status === 'approved' ? 'approve' : 'reject',
          reason: rejectedReason,
          decided_at: new Date(decidedAt),
          created_at: new Date(decidedAt),
        });
      ctx.audit({
        tenantId: tenant.id,
        at: new Date(created),
        actorType: 'assistant',
        actorId: assistant.id,
        category: 'approvals',
        action: 'approval.requested',
        entityType: 'approval',
        entityId: id,
        after: { status: 'pending', risk_level: risk },
        status: 'success',
      });
      if (decidedAt !== null) {
        ctx.audit({
          tenantId: tenant.id,
          at: new Date(decidedAt),
          actorType: 'user',
          actorId: decider.id,
          category: 'approvals',
          action: status === 'approved' ? 'approval.approved' : 'approval.rejected',
          entityType: 'approval',
          entityId: id,
          before: { status: 'pending' },
          after: { status },
          metadata: underDelegation ? { delegation_id: delegationId } : {},
          status: 'success',
        });
      } else if (status === 'expired' || status === 'escalated') {
        ctx.audit({
          tenantId: tenant.id,
          at: new Date(Math.min(updated, ctx.anchorMs)),
          actorType: 'system',
          actorId: null,
          category: 'approvals',
          action: status === 'expired' ? 'approval.expired' : 'approval.escalated',
          entityType: 'approval',
          entityId: id,
          before: { status: 'pending' },
          after: { status },
          status: 'success',
        });
      }
    }

    // Work items that never needed an approval.
    const extra = ctx.count(40 * tenant.weight);
    for (let i = 0; i < extra; i++) {
      const assistant = pickAssistant();
      const t = task(assistant);
      const status = rng.weighted([
        ['completed', 55],
        ['in_progress', 12],
        ['backlog', 15],
        ['failed', 8],
        ['cancelled', 10],
      ] as const);
      const created = since + (ctx.anchorMs - since) * rng.float();
      const started =
        status === 'backlog' ? null : Math.min(created + rng.between(1, 120) * MINUTE, ctx.anchorMs);
      const done =
        status === 'completed' || status === 'failed' || status === 'cancelled'
          ? Math.min((started ?? created) + rng.between(1, 240) * MINUTE, ctx.anchorMs)
          : null;
      const estimated = rng.between(0.01, 0.8);
      const id = rng.uuid();
      const title = t.title(rng, tenant.currency);
      await workItems.add({
        id,
        tenant_id: tenant.id,
        assistant_id: assistant.id,
        title,
        description: null,
        status,
        priority: rng.int(1, 5),
        risk_level: rng.int(0, 3),
        estimated_cost: estimated.toFixed(4),
        actual_cost: done && status !== 'cancelled' ? (estimated * rng.between(0.5, 1.5)).toFixed(4) : null,
        context: { action: t.action },
        result:
          status === 'completed'
            ? { ok: true }
            : status === 'failed'
              ? { ok: false, error: 'Tool call timed out after 60 s' }
              : null,
        started_at: started ? new Date(started) : null,
        completed_at: done ? new Date(done) : null,
        due_at: rng.chance(0.5) ? new Date(created + rng.int(1, 14) * DAY) : null,
        created_by: rng.pick([users.ops, users.finance, users.admin]).id,
        created_at: new Date(created),
        updated_at: new Date(done ?? started ?? created),
      });
      world.workItems.push({ id, assistantId: assistant.id, title, createdAt: new Date(created) });
    }
  }
  await ctx.finish(delegations, workItems, approvals, policies, decisions);
}

/**
 * common/lifecycles/registry.ts: every lifecycle of the schema, bound to the column it governs.
 *
 *   LIFECYCLES        one binding per status-like column with a fixed set of states: the transition
 *                     table, where it lives (table.column), the state a new row starts in, and the
 *                     events a person may trigger (the rest belong to workers, connectors and sweeps)
 *   NOT_LIFECYCLES    every other status-like column of the schema, with the reason it is not one
 *   allowedEvents     the events (and their targets) allowed from a state; allowedUserEvents likewise
 *                     for a person
 *
 * Guarantees (tested): every status-like column of the schema (a name ending in status, state, stage
 * or phase, or containing one of them between underscores) is in exactly one of the two lists
 * (migrations/lifecycles.testkit.ts reads the catalog); the database holds exactly these transitions
 * (`state_transitions`, migrations 0050 and 0300) and refuses every other change of the column with
 * SQLSTATE OP001 naming the machine; every table is complete and every state reachable
 * (registry.test.ts). Changing a lifecycle is a new migration with its rows, never an edit of this
 * list alone.
 */
import { alertLifecycle } from './alert.ts';
import { approvalLifecycle } from './approval.ts';
import { assistantLifecycle } from './assistant.ts';
import { changesetLifecycle } from './changeset.ts';
import { connectionLifecycle } from './connection.ts';
import { cursorStateLifecycle } from './cursor-state.ts';
import { dataRequestLifecycle } from './data-request.ts';
import { disputeLifecycle } from './dispute.ts';
import { escalationLifecycle } from './escalation.ts';
import { hallucinationFlagLifecycle } from './hallucination-flag.ts';
import { invoiceLifecycle } from './invoice.ts';
import { jobLifecycle } from './job.ts';
import { knowledgeDocumentLifecycle } from './knowledge-document.ts';
import { knowledgeGapLifecycle } from './knowledge-gap.ts';
import { mcpConnectorLifecycle } from './mcp-connector.ts';
import { onboardingChecklistItemLifecycle } from './onboarding-checklist-item.ts';
import { orderLifecycle } from './order.ts';
import { paymentLifecycle } from './payment.ts';
import { payoutLifecycle } from './payout.ts';
import { ragEvaluationRunLifecycle } from './rag-evaluation-run.ts';
import { refundLifecycle } from './refund.ts';
import { scriptSyncStateLifecycle } from './script-sync-state.ts';
import { isState, type Lifecycle } from './state-machine.ts';
import { subscriptionLifecycle } from './subscription.ts';
import { tenantLifecycle } from './tenant.ts';
import { unresolvedProblemLifecycle } from './unresolved-problem.ts';
import { workItemLifecycle } from './work-item.ts';
import { workflowRunLifecycle } from './workflow-run.ts';
import { workflowLifecycle } from './workflow.ts';
import { workspaceRunLifecycle } from './workspace-run.ts';

export interface LifecycleBinding {
  readonly lifecycle: Lifecycle<string, string>;
  readonly table: string;
  readonly column: string;
  /** the column default / state a new row starts in */
  readonly initial: string;
  /**
   * Other states a writer creates rows in (a provider's object can start in more than one state:
   * Stripe creates subscriptions incomplete, trialing or active); empty for Outpost's own lifecycles.
   * Inserts are not policed: this documents where a lifecycle begins.
   */
  readonly entry: readonly string[];
  /** events a person may trigger from the app (the lead builds named operations `<machine>.transition` over them); the rest belong to server processes: workers, connectors, the expiry sweep */
  readonly userEvents: readonly string[];
}

/** A binding whose states and events are checked against its lifecycle at compile time. */
function bind<S extends string, E extends string>(binding: {
  readonly lifecycle: Lifecycle<S, E>;
  readonly table: string;
  readonly column: string;
  readonly initial: NoInfer<S>;
  readonly entry: readonly NoInfer<S>[];
  readonly userEvents: readonly NoInfer<E>[];
}): LifecycleBinding {
  return binding;
}

export const LIFECYCLES: readonly LifecycleBinding[] = [
  bind({
    lifecycle: tenantLifecycle,
    table: 'tenants',
    column: 'status',
    initial: 'active',
    entry: [],
    userEvents: ['suspend', 'reactivate', 'archive', 'restore'],
  }),
  bind({
    lifecycle: dataRequestLifecycle,
    table: 'data_requests',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: ['cancel', 'retry'],
  }),
  bind({
    lifecycle: onboardingChecklistItemLifecycle,
    table: 'onboarding_checklist_items',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: ['start', 'complete', 'skip', 'reopen'],
  }),
  bind({
    lifecycle: connectionLifecycle,
    table: 'connections',
    column: 'status',
    initial: 'active',
    entry: ['pending'],
    userEvents: ['disable', 'enable', 'revoke', 'reconnect'],
  }),
  bind({
    lifecycle: cursorStateLifecycle,
    table: 'cursor_states',
    column: 'status',
    initial: 'idle',
    entry: [],
    userEvents: ['reset'],
  }),
  bind({
    lifecycle: mcpConnectorLifecycle,
    table: 'mcp_connectors',
    column: 'status',
    initial: 'active',
    entry: [],
    userEvents: ['activate', 'deactivate'],
  }),
  bind({
    lifecycle: jobLifecycle,
    table: 'jobs',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: ['retry', 'cancel'],
  }),
  bind({
    lifecycle: workflowLifecycle,
    table: 'workflows',
    column: 'status',
    initial: 'active',
    entry: [],
    userEvents: ['archive', 'restore'],
  }),
  bind({
    lifecycle: workflowRunLifecycle,
    table: 'workflow_runs',
    column: 'status',
    initial: 'queued',
    entry: [],
    userEvents: ['cancel', 'retry'],
  }),
  bind({
    lifecycle: orderLifecycle,
    table: 'orders',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: [],
  }),
  bind({
    lifecycle: paymentLifecycle,
    table: 'payments',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: [],
  }),
  bind({
    lifecycle: refundLifecycle,
    table: 'refunds',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: [],
  }),
  bind({
    lifecycle: payoutLifecycle,
    table: 'payouts',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: [],
  }),
  bind({
    lifecycle: disputeLifecycle,
    table: 'disputes',
    column: 'status',
    initial: 'needs_response',
    entry: ['warning_needs_response'],
    userEvents: [],
  }),
  bind({
    lifecycle: scriptSyncStateLifecycle,
    table: 'script_sync_states',
    column: 'status',
    initial: 'idle',
    entry: [],
    userEvents: ['reset'],
  }),
  bind({
    lifecycle: changesetLifecycle,
    table: 'workspace_changesets',
    column: 'status',
    initial: 'draft',
    entry: [],
    userEvents: ['submit', 'approve', 'reject', 'apply', 'revise', 'withdraw'],
  }),
  bind({
    lifecycle: workspaceRunLifecycle,
    table: 'workspace_runs',
    column: 'status',
    initial: 'queued',
    entry: [],
    userEvents: ['cancel'],
  }),
  bind({
    lifecycle: assistantLifecycle,
    table: 'assistants',
    column: 'status',
    initial: 'inactive',
    entry: [],
    userEvents: ['activate', 'deactivate', 'suspend', 'reinstate'],
  }),
  bind({
    lifecycle: workItemLifecycle,
    table: 'work_items',
    column: 'status',
    initial: 'backlog',
    entry: [],
    userEvents: ['retry', 'cancel'],
  }),
  bind({
    lifecycle: approvalLifecycle,
    table: 'approvals',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: ['approve', 'reject'],
  }),
  bind({
    lifecycle: knowledgeDocumentLifecycle,
    table: 'knowledge_documents',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: ['reprocess'],
  }),
  bind({
    lifecycle: knowledgeGapLifecycle,
    table: 'knowledge_gaps',
    column: 'status',
    initial: 'open',
    entry: [],
    userEvents: ['address', 'dismiss', 'reopen'],
  }),
  bind({
    lifecycle: unresolvedProblemLifecycle,
    table: 'unresolved_problems',
    column: 'status',
    initial: 'open',
    entry: [],
    userEvents: ['investigate', 'resolve', 'reopen'],
  }),
  bind({
    lifecycle: escalationLifecycle,
    table: 'escalations',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: ['assign', 'unassign', 'resolve', 'close', 'reopen'],
  }),
  bind({
    lifecycle: ragEvaluationRunLifecycle,
    table: 'rag_evaluation_runs',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: ['cancel'],
  }),
  bind({
    lifecycle: hallucinationFlagLifecycle,
    table: 'hallucination_flags',
    column: 'status',
    initial: 'pending',
    entry: [],
    userEvents: ['review', 'confirm', 'dismiss'],
  }),
  bind({
    lifecycle: subscriptionLifecycle,
    table: 'subscriptions',
    column: 'status',
    initial: 'active',
    entry: ['incomplete', 'trialing'],
    userEvents: [],
  }),
  bind({
    lifecycle: invoiceLifecycle,
    table: 'invoices',
    column: 'status',
    initial: 'draft',
    entry: [],
    userEvents: [],
  }),
  bind({
    lifecycle: alertLifecycle,
    table: 'alerts',
    column: 'status',
    initial: 'active',
    entry: [],
    userEvents: ['resolve', 'mute', 'unmute'],
  }),
];

const BY_TABLE: ReadonlyMap<string, LifecycleBinding> = new Map(LIFECYCLES.map((b) => [b.table, b]));

/** The lifecycle of `table`'s status column, if it has one. */
export function lifecycleFor(table: string): LifecycleBinding | undefined {
  return BY_TABLE.get(table);
}

/**
 * Status-like columns that are not lifecycles ('table.column' -> why). A column here is written once
 * and never moves, or is not a state at all.
 */
export const NOT_LIFECYCLES: Readonly<Record<string, string>> = {
  'audit_logs.status':
    'the outcome (success, error, denied) of the audited action, written once; the audit log is append-only (0051)',
  'audit_logs.before_state': 'a jsonb snapshot of the audited entity before the action, not a state',
  'audit_logs.after_state': 'a jsonb snapshot of the audited entity after the action, not a state',
  'crm_sync_logs.status':
    'the outcome (success, failed, partial) of one finished CRM sync run, written once with the log row',
  'lead_events.stage':
    "a lead's pipeline stage at one event (003 records each observation as a new row; a lead moves by new rows, never by updates), free text from the CRM",
  'lead_events.status':
    "a lead's status at one event (003: e.g. active, stale, lost), recorded with the event, free text from the CRM",
  'netsuite_api_logs.status_code': 'the HTTP status code of one logged NetSuite call',
  'accounts.session_state':
    'the OAuth/OIDC session_state value an identity provider returned (Auth.js), an opaque string',
  'state_transitions.from_state': 'the lifecycle tables themselves (reference data)',
  'state_transitions.to_state': 'the lifecycle tables themselves (reference data)',
};

export interface AllowedEvent {
  readonly event: string;
  readonly to: string;
}

/** The events allowed from `from` with the state each leads to, in the lifecycle's event order. */
export function allowedEvents(binding: LifecycleBinding, from: string): readonly AllowedEvent[] {
  const row = binding.lifecycle.table[from];
  if (row === undefined) return [];
  const allowed: AllowedEvent[] = [];
  for (const event of binding.lifecycle.events) {
    const to = row[event];
    if (to !== undefined && isState(to)) allowed.push({ event, to });
  }
  return allowed;
}

/** allowedEvents restricted to the events a person may trigger (`userEvents`). */
export function allowedUserEvents(binding: LifecycleBinding, from: string): readonly AllowedEvent[] {
  return allowedEvents(binding, from).filter((a) => binding.userEvents.includes(a.event));
}

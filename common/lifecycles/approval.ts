/**
 * common/lifecycles/approval.ts: the approval request lifecycle.
 *
 *   pending ──approve──► approved
 *      │    ──reject───► rejected
 *      │    ──expire───► expired
 *      └────escalate───► escalated ──approve / reject / expire──► approved / rejected / expired
 *
 * approved, rejected and expired are decisions, and decisions are final. The server's expiry job
 * escalates (sync-server/approvals/): pending ──escalate──► escalated hands the approval to the first
 * step of the tenant's escalation chain. A further step of the chain is not a transition: the approval
 * stays escalated while the job raises escalation_count, replaces approver_ids and sets a new expiry
 * (a lifecycle never stays in place, so there is no escalated ──escalate──► escalated).
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const APPROVAL_STATES = ['pending', 'escalated', 'approved', 'rejected', 'expired'] as const;
export const APPROVAL_EVENTS = ['approve', 'reject', 'escalate', 'expire'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
export type ApprovalEvent = (typeof APPROVAL_EVENTS)[number];
export const DECIDED_APPROVAL_STATES: readonly ApprovalState[] = ['approved', 'rejected', 'expired'];

const R = REFUSED;

export const approvalLifecycle: Lifecycle<ApprovalState, ApprovalEvent> = {
  name: 'approval',
  states: APPROVAL_STATES,
  events: APPROVAL_EVENTS,
  table: {
    pending: { approve: 'approved', reject: 'rejected', escalate: 'escalated', expire: 'expired' },
    escalated: { approve: 'approved', reject: 'rejected', escalate: R, expire: 'expired' },
    approved: { approve: R, reject: R, escalate: R, expire: R },
    rejected: { approve: R, reject: R, escalate: R, expire: R },
    expired: { approve: R, reject: R, escalate: R, expire: R },
  },
};

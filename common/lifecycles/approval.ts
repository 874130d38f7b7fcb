/**
 * common/lifecycles/approval.ts: the approval request lifecycle.
 *
 *   pending ──approve──► approved
 *      │    ──reject───► rejected
 *      │    ──expire───► expired
 *      └────escalate───► escalated ──approve / reject / expire──► approved / rejected / expired
 *                          ▲   │
 *                          └───┘ escalate (the next step of the tenant's escalation chain)
 *
 * approved, rejected and expired are decisions, and decisions are final. Escalating is the server's
 * expiry job (sync-server/approvals/): each escalation raises escalation_count, hands the approval to
 * the next step of the tenant's chain (approval_policies) and sets a new expiry; an escalated approval
 * can be escalated again while the chain has steps left (migrations/shared/0303).
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
    escalated: { approve: 'approved', reject: 'rejected', escalate: 'escalated', expire: 'expired' },
    approved: { approve: R, reject: R, escalate: R, expire: R },
    rejected: { approve: R, reject: R, escalate: R, expire: R },
    expired: { approve: R, reject: R, escalate: R, expire: R },
  },
};

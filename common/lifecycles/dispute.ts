/**
 * common/lifecycles/dispute.ts: a card dispute (000 disputes) as Stripe reports it (Shopify Payments
 * disputes map onto it: ACCEPTED is lost).
 *
 *   an inquiry:    warning_needs_response ──submit_inquiry_evidence──► warning_under_review
 *                  either of them ──close_inquiry──► warning_closed
 *                                 ──prevent──► prevented (kept from becoming a chargeback)
 *                                 ──escalate──► needs_response (it became a chargeback)
 *   a chargeback:  needs_response ──submit_evidence──► under_review ──win / lose──► won / lost
 *                  needs_response ──win / lose──► won / lost (withdrawn, accepted or unanswered)
 *
 * warning_closed, prevented, won and lost are final. Chargebacks start needs_response, inquiries
 * warning_needs_response.
 *
 * A provider mirror: the connector writes what the provider reports, and a person acts on the
 * provider, never on this column (no user events). The connector can miss intermediate states (it
 * polls, and the provider's webhooks arrive in any order), so a move is allowed when the provider can
 * get from `from` to `to` at all: the table is the transitive closure of the provider's own moves
 * below (common/lifecycles/registry.test.ts checks that), and refuses only what the provider can
 * never do. Each event names the state it reports, so every event has one target.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const DISPUTE_STATES = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
] as const;
export const DISPUTE_EVENTS = [
  'submit_inquiry_evidence',
  'close_inquiry',
  'escalate',
  'submit_evidence',
  'win',
  'lose',
  'prevent',
] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];
export type DisputeEvent = (typeof DISPUTE_EVENTS)[number];

/** The provider's own moves (the diagram above); the table is their transitive closure. */
export const DISPUTE_PROVIDER_MOVES: readonly (readonly [DisputeState, DisputeState])[] = [
  ['warning_needs_response', 'warning_under_review'],
  ['warning_needs_response', 'warning_closed'],
  ['warning_needs_response', 'needs_response'],
  ['warning_needs_response', 'prevented'],
  ['warning_under_review', 'warning_closed'],
  ['warning_under_review', 'needs_response'],
  ['warning_under_review', 'prevented'],
  ['needs_response', 'under_review'],
  ['needs_response', 'won'],
  ['needs_response', 'lost'],
  ['under_review', 'won'],
  ['under_review', 'lost'],
];

const R = REFUSED;

export const disputeLifecycle: Lifecycle<DisputeState, DisputeEvent> = {
  name: 'dispute',
  states: DISPUTE_STATES,
  events: DISPUTE_EVENTS,
  table: {
    warning_needs_response: {
      submit_inquiry_evidence: 'warning_under_review',
      close_inquiry: 'warning_closed',
      escalate: 'needs_response',
      submit_evidence: 'under_review',
      win: 'won',
      lose: 'lost',
      prevent: 'prevented',
    },
    warning_under_review: {
      submit_inquiry_evidence: R,
      close_inquiry: 'warning_closed',
      escalate: 'needs_response',
      submit_evidence: 'under_review',
      win: 'won',
      lose: 'lost',
      prevent: 'prevented',
    },
    warning_closed: {
      submit_inquiry_evidence: R,
      close_inquiry: R,
      escalate: R,
      submit_evidence: R,
      win: R,
      lose: R,
      prevent: R,
    },
    needs_response: {
      submit_inquiry_evidence: R,
      close_inquiry: R,
      escalate: R,
      submit_evidence: 'under_review',
      win: 'won',
      lose: 'lost',
      prevent: R,
    },
    under_review: {
      submit_inquiry_evidence: R,
      close_inquiry: R,
      escalate: R,
      submit_evidence: R,
      win: 'won',
      lose: 'lost',
      prevent: R,
    },
    won: {
      submit_inquiry_evidence: R,
      close_inquiry: R,
      escalate: R,
      submit_evidence: R,
      win: R,
      lose: R,
      prevent: R,
    },
    lost: {
      submit_inquiry_evidence: R,
      close_inquiry: R,
      escalate: R,
      submit_evidence: R,
      win: R,
      lose: R,
      prevent: R,
    },
    prevented: {
      submit_inquiry_evidence: R,
      close_inquiry: R,
      escalate: R,
      submit_evidence: R,
      win: R,
      lose: R,
      prevent: R,
    },
  },
};

/**
 * common/lifecycles/refund.ts: the canonical status of a refund (000 refunds) as its provider reports
 * it (Stripe's refund statuses; a Shopify refund transaction's success / failure map to succeeded /
 * failed).
 *
 *   pending ──require_action──► requires_action ──process──► pending
 *   pending, requires_action ──succeed──► succeeded ──fail──► failed (a refund can fail after it succeeded)
 *   pending, requires_action ──fail──► failed
 *   pending, requires_action ──cancel──► canceled
 *
 * failed and canceled are final.
 *
 * A provider mirror: the connector writes what the provider reports, and a person acts on the
 * provider, never on this column (no user events). The connector can miss intermediate states (it
 * polls, and the provider's webhooks arrive in any order), so a move is allowed when the provider can
 * get from `from` to `to` at all: the table is the transitive closure of the provider's own moves
 * below (common/lifecycles/registry.test.ts checks that), and refuses only what the provider can
 * never do. Each event names the state it reports, so every event has one target.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const REFUND_STATES = ['pending', 'requires_action', 'succeeded', 'failed', 'canceled'] as const;
export const REFUND_EVENTS = ['process', 'require_action', 'succeed', 'fail', 'cancel'] as const;
export type RefundState = (typeof REFUND_STATES)[number];
export type RefundEvent = (typeof REFUND_EVENTS)[number];

/** The provider's own moves (the diagram above); the table is their transitive closure. */
export const REFUND_PROVIDER_MOVES: readonly (readonly [RefundState, RefundState])[] = [
  ['pending', 'requires_action'],
  ['pending', 'succeeded'],
  ['pending', 'failed'],
  ['pending', 'canceled'],
  ['requires_action', 'pending'],
  ['requires_action', 'succeeded'],
  ['requires_action', 'failed'],
  ['requires_action', 'canceled'],
  ['succeeded', 'failed'],
];

const R = REFUSED;

export const refundLifecycle: Lifecycle<RefundState, RefundEvent> = {
  name: 'refund',
  states: REFUND_STATES,
  events: REFUND_EVENTS,
  table: {
    pending: {
      process: R,
      require_action: 'requires_action',
      succeed: 'succeeded',
      fail: 'failed',
      cancel: 'canceled',
    },
    requires_action: {
      process: 'pending',
      require_action: R,
      succeed: 'succeeded',
      fail: 'failed',
      cancel: 'canceled',
    },
    succeeded: { process: R, require_action: R, succeed: R, fail: 'failed', cancel: R },
    failed: { process: R, require_action: R, succeed: R, fail: R, cancel: R },
    canceled: { process: R, require_action: R, succeed: R, fail: R, cancel: R },
  },
};

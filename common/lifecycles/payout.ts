/**
 * common/lifecycles/payout.ts: a Stripe payout (000 payouts) as Stripe reports it.
 *
 *   pending ──send──► in_transit ──pay──► paid ──fail──► failed   (Stripe: a paid payout can still fail)
 *     │                   └──fail──► failed
 *     ├──pay──► paid      (instant payouts)
 *     ├──fail──► failed
 *     └──cancel──► canceled
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

export const PAYOUT_STATES = ['pending', 'in_transit', 'paid', 'failed', 'canceled'] as const;
export const PAYOUT_EVENTS = ['send', 'pay', 'fail', 'cancel'] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];
export type PayoutEvent = (typeof PAYOUT_EVENTS)[number];

/** The provider's own moves (the diagram above); the table is their transitive closure. */
export const PAYOUT_PROVIDER_MOVES: readonly (readonly [PayoutState, PayoutState])[] = [
  ['pending', 'in_transit'],
  ['pending', 'paid'],
  ['pending', 'failed'],
  ['pending', 'canceled'],
  ['in_transit', 'paid'],
  ['in_transit', 'failed'],
  ['paid', 'failed'],
];

const R = REFUSED;

export const payoutLifecycle: Lifecycle<PayoutState, PayoutEvent> = {
  name: 'payout',
  states: PAYOUT_STATES,
  events: PAYOUT_EVENTS,
  table: {
    pending: { send: 'in_transit', pay: 'paid', fail: 'failed', cancel: 'canceled' },
    in_transit: { send: R, pay: 'paid', fail: 'failed', cancel: R },
    paid: { send: R, pay: R, fail: 'failed', cancel: R },
    failed: { send: R, pay: R, fail: R, cancel: R },
    canceled: { send: R, pay: R, fail: R, cancel: R },
  },
};

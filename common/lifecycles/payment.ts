/**
 * common/lifecycles/payment.ts: the canonical status of a payment (000 payments) as its provider
 * reports it: a Stripe charge or payment intent, or a Shopify transaction.
 *
 *   pending ──authorize──► authorized ──succeed──► succeeded
 *      │                       └──────void──────► voided
 *      ├──succeed──► succeeded
 *      ├──fail─────► failed
 *      └──void─────► voided
 *
 * succeeded, failed and voided are final: a refund or a dispute is its own row (refunds, disputes),
 * and a retried charge is a new payment. Mapping: Stripe charge pending / succeeded / failed, payment
 * intent requires_capture = authorized and canceled = voided; Shopify transaction status pending /
 * success / failure / error, where a successful authorization is authorized and a void voided.
 *
 * A provider mirror: the connector writes what the provider reports, and a person acts on the
 * provider, never on this column (no user events). The connector can miss intermediate states (it
 * polls, and the provider's webhooks arrive in any order), so a move is allowed when the provider can
 * get from `from` to `to` at all: the table is the transitive closure of the provider's own moves
 * below (common/lifecycles/registry.test.ts checks that), and refuses only what the provider can
 * never do. Each event names the state it reports, so every event has one target.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const PAYMENT_STATES = ['pending', 'authorized', 'succeeded', 'failed', 'voided'] as const;
export const PAYMENT_EVENTS = ['authorize', 'succeed', 'fail', 'void'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
export type PaymentEvent = (typeof PAYMENT_EVENTS)[number];

/** The provider's own moves (the diagram above); the table is their transitive closure. */
export const PAYMENT_PROVIDER_MOVES: readonly (readonly [PaymentState, PaymentState])[] = [
  ['pending', 'authorized'],
  ['pending', 'succeeded'],
  ['pending', 'failed'],
  ['pending', 'voided'],
  ['authorized', 'succeeded'],
  ['authorized', 'voided'],
];

const R = REFUSED;

export const paymentLifecycle: Lifecycle<PaymentState, PaymentEvent> = {
  name: 'payment',
  states: PAYMENT_STATES,
  events: PAYMENT_EVENTS,
  table: {
    pending: { authorize: 'authorized', succeed: 'succeeded', fail: 'failed', void: 'voided' },
    authorized: { authorize: R, succeed: 'succeeded', fail: R, void: 'voided' },
    succeeded: { authorize: R, succeed: R, fail: R, void: R },
    failed: { authorize: R, succeed: R, fail: R, void: R },
    voided: { authorize: R, succeed: R, fail: R, void: R },
  },
};

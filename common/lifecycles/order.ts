/**
 * common/lifecycles/order.ts: the canonical status of an order (000 orders) as its provider reports
 * it: a Shopify order (financial status, fulfilment status and cancellation folded into one column)
 * or a Stripe invoice sold as an order.
 *
 *   pending ─► authorized ─► partially_paid ─► paid ◄─► partially_fulfilled ◄─► fulfilled
 *     (a state can also go straight to any state to its right: a payment can complete in one step,
 *      and an order shipped before it was paid is fulfilled once it is paid; fulfilments can be
 *      cancelled, so paid, partially_fulfilled and fulfilled move both ways)
 *
 *   pending, authorized ──void──► voided         pending ──mark_uncollectible──► uncollectible
 *   uncollectible ──pay / void──► paid / voided  (Stripe invoices)
 *   partially_paid, paid, partially_fulfilled, fulfilled ──refund_partially──► partially_refunded
 *   partially_paid, paid, partially_fulfilled, fulfilled, partially_refunded ──refund──► refunded
 *   every state but cancelled ──cancel──► cancelled (Shopify may still refund a cancelled order; the
 *   refunds table records that)
 *
 * Folding rule: cancelled; else a refunded, partially_refunded or voided financial status; else, for
 * a paid order, fulfilled / partially_fulfilled / paid by its fulfilment; else the financial status
 * (pending, authorized, partially_paid). An order shipped before it is paid (payment terms) shows
 * its financial status until it is paid. A Stripe invoice: draft and open are pending, void is
 * voided, uncollectible and paid are themselves. cancelled is the one final state.
 *
 * A provider mirror: the connector writes what the provider reports, and a person acts on the
 * provider, never on this column (no user events). The connector can miss intermediate states (it
 * polls, and the provider's webhooks arrive in any order), so a move is allowed when the provider can
 * get from `from` to `to` at all: the table is the transitive closure of the provider's own moves
 * below (common/lifecycles/registry.test.ts checks that), and refuses only what the provider can
 * never do. Each event names the state it reports, so every event has one target.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const ORDER_STATES = [
  'pending',
  'authorized',
  'partially_paid',
  'paid',
  'partially_fulfilled',
  'fulfilled',
  'partially_refunded',
  'refunded',
  'voided',
  'uncollectible',
  'cancelled',
] as const;
export const ORDER_EVENTS = [
  'authorize',
  'pay_partially',
  'pay',
  'fulfill_partially',
  'fulfill',
  'refund_partially',
  'refund',
  'void',
  'mark_uncollectible',
  'cancel',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export type OrderEvent = (typeof ORDER_EVENTS)[number];

/** The provider's own moves (the diagram above); the table is their transitive closure. */
export const ORDER_PROVIDER_MOVES: readonly (readonly [OrderState, OrderState])[] = [
  ['pending', 'authorized'],
  ['pending', 'partially_paid'],
  ['pending', 'paid'],
  ['pending', 'partially_fulfilled'],
  ['pending', 'fulfilled'],
  ['pending', 'voided'],
  ['pending', 'uncollectible'],
  ['pending', 'cancelled'],
  ['authorized', 'partially_paid'],
  ['authorized', 'paid'],
  ['authorized', 'partially_fulfilled'],
  ['authorized', 'fulfilled'],
  ['authorized', 'voided'],
  ['authorized', 'cancelled'],
  ['partially_paid', 'paid'],
  ['partially_paid', 'partially_fulfilled'],
  ['partially_paid', 'fulfilled'],
  ['partially_paid', 'partially_refunded'],
  ['partially_paid', 'refunded'],
  ['partially_paid', 'cancelled'],
  ['paid', 'partially_fulfilled'],
  ['paid', 'fulfilled'],
  ['paid', 'partially_refunded'],
  ['paid', 'refunded'],
  ['paid', 'cancelled'],
  ['partially_fulfilled', 'fulfilled'],
  ['partially_fulfilled', 'paid'],
  ['partially_fulfilled', 'partially_refunded'],
  ['partially_fulfilled', 'refunded'],
  ['partially_fulfilled', 'cancelled'],
  ['fulfilled', 'partially_fulfilled'],
  ['fulfilled', 'paid'],
  ['fulfilled', 'partially_refunded'],
  ['fulfilled', 'refunded'],
  ['fulfilled', 'cancelled'],
  ['partially_refunded', 'refunded'],
  ['partially_refunded', 'cancelled'],
  ['refunded', 'cancelled'],
  ['voided', 'cancelled'],
  ['uncollectible', 'paid'],
  ['uncollectible', 'voided'],
];

const R = REFUSED;

export const orderLifecycle: Lifecycle<OrderState, OrderEvent> = {
  name: 'order',
  states: ORDER_STATES,
  events: ORDER_EVENTS,
  table: {
    pending: {
      authorize: 'authorized',
      pay_partially: 'partially_paid',
      pay: 'paid',
      fulfill_partially: 'partially_fulfilled',
      fulfill: 'fulfilled',
      refund_partially: 'partially_refunded',
      refund: 'refunded',
      void: 'voided',
      mark_uncollectible: 'uncollectible',
      cancel: 'cancelled',
    },
    authorized: {
      authorize: R,
      pay_partially: 'partially_paid',
      pay: 'paid',
      fulfill_partially: 'partially_fulfilled',
      fulfill: 'fulfilled',
      refund_partially: 'partially_refunded',
      refund: 'refunded',
      void: 'voided',
      mark_uncollectible: R,
      cancel: 'cancelled',
    },
    partially_paid: {
      authorize: R,
      pay_partially: R,
      pay: 'paid',
      fulfill_partially: 'partially_fulfilled',
      fulfill: 'fulfilled',
      refund_partially: 'partially_refunded',
      refund: 'refunded',
      void: R,
      mark_uncollectible: R,
      cancel: 'cancelled',
    },
    paid: {
      authorize: R,
      pay_partially: R,
      pay: R,
      fulfill_partially: 'partially_fulfilled',
      fulfill: 'fulfilled',
      refund_partially: 'partially_refunded',
      refund: 'refunded',
      void: R,
      mark_uncollectible: R,
      cancel: 'cancelled',
    },
    partially_fulfilled: {
      authorize: R,
      pay_partially: R,
      pay: 'paid',
      fulfill_partially: R,
      fulfill: 'fulfilled',
      refund_partially: 'partially_refunded',
      refund: 'refunded',
      void: R,
      mark_uncollectible: R,
      cancel: 'cancelled',
    },
    fulfilled: {
      authorize: R,
      pay_partially: R,
      pay: 'paid',
      fulfill_partially: 'partially_fulfilled',
      fulfill: R,
      refund_partially: 'partially_refunded',
      refund: 'refunded',
      void: R,
      mark_uncollectible: R,
      cancel: 'cancelled',
    },
    partially_refunded: {
      authorize: R,
      pay_partially: R,
      pay: R,
      fulfill_partially: R,
      fulfill: R,
      refund_partially: R,
      refund: 'refunded',
      void: R,
      mark_uncollectible: R,
      cancel: 'cancelled',
    },
    refunded: {
      authorize: R,
      pay_partially: R,
      pay: R,
      fulfill_partially: R,
      fulfill: R,
      refund_partially: R,
      refund: R,
      void: R,
      mark_uncollectible: R,
      cancel: 'cancelled',
    },
    voided: {
      authorize: R,
      pay_partially: R,
      pay: R,
      fulfill_partially: R,
      fulfill: R,
      refund_partially: R,
      refund: R,
      void: R,
      mark_uncollectible: R,
      cancel: 'cancelled',
    },
    uncollectible: {
      authorize: R,
      pay_partially: R,
      pay: 'paid',
      fulfill_partially: 'partially_fulfilled',
      fulfill: 'fulfilled',
      refund_partially: 'partially_refunded',
      refund: 'refunded',
      void: 'voided',
      mark_uncollectible: R,
      cancel: 'cancelled',
    },
    cancelled: {
      authorize: R,
      pay_partially: R,
      pay: R,
      fulfill_partially: R,
      fulfill: R,
      refund_partially: R,
      refund: R,
      void: R,
      mark_uncollectible: R,
      cancel: R,
    },
  },
};

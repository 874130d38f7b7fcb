/**
 * common/lifecycles/subscription.ts: an Outpost plan subscription as Stripe reports it (001
 * Subscription; Stripe's subscription statuses, plus Outpost's own `expired`).
 *
 *   incomplete ──activate──► active ──fall_past_due──► past_due ──mark_unpaid──► unpaid
 *       │                   ▲  │  ▲                       │                        │
 *       │                   │  │  └────────activate───────┴────────────────────────┘
 *       │                   │  └──start_trial──► trialing ──fall_past_due──► past_due
 *       │                   └───────activate───────┘  │ ──pause──► paused ──activate──► active
 *       │                                             └──expire──► expired
 *       └──expire_incomplete──► incomplete_expired
 *
 *   cancel ──► canceled from every state but the final ones
 *
 * canceled, incomplete_expired and expired are final. `expired` is Outpost's: a trial without
 * Stripe billing that ran out (tenants.plan_expires_at). Stripe creates subscriptions incomplete,
 * trialing or active.
 *
 * A provider mirror: the connector writes what the provider reports, and a person acts on the
 * provider, never on this column (no user events). The connector can miss intermediate states (it
 * polls, and the provider's webhooks arrive in any order), so a move is allowed when the provider can
 * get from `from` to `to` at all: the table is the transitive closure of the provider's own moves
 * below (common/lifecycles/registry.test.ts checks that), and refuses only what the provider can
 * never do. Each event names the state it reports, so every event has one target.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const SUBSCRIPTION_STATES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'paused',
  'canceled',
  'expired',
] as const;
export const SUBSCRIPTION_EVENTS = [
  'activate',
  'expire_incomplete',
  'start_trial',
  'fall_past_due',
  'mark_unpaid',
  'pause',
  'cancel',
  'expire',
] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];
export type SubscriptionEvent = (typeof SUBSCRIPTION_EVENTS)[number];

/** The provider's own moves (the diagram above); the table is their transitive closure. */
export const SUBSCRIPTION_PROVIDER_MOVES: readonly (readonly [SubscriptionState, SubscriptionState])[] = [
  ['incomplete', 'active'],
  ['incomplete', 'incomplete_expired'],
  ['incomplete', 'canceled'],
  ['trialing', 'active'],
  ['trialing', 'past_due'],
  ['trialing', 'paused'],
  ['trialing', 'canceled'],
  ['trialing', 'expired'],
  ['active', 'past_due'],
  ['active', 'canceled'],
  ['active', 'trialing'],
  ['past_due', 'active'],
  ['past_due', 'unpaid'],
  ['past_due', 'canceled'],
  ['unpaid', 'active'],
  ['unpaid', 'canceled'],
  ['paused', 'active'],
  ['paused', 'canceled'],
];

const R = REFUSED;

export const subscriptionLifecycle: Lifecycle<SubscriptionState, SubscriptionEvent> = {
  name: 'subscription',
  states: SUBSCRIPTION_STATES,
  events: SUBSCRIPTION_EVENTS,
  table: {
    incomplete: {
      activate: 'active',
      expire_incomplete: 'incomplete_expired',
      start_trial: 'trialing',
      fall_past_due: 'past_due',
      mark_unpaid: 'unpaid',
      pause: 'paused',
      cancel: 'canceled',
      expire: 'expired',
    },
    incomplete_expired: {
      activate: R,
      expire_incomplete: R,
      start_trial: R,
      fall_past_due: R,
      mark_unpaid: R,
      pause: R,
      cancel: R,
      expire: R,
    },
    trialing: {
      activate: 'active',
      expire_incomplete: R,
      start_trial: R,
      fall_past_due: 'past_due',
      mark_unpaid: 'unpaid',
      pause: 'paused',
      cancel: 'canceled',
      expire: 'expired',
    },
    active: {
      activate: R,
      expire_incomplete: R,
      start_trial: 'trialing',
      fall_past_due: 'past_due',
      mark_unpaid: 'unpaid',
      pause: 'paused',
      cancel: 'canceled',
      expire: 'expired',
    },
    past_due: {
      activate: 'active',
      expire_incomplete: R,
      start_trial: 'trialing',
      fall_past_due: R,
      mark_unpaid: 'unpaid',
      pause: 'paused',
      cancel: 'canceled',
      expire: 'expired',
    },
    unpaid: {
      activate: 'active',
      expire_incomplete: R,
      start_trial: 'trialing',
      fall_past_due: 'past_due',
      mark_unpaid: R,
      pause: 'paused',
      cancel: 'canceled',
      expire: 'expired',
    },
    paused: {
      activate: 'active',
      expire_incomplete: R,
      start_trial: 'trialing',
      fall_past_due: 'past_due',
      mark_unpaid: 'unpaid',
      pause: R,
      cancel: 'canceled',
      expire: 'expired',
    },
    canceled: {
      activate: R,
      expire_incomplete: R,
      start_trial: R,
      fall_past_due: R,
      mark_unpaid: R,
      pause: R,
      cancel: R,
      expire: R,
    },
    expired: {
      activate: R,
      expire_incomplete: R,
      start_trial: R,
      fall_past_due: R,
      mark_unpaid: R,
      pause: R,
      cancel: R,
      expire: R,
    },
  },
};

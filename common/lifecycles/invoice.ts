/**
 * common/lifecycles/invoice.ts: an Outpost billing invoice as Stripe reports it (001 Invoice;
 * Stripe's invoice statuses).
 *
 *   draft ──finalize──► open ──pay──► paid
 *                        │ ──void──► void
 *                        └─mark_uncollectible──► uncollectible ──pay──► paid
 *                                                      └──void──► void
 *
 * paid and void are final (refunds and credit notes do not change an invoice's status).
 *
 * A provider mirror: the connector writes what the provider reports, and a person acts on the
 * provider, never on this column (no user events). The connector can miss intermediate states (it
 * polls, and the provider's webhooks arrive in any order), so a move is allowed when the provider can
 * get from `from` to `to` at all: the table is the transitive closure of the provider's own moves
 * below (common/lifecycles/registry.test.ts checks that), and refuses only what the provider can
 * never do. Each event names the state it reports, so every event has one target.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const INVOICE_STATES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
export const INVOICE_EVENTS = ['finalize', 'pay', 'void', 'mark_uncollectible'] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];
export type InvoiceEvent = (typeof INVOICE_EVENTS)[number];

/** The provider's own moves (the diagram above); the table is their transitive closure. */
export const INVOICE_PROVIDER_MOVES: readonly (readonly [InvoiceState, InvoiceState])[] = [
  ['draft', 'open'],
  ['open', 'paid'],
  ['open', 'void'],
  ['open', 'uncollectible'],
  ['uncollectible', 'paid'],
  ['uncollectible', 'void'],
];

const R = REFUSED;

export const invoiceLifecycle: Lifecycle<InvoiceState, InvoiceEvent> = {
  name: 'invoice',
  states: INVOICE_STATES,
  events: INVOICE_EVENTS,
  table: {
    draft: { finalize: 'open', pay: 'paid', void: 'void', mark_uncollectible: 'uncollectible' },
    open: { finalize: R, pay: 'paid', void: 'void', mark_uncollectible: 'uncollectible' },
    paid: { finalize: R, pay: R, void: R, mark_uncollectible: R },
    void: { finalize: R, pay: R, void: R, mark_uncollectible: R },
    uncollectible: { finalize: R, pay: 'paid', void: 'void', mark_uncollectible: R },
  },
};

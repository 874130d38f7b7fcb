/**
 * scripts/db/seed/chat-content.ts: the conversation material of the demo chats: opening questions
 * and answers per session kind, follow-ups, and the SuiteQL tool calls finance answers make.
 * Placeholders ({order}, {amount}, {date}, {product}, {currency}, {payout}) are filled per message.
 */
import type { SessionKind, TenantRef } from './model.ts';
import type { Rng } from './random.ts';
import { isoDate } from './vocabulary.ts';

export interface Exchange {
  readonly question: string;
  readonly answer: string;
  readonly tool?: { readonly name: string; readonly query: string };
  readonly cites?: boolean;
}

const OPENERS: Readonly<Record<SessionKind, readonly Exchange[]>> = {
  dashboard: [
    {
      question: 'What were our card sales yesterday, and did the Stripe payout match?',
      answer:
        'Card sales on {date} were {currency} {amount}. Payout {payout} for that day matches the NetSuite deposit to the cent; fees were posted to 6150.',
      tool: {
        name: 'suiteql.read',
        query:
          "SELECT SUM(amount) FROM transactionaccountingline WHERE account = '1020' AND trandate = TO_DATE('{date}', 'YYYY-MM-DD')",
      },
    },
    {
      question: 'Which payouts from last week are still unmatched?',
      answer:
        'Two payouts are unmatched: {payout} ({currency} {amount}, arrived {date}) and one from the day before with a 3-cent rounding difference. I opened a work item for both.',
      tool: {
        name: 'suiteql.read',
        query:
          "SELECT tranid, amount FROM transaction WHERE type = 'Deposit' AND custbody_stripe_payout_id IS NULL",
      },
    },
    {
      question: 'How many refunds did we issue this month and why?',
      answer:
        'This month: {count} refunds totalling {currency} {amount}. Most were damaged on arrival; the refund policy allows those without a return.',
      cites: true,
    },
    {
      question: 'Draft the journal entry for the Stripe fees of {date}.',
      answer:
        'Draft ready: debit 6150 Merchant Processing Fees {currency} {amount}, credit 1020 Stripe Clearing. It is above the posting limit, so I requested an approval.',
      tool: {
        name: 'suiteql.read',
        query: "SELECT SUM(fee) FROM customrecord_payout_line WHERE payout_date = '{date}'",
      },
    },
    {
      question: 'Is the NetSuite connection healthy? The posting job failed overnight.',
      answer:
        'The nightly posting hit CONCURRENCY_LIMIT_EXCEEDED twice and succeeded on the third retry at 02:41. The connection is healthy.',
      cites: true,
    },
    {
      question: 'Show me open disputes and their deadlines.',
      answer:
        'There are {count} open disputes; the earliest needs a response by {date} (order {order}, {currency} {amount}, reason product_not_received).',
    },
  ],
  workspace: [
    {
      question: 'Why does the sales order user event reject order {order}?',
      answer:
        'Its discount is above MAX_DISCOUNT_PCT in ue_salesorder_validation.js. Either lower the discount or propose a changeset raising the ceiling.',
      cites: false,
    },
    {
      question: 'Propose a change so the payout reconciliation posts fees automatically.',
      answer:
        'I drafted a changeset that enables fee posting in mr_payout_reconciliation.js and bumps the manifest version. It needs review before it can be applied.',
    },
    {
      question: 'Run the Jest tests for the sales order validation.',
      answer: 'All tests pass (3 of 3). The SDF validation also passed against the production account.',
    },
  ],
  onboarding: [
    {
      question: 'Which connections do I need to get started?',
      answer:
        'Connect NetSuite (token-based authentication), your store (Shopify) and Stripe. I will discover your NetSuite custom fields once NetSuite is connected.',
    },
    {
      question: 'What does read-only mode in the policy profile do?',
      answer:
        'In read-only mode assistants may only run SuiteQL and read records; any write becomes a changeset or an approval request.',
      cites: true,
    },
  ],
  widget: [
    {
      question: 'Where is my order {order}?',
      answer:
        'Your order {order} shipped on {date}; it usually arrives within 3 to 5 business days. Here is the tracking link in your shipping e-mail.',
    },
    {
      question: 'My {product} arrived damaged. Can I get a refund?',
      answer:
        'I am sorry about that. Damaged items are refunded without a return: please send a photo and I will request the refund of {currency} {amount} for you.',
      cites: true,
    },
    {
      question: 'Can I change the size on order {order}?',
      answer:
        'The order has not shipped yet, so yes. I have asked the team to swap the size; you will get a confirmation e-mail.',
    },
    {
      question: 'Do you ship {product} internationally?',
      answer:
        'We ship to most countries; duties are calculated at checkout. Delivery takes 7 to 12 business days.',
    },
  ],
  meeting: [
    {
      question: 'Summarise this call for the finance channel.',
      answer:
        'Summary: payouts for {date} are reconciled, two approvals are pending with the approver, and month-end close starts Monday. Action items were sent to the attendees.',
    },
  ],
};

const FOLLOW_UPS: readonly Exchange[] = [
  {
    question: 'Can you break that down by day?',
    answer: 'Here is the daily breakdown for the last 7 days; the peak was {date} with {currency} {amount}.',
  },
  { question: 'And compared with last month?', answer: 'Up {pct}% on last month, mainly from {product}.' },
  {
    question: 'Thanks. Please add that to the close checklist.',
    answer: 'Added to the month-end close checklist.',
  },
  {
    question: 'Who needs to approve it?',
    answer: 'The approver; this week the admin decides under the active delegation.',
    cites: true,
  },
  {
    question: 'Which document says that?',
    answer: 'The refund and returns policy and the approvals guide.',
    cites: true,
  },
  { question: 'ok', answer: 'Anything else I can help with?' },
];

export interface Slots {
  readonly order: string;
  readonly amount: string;
  readonly date: string;
  readonly product: string;
  readonly currency: string;
  readonly payout: string;
  readonly count: string;
  readonly pct: string;
}

export function slots(rng: Rng, tenant: TenantRef, at: Date): Slots {
  return {
    order: `#${rng.int(1001, 9999)}`,
    amount: (Math.round(rng.logNormal(900, 1) * 100) / 100).toFixed(2),
    date: isoDate(new Date(at.getTime() - rng.int(1, 6) * 86_400_000)),
    product: rng.pick(tenant.catalogue),
    currency: tenant.currency,
    payout: `po_${rng.token(12)}`,
    count: String(rng.int(2, 40)),
    pct: String(rng.int(2, 35)),
  };
}

export function fill(template: string, s: Slots): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in s ? s[key as keyof Slots] : m));
}

export function opener(rng: Rng, kind: SessionKind): Exchange {
  return rng.pick(OPENERS[kind]);
}

export function followUp(rng: Rng): Exchange {
  return rng.pick(FOLLOW_UPS);
}

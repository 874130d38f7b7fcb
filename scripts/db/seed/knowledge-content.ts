/**
 * scripts/db/seed/knowledge-content.ts: the text of the demo knowledge base: a tenant handbook
 * (fixed topics), generated operational notes (their number grows with the scale), and 000's shared
 * documentation owned by the system tenant. Paragraphs become chunks.
 */
import type { TenantRef } from './model.ts';
import type { Rng } from './random.ts';
import { isoDate } from './vocabulary.ts';

export interface DocumentText {
  readonly title: string;
  readonly tags: readonly string[];
  readonly paragraphs: readonly string[];
}

export function handbook(t: TenantRef): DocumentText[] {
  const c = t.currency;
  return [
    {
      title: 'Refund and returns policy',
      tags: ['policy', 'refunds', 'support'],
      paragraphs: [
        `Customers of ${t.name} may return unused items within 30 days of delivery for a full refund to the original payment method.`,
        `Refunds above ${c} 500 need an approval from the finance approver before they are issued in Shopify or Stripe.`,
        'Damaged-on-arrival items are refunded without a return once the customer sends a photo; log the order number in the ticket.',
        'Refunds are booked to account 4900 Sales Returns and Refunds in the next daily journal entry, never by hand.',
      ],
    },
    {
      title: 'Month-end close runbook',
      tags: ['finance', 'close', 'netsuite'],
      paragraphs: [
        'Day 1: freeze the Shopify and Stripe cursors for the closing period so late imports land in the next period.',
        'Day 2: reconcile every Stripe payout with its bank deposit; differences under five cents go to the rounding account.',
        'Day 3: run the trial balance assertions in the production workspace; all must pass before the period is closed in NetSuite.',
        `Day 4: the approver signs off accruals above ${c} 10,000; the admin closes the period.`,
      ],
    },
    {
      title: 'Stripe payout reconciliation',
      tags: ['finance', 'stripe', 'reconciliation'],
      paragraphs: [
        'A Stripe payout bundles the card charges of one day minus refunds, disputes and processing fees, and arrives two business days later.',
        'Match each payout to a NetSuite deposit by amount and arrival date; the payout id is stored in custbody_stripe_payout_id.',
        'Payout lines show the components: charges, refunds, stripe_fee, dispute and rounding adjustment; they sum to the net amount.',
        'Unmatched payouts older than five days open a work item for the Finance Close assistant.',
      ],
    },
    {
      title: 'Shopify to NetSuite posting rules',
      tags: ['netsuite', 'shopify', 'posting'],
      paragraphs: [
        'Orders are imported every 15 minutes; the dedupe key tenant:source:object:id makes re-imports update the same row.',
        'The daily journal entry credits revenue 4000 and sales tax 2100, debits processing fees 6150 and refunds 4900, and balances against Stripe clearing 1020.',
        'In detail mode one journal entry is posted per batch of orders; in lumpsum mode one per day.',
        'Every posted journal entry has an evidence pack (CSV) attached for the auditors.',
      ],
    },
    {
      title: 'Dispute handling',
      tags: ['stripe', 'disputes', 'support'],
      paragraphs: [
        'Respond to a dispute within seven days: attach the order, proof of delivery and the customer conversation.',
        'Fraudulent disputes on orders with a delivery scan are usually won; product_not_received without tracking is usually lost.',
        'The dispute amount plus the dispute fee is debited from the next payout; chargeback losses go to account 6160.',
      ],
    },
    {
      title: 'Approvals and delegation',
      tags: ['approvals', 'policy'],
      paragraphs: [
        'Assistants request approvals for postings, refunds and write-offs above the policy limits; approvals expire after 24 to 72 hours.',
        'An approver who is away delegates to the admin for a period; decisions taken under a delegation record it in the approval context.',
        'Rejected approvals need a reason that says what must change; decisions are final and a new request starts over.',
      ],
    },
    {
      title: 'Connection troubleshooting',
      tags: ['connections', 'ops'],
      paragraphs: [
        'INVALID_SESSION_ID from NetSuite means the token-based authentication token was rotated or revoked: re-authorise the connection.',
        'CONCURRENCY_LIMIT_EXCEEDED (HTTP 429) is retried with backoff; persistent failures mean another integration uses the same role.',
        'A CRM connection in error stops field mapping sync; webhooks are paused until it is active again.',
      ],
    },
    {
      title: `${t.name} product catalogue`,
      tags: ['catalogue', 'support'],
      paragraphs: [
        `${t.name} sells ${t.catalogue.join(', ')}.`,
        `Prices are in ${c} and include ${t.taxRate > 0 ? `${Math.round(t.taxRate * 1000) / 10}% tax where required` : 'no sales tax'}.`,
        'Out-of-stock items can be back-ordered; the customer is charged when the item ships.',
      ],
    },
  ];
}

const NOTE_KINDS = [
  'Weekly ops notes',
  'Incident report',
  'Finance sync minutes',
  'Customer feedback digest',
] as const;

/** A generated note (its number grows with the scale). */
export function operationalNote(t: TenantRef, rng: Rng, day: Date): DocumentText {
  const kind = rng.pick(NOTE_KINDS);
  const product = rng.pick(t.catalogue);
  const date = isoDate(day);
  const paragraphs: Record<(typeof NOTE_KINDS)[number], string[]> = {
    'Weekly ops notes': [
      `Week of ${date}: ${rng.int(120, 900)} orders imported, ${rng.int(0, 4)} sync jobs failed and were retried automatically.`,
      `${product} sold out twice; back-orders were charged on shipment as the catalogue policy says.`,
      `The NetSuite concurrency limit was hit ${rng.int(0, 6)} times during the nightly posting; no entries were lost.`,
    ],
    'Incident report': [
      `On ${date} the Stripe sync stopped for ${rng.int(20, 180)} minutes after a rate limit; payouts for that day were reconciled late.`,
      'Root cause: a second integration used the same API key. Action: a restricted key per integration.',
      'No customer-facing impact; the payout reconciliation caught up the next morning.',
    ],
    'Finance sync minutes': [
      `Close status on ${date}: ${rng.int(90, 100)}% of payouts matched, ${rng.int(0, 5)} differences under five cents written off.`,
      `Open approvals: ${rng.int(1, 9)} journal entries waiting, oldest ${rng.int(2, 30)} hours.`,
      'Decision: keep lumpsum posting until order volume doubles, then switch to detail mode.',
    ],
    'Customer feedback digest': [
      `Top question this week: shipping times for ${product}.`,
      `Refund requests: ${rng.int(3, 40)}, mostly damaged-on-arrival; two escalated to a human.`,
      'Suggested knowledge base update: add tracking-number help to the returns page.',
    ],
  };
  return {
    title: `${kind} ${date}`,
    tags: ['notes', kind.toLowerCase().split(' ')[0] ?? 'notes'],
    paragraphs: paragraphs[kind],
  };
}

/** 000's shared documentation (system tenant; chunks by source_path, no document row). */
export const SHARED_DOCS: readonly {
  readonly path: string;
  readonly title: string;
  readonly paragraphs: readonly string[];
}[] = [
  {
    path: 'netsuite_docs/suiteql-syntax-reference.md',
    title: 'SuiteQL syntax reference',
    paragraphs: [
      'SuiteQL is SQL-92 with Oracle extensions over NetSuite records: SELECT, joins, GROUP BY, FETCH FIRST n ROWS ONLY.',
      'Dates compare with TO_DATE and ADD_MONTHS; BUILTIN.DF(field) returns the display value of a list field.',
      'The REST endpoint /services/rest/query/v1/suiteql pages with limit and offset, at most 1000 rows per page.',
      'Transaction lines live in transactionline; posting amounts in transactionaccountingline.',
    ],
  },
  {
    path: 'netsuite_docs/journal-entries.md',
    title: 'Journal entries',
    paragraphs: [
      'A journal entry has a subsidiary, a posting period and lines; debits and credits must balance per subsidiary.',
      'Posting into a closed period is refused; reopen the period or post into the current one.',
      'Intercompany journal entries need a due-to and due-from account in both subsidiaries.',
    ],
  },
  {
    path: 'netsuite_docs/token-based-authentication.md',
    title: 'Token-based authentication',
    paragraphs: [
      'TBA signs each request with a consumer key and a token bound to a role; rotating the token invalidates the old signature.',
      'INVALID_SESSION_ID or INVALID_LOGIN_ATTEMPT after a rotation means the integration still uses the old token.',
    ],
  },
  {
    path: 'stripe_docs/payouts-and-balance-transactions.md',
    title: 'Stripe payouts and balance transactions',
    paragraphs: [
      'Every charge, refund, dispute and fee creates a balance transaction; a payout settles the available balance.',
      'Automatic payouts arrive on a rolling schedule (two business days in most countries).',
      'List the balance transactions of a payout to reconcile it line by line.',
    ],
  },
  {
    path: 'outpost_docs/offline-and-sync.md',
    title: 'Working offline with Outpost',
    paragraphs: [
      'Outpost keeps your tenant data in a local database and syncs changes when the network returns.',
      'Writes made offline queue in the outbox and are applied centrally in order; conflicts are shown per record.',
    ],
  },
  {
    path: 'outpost_docs/approvals.md',
    title: 'Approvals in Outpost',
    paragraphs: [
      'Approvals move from pending to approved, rejected, escalated or expired; approved, rejected and expired are final.',
      'Delegations let an approver hand their approvals to another user of the same tenant for a period.',
    ],
  },
];

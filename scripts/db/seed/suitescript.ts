/**
 * scripts/db/seed/suitescript.ts: the SuiteScript / SDF project files of a demo workspace, written
 * as templates over a few parameters, and the edits a changeset makes to them.
 *
 * A file's content is always `render(params)`; an edit changes one parameter, so every changeset
 * is a small, plausible code change and `diff.createPatch(old, new)` is a real unified diff.
 */
import type { Rng } from './random.ts';

export interface FileParams {
  maxDiscountPct: number;
  approvalThreshold: number;
  logLevel: 'debug' | 'audit';
  checkCreditHold: boolean;
  blockedStatuses: string[];
  batchSize: number;
  toleranceCents: number;
  postFees: boolean;
  feeAccount: string;
  pageSize: number;
  showDelegated: boolean;
  staleAfterMinutes: number;
  notifyEmail: string;
  version: string;
}

export interface ProjectFile {
  readonly path: string;
  readonly render: (p: FileParams, project: string) => string;
}

const ueSalesOrder = (p: FileParams): string => `/**
 * @NApiVersion 2.1
 * @NScriptType UserEventScript
 * @NModuleScope SameAccount
 *
 * Validates sales orders before they are saved: discount ceiling, approval threshold${p.checkCreditHold ? ', credit hold' : ''}.
 */
define(['N/log', 'N/runtime', 'N/error'], (log, runtime, error) => {
  const MAX_DISCOUNT_PCT = ${p.maxDiscountPct};
  const APPROVAL_THRESHOLD = ${p.approvalThreshold};
  const BLOCKED_STATUSES = [${p.blockedStatuses.map((s) => `'${s}'`).join(', ')}];

  const beforeSubmit = (context) => {
    if (context.type === context.UserEventType.DELETE) return;
    const order = context.newRecord;
    const total = Number(order.getValue({ fieldId: 'total' })) || 0;
    const discount = Math.abs(Number(order.getValue({ fieldId: 'discounttotal' })) || 0);
    const status = order.getValue({ fieldId: 'orderstatus' });

    if (BLOCKED_STATUSES.includes(status)) {
      throw error.create({ name: 'OUTPOST_BLOCKED_STATUS', message: \`Orders in status \${status} cannot be edited\` });
    }
    if (total > 0 && (discount / (total + discount)) * 100 > MAX_DISCOUNT_PCT) {
      throw error.create({ name: 'OUTPOST_DISCOUNT_LIMIT', message: \`Discount above \${MAX_DISCOUNT_PCT}%\` });
    }
${
  p.checkCreditHold
    ? `    const customerHold = order.getValue({ fieldId: 'custbody_credit_hold' });
    if (customerHold === true) {
      throw error.create({ name: 'OUTPOST_CREDIT_HOLD', message: 'Customer is on credit hold' });
    }
`
    : ''
}    if (total > APPROVAL_THRESHOLD) {
      order.setValue({ fieldId: 'custbody_needs_approval', value: true });
    }
    log.${p.logLevel}({ title: 'so.validated', details: { id: order.id, total, user: runtime.getCurrentUser().id } });
  };

  return { beforeSubmit };
});
`;

const mrPayouts = (p: FileParams): string => `/**
 * @NApiVersion 2.1
 * @NScriptType MapReduceScript
 *
 * Matches Stripe payouts to bank deposits and ${p.postFees ? 'posts the processing fees' : 'reports unmatched payouts'}.
 */
define(['N/query', 'N/record', 'N/log'], (query, record, log) => {
  const BATCH_SIZE = ${p.batchSize};
  const TOLERANCE_CENTS = ${p.toleranceCents};
  const FEE_ACCOUNT = '${p.feeAccount}';

  const getInputData = () =>
    query
      .runSuiteQL({
        query: \`SELECT id, tranid, amount, custbody_stripe_payout_id AS payout
                  FROM transaction
                 WHERE type = 'Deposit' AND custbody_stripe_payout_id IS NOT NULL
                 FETCH FIRST \${BATCH_SIZE} ROWS ONLY\`,
      })
      .asMappedResults();

  const map = (context) => {
    const deposit = JSON.parse(context.value);
    context.write({ key: deposit.payout, value: deposit });
  };

  const reduce = (context) => {
    const deposits = context.values.map((v) => JSON.parse(v));
    const total = deposits.reduce((sum, d) => sum + Math.round(Number(d.amount) * 100), 0);
    const expected = Number(context.key.split(':')[1] || 0);
    if (Math.abs(total - expected) > TOLERANCE_CENTS) {
      log.audit({ title: 'payout.unmatched', details: { payout: context.key, total, expected } });
      return;
    }
${
  p.postFees
    ? `    const je = record.create({ type: record.Type.JOURNAL_ENTRY, isDynamic: true });
    je.setValue({ fieldId: 'memo', value: \`Stripe fees \${context.key}\` });
    je.selectNewLine({ sublistId: 'line' });
    je.setCurrentSublistValue({ sublistId: 'line', fieldId: 'account', value: FEE_ACCOUNT });
    je.commitLine({ sublistId: 'line' });
    je.save();
`
    : ''
}  };

  const summarize = (summary) => {
    log.audit({ title: 'payout.summary', details: { seconds: summary.seconds, usage: summary.usage } });
  };

  return { getInputData, map, reduce, summarize };
});
`;

const slApprovals = (p: FileParams): string => `/**
 * @NApiVersion 2.1
 * @NScriptType Suitelet
 *
 * The approval queue for journal entries above the posting limit.
 */
define(['N/ui/serverWidget', 'N/query'], (serverWidget, query) => {
  const PAGE_SIZE = ${p.pageSize};

  const onRequest = (context) => {
    const form = serverWidget.createForm({ title: 'Pending approvals' });
    const list = form.addSublist({ id: 'custpage_queue', type: serverWidget.SublistType.LIST, label: 'Queue' });
    list.addField({ id: 'tranid', type: serverWidget.FieldType.TEXT, label: 'Entry' });
    list.addField({ id: 'amount', type: serverWidget.FieldType.CURRENCY, label: 'Amount' });
${p.showDelegated ? "    list.addField({ id: 'delegate', type: serverWidget.FieldType.TEXT, label: 'Delegated to' });\n" : ''}    const rows = query
      .runSuiteQL({
        query: \`SELECT tranid, amount${p.showDelegated ? ', custbody_delegate AS delegate' : ''} FROM transaction
                 WHERE custbody_needs_approval = 'T' FETCH FIRST \${PAGE_SIZE} ROWS ONLY\`,
      })
      .asMappedResults();
    rows.forEach((row, line) => {
      list.setSublistValue({ id: 'tranid', line, value: row.tranid });
      list.setSublistValue({ id: 'amount', line, value: String(row.amount) });
    });
    context.response.writePage(form);
  };

  return { onRequest };
});
`;

const ssSyncHealth = (p: FileParams): string => `/**
 * @NApiVersion 2.1
 * @NScriptType ScheduledScript
 *
 * Warns when the Outpost sync has not written a cursor for a while.
 */
define(['N/query', 'N/email', 'N/runtime'], (query, email, runtime) => {
  const STALE_AFTER_MINUTES = ${p.staleAfterMinutes};
  const NOTIFY = '${p.notifyEmail}';

  const execute = () => {
    const [row] = query
      .runSuiteQL({ query: 'SELECT MAX(lastmodifieddate) AS last FROM customrecord_outpost_cursor' })
      .asMappedResults();
    const minutes = (Date.now() - new Date(row.last).getTime()) / 60000;
    if (minutes > STALE_AFTER_MINUTES) {
      email.send({
        author: runtime.getCurrentUser().id,
        recipients: [NOTIFY],
        subject: 'Outpost sync is stale',
        body: \`No cursor update for \${Math.round(minutes)} minutes.\`,
      });
    }
  };

  return { execute };
});
`;

const jestTest = (
  p: FileParams,
): string => `// N/error, N/runtime and N/log as this test needs them; the other N/* modules are
// @oracle/suitecloud-unit-testing's stubs.
jest.mock('N/error', () => ({
  create: ({ name, message }) => Object.assign(new Error(\`\${name}: \${message}\`), { name }),
}));
jest.mock('N/runtime', () => ({ getCurrentUser: () => ({ id: 7 }) }));
jest.mock('N/log', () => ({ debug: () => {}, audit: () => {}, error: () => {} }));

const { beforeSubmit } = require('../src/FileCabinet/SuiteScripts/ue_salesorder_validation.js');
const { recordStub, contextStub } = require('./stubs');

describe('ue_salesorder_validation', () => {
  it('accepts an order within the discount limit', () => {
    const order = recordStub({ total: 900, discounttotal: -${Math.floor(p.maxDiscountPct * 9)} });
    expect(() => beforeSubmit(contextStub(order))).not.toThrow();
  });

  it('refuses a discount above ${p.maxDiscountPct}%', () => {
    const order = recordStub({ total: 500, discounttotal: -500 });
    expect(() => beforeSubmit(contextStub(order))).toThrow('OUTPOST_DISCOUNT_LIMIT');
  });

  it('flags orders above ${p.approvalThreshold} for approval', () => {
    const order = recordStub({ total: ${p.approvalThreshold + 1}, discounttotal: 0 });
    beforeSubmit(contextStub(order));
    expect(order.getValue({ fieldId: 'custbody_needs_approval' })).toBe(true);
  });
${
  p.checkCreditHold
    ? `
  it('refuses customers on credit hold', () => {
    const order = recordStub({ total: 100, discounttotal: 0, custbody_credit_hold: true });
    expect(() => beforeSubmit(contextStub(order))).toThrow('OUTPOST_CREDIT_HOLD');
  });
`
    : ''
}});
`;

/** The Jest test's helpers: a record and a user event context, as much as beforeSubmit reads. */
const jestStubs = (): string => `// A record and a user event context, as much as the tests need of them.
function recordStub(values) {
  const fields = { ...values };
  return {
    id: 1,
    getValue: ({ fieldId }) => fields[fieldId],
    setValue: ({ fieldId, value }) => {
      fields[fieldId] = value;
    },
  };
}

function contextStub(newRecord, type = 'create') {
  return { type, newRecord, UserEventType: { CREATE: 'create', EDIT: 'edit', DELETE: 'delete' } };
}

module.exports = { recordStub, contextStub };
`;

const manifest = (p: FileParams, project: string): string => `<manifest projecttype="ACCOUNTCUSTOMIZATION">
  <projectname>${project}</projectname>
  <frameworkversion>1.0</frameworkversion>
  <dependencies>
    <features>
      <feature required="true">SERVERSIDESCRIPTING</feature>
      <feature required="true">CUSTOMRECORDS</feature>
    </features>
  </dependencies>
  <!-- release ${p.version} -->
</manifest>
`;

export const PROJECT_FILES: readonly ProjectFile[] = [
  { path: 'src/FileCabinet/SuiteScripts/ue_salesorder_validation.js', render: ueSalesOrder },
  { path: 'src/FileCabinet/SuiteScripts/mr_payout_reconciliation.js', render: mrPayouts },
  { path: 'src/FileCabinet/SuiteScripts/sl_approval_queue.js', render: slApprovals },
  { path: 'src/FileCabinet/SuiteScripts/ss_sync_health.js', render: ssSyncHealth },
  { path: '__tests__/ue_salesorder_validation.test.js', render: jestTest },
  { path: '__tests__/stubs.js', render: jestStubs },
  { path: 'src/manifest.xml', render: manifest },
];

/** A file that exists in the project but that a (rejected) changeset proposes to delete. */
export const LEGACY_FILE = {
  path: 'src/FileCabinet/SuiteScripts/legacy/ue_invoice_stamp.js',
  content: `/**
 * @NApiVersion 2.0
 * @NScriptType UserEventScript
 * Legacy: stamps the memo of invoices created by the old connector.
 */
define(['N/record'], function (record) {
  function afterSubmit(context) {
    var invoice = record.load({ type: record.Type.INVOICE, id: context.newRecord.id });
    invoice.setValue({ fieldId: 'memo', value: 'Imported by connector v1' });
    invoice.save();
  }
  return { afterSubmit: afterSubmit };
});
`,
};

/** A helper module a draft changeset proposes to add. */
export const NEW_HELPER_FILE = {
  path: 'src/FileCabinet/SuiteScripts/lib/fx_rounding.js',
  content: `/**
 * @NApiVersion 2.1
 * @NModuleScope SameAccount
 * Rounds amounts to the currency's minor unit (JPY: 0, most: 2, KWD/BHD: 3).
 */
define([], () => {
  const MINOR_UNITS = { JPY: 0, KWD: 3, BHD: 3 };
  const round = (amount, currency) => {
    const digits = MINOR_UNITS[currency] ?? 2;
    const factor = 10 ** digits;
    return Math.round(amount * factor) / factor;
  };
  return { round };
});
`,
};

export function initialParams(rng: Rng, slug: string): FileParams {
  return {
    maxDiscountPct: rng.pick([15, 20, 25]),
    approvalThreshold: rng.pick([5000, 10000]),
    logLevel: 'debug',
    checkCreditHold: false,
    blockedStatuses: ['G', 'H'],
    batchSize: 500,
    toleranceCents: 5,
    postFees: false,
    feeAccount: '6150',
    pageSize: 50,
    showDelegated: false,
    staleAfterMinutes: 60,
    notifyEmail: `ops@${slug}.test`,
    version: '1.0.0',
  };
}

export interface Edit {
  readonly title: string;
  readonly description: string;
  /** Paths of the files the edit touches. */
  readonly files: readonly string[];
  readonly apply: (p: FileParams) => FileParams;
}

function bump(version: string): string {
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major ?? 1}.${minor ?? 0}.${(patch ?? 0) + 1}`;
}

const UE = 'src/FileCabinet/SuiteScripts/ue_salesorder_validation.js';
const MR = 'src/FileCabinet/SuiteScripts/mr_payout_reconciliation.js';
const SL = 'src/FileCabinet/SuiteScripts/sl_approval_queue.js';
const SS = 'src/FileCabinet/SuiteScripts/ss_sync_health.js';
const TEST = '__tests__/ue_salesorder_validation.test.js';
const MANIFEST = 'src/manifest.xml';

/** The edits a changeset can make; each returns params that differ from its input. */
export function pickEdit(rng: Rng, p: FileParams): Edit {
  const edits: Edit[] = [
    p.maxDiscountPct > 10
      ? {
          title: `Lower the discount ceiling to ${p.maxDiscountPct - 5}%`,
          description: 'Finance asked for a tighter discount limit after the holiday promo audit.',
          files: [UE, TEST],
          apply: (x) => ({ ...x, maxDiscountPct: x.maxDiscountPct - 5 }),
        }
      : {
          title: `Raise the discount ceiling to ${p.maxDiscountPct + 5}%`,
          description: 'Wholesale orders need larger volume discounts.',
          files: [UE, TEST],
          apply: (x) => ({ ...x, maxDiscountPct: x.maxDiscountPct + 5 }),
        },
    {
      title: `Raise the approval threshold to ${p.approvalThreshold * 2}`,
      description: 'Too many small orders were waiting for approval.',
      files: [UE, TEST],
      apply: (x) => ({ ...x, approvalThreshold: x.approvalThreshold * 2 }),
    },
    {
      title: p.checkCreditHold
        ? 'Stop checking credit hold in the user event'
        : 'Refuse orders for customers on credit hold',
      description: 'Credit hold is enforced in the order workflow; keep the user event consistent with it.',
      files: [UE, TEST],
      apply: (x) => ({ ...x, checkCreditHold: !x.checkCreditHold }),
    },
    {
      title: `Log order validation at ${p.logLevel === 'debug' ? 'audit' : 'debug'} level`,
      description: 'Production log volume: only audit-level entries are retained for 30 days.',
      files: [UE],
      apply: (x) => ({ ...x, logLevel: x.logLevel === 'debug' ? 'audit' : 'debug' }),
    },
    {
      title: p.blockedStatuses.includes('C')
        ? 'Allow edits to cancelled orders'
        : 'Block edits to cancelled orders',
      description: 'Cancelled orders (status C) were being edited after the fact.',
      files: [UE],
      apply: (x) => ({
        ...x,
        blockedStatuses: x.blockedStatuses.includes('C')
          ? x.blockedStatuses.filter((s) => s !== 'C')
          : [...x.blockedStatuses, 'C'],
      }),
    },
    {
      title: `Reconcile payouts in batches of ${p.batchSize === 500 ? 1000 : 500}`,
      description: 'Match more deposits per run now that governance allows it.',
      files: [MR],
      apply: (x) => ({ ...x, batchSize: x.batchSize === 500 ? 1000 : 500 }),
    },
    {
      title: `Match payouts within ${p.toleranceCents + 5} cents`,
      description: 'FX rounding on AUD payouts left cent differences unmatched.',
      files: [MR],
      apply: (x) => ({ ...x, toleranceCents: x.toleranceCents + 5 }),
    },
    {
      title: p.postFees
        ? 'Stop posting Stripe fees from the reconciliation'
        : 'Post Stripe fees as journal entries',
      description: 'Fees were booked by hand at month end.',
      files: [MR, MANIFEST],
      apply: (x) => ({ ...x, postFees: !x.postFees, version: bump(x.version) }),
    },
    {
      title: `Book fees to account ${p.feeAccount === '6150' ? '6155' : '6150'}`,
      description: 'The chart of accounts split card fees from wallet fees.',
      files: [MR],
      apply: (x) => ({ ...x, feeAccount: x.feeAccount === '6150' ? '6155' : '6150' }),
    },
    {
      title: p.showDelegated
        ? 'Hide the delegate column in the approval queue'
        : 'Show the delegate in the approval queue',
      description: 'Approvers want to see which entries a delegate is handling this week.',
      files: [SL],
      apply: (x) => ({ ...x, showDelegated: !x.showDelegated }),
    },
    {
      title: `Page the approval queue by ${p.pageSize === 50 ? 100 : 50}`,
      description: 'Month-end queues are long.',
      files: [SL],
      apply: (x) => ({ ...x, pageSize: x.pageSize === 50 ? 100 : 50 }),
    },
    {
      title: `Warn about a stale sync after ${p.staleAfterMinutes === 60 ? 30 : 60} minutes`,
      description: 'The sync runs every 15 minutes; two missed runs should alert.',
      files: [SS, MANIFEST],
      apply: (x) => ({
        ...x,
        staleAfterMinutes: x.staleAfterMinutes === 60 ? 30 : 60,
        version: bump(x.version),
      }),
    },
  ];
  return rng.pick(edits);
}

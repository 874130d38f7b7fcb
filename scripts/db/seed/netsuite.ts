/**
 * scripts/db/seed/netsuite.ts: the NetSuite side (000): journal-entry and deposit postings of the
 * daily card sales, versioned metadata discovery snapshots, SuiteScript sync state, and the REST /
 * MCP call log.
 *
 * Postings are netsuite_postings rows, one per journal line (debit positive, credit negative), so
 * every posted journal entry balances to zero. Each day of sales since the NetSuite connection
 * (at most 60 days back) is posted in journal entries of about 25 orders each, the day after.
 * API logs never contain credentials (the writer redacts them; these bodies are synthetic).
 */
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import type { TenantWorld } from './model.ts';
import { isoDate, money, postingPeriod, round2 } from './vocabulary.ts';

const ORDERS_PER_ENTRY = 25;
const POSTING_WINDOW_DAYS = 60;

const SUITEQL = [
  "SELECT id, tranid, trandate, status FROM transaction WHERE type = 'SalesOrd' AND trandate >= ADD_MONTHS(SYSDATE, -1)",
  'SELECT account, SUM(amount) AS balance FROM transactionaccountingline GROUP BY account',
  "SELECT id, entityid, email FROM customer WHERE lastmodifieddate > TO_DATE('2026-11-01', 'YYYY-MM-DD')",
  "SELECT scriptid, name, scripttype FROM script WHERE isinactive = 'F'",
  "SELECT id, periodname, closed FROM accountingperiod WHERE isquarter = 'F' AND isyear = 'F' ORDER BY startdate DESC",
];

export async function seedNetSuite(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const postings = ctx.writer('netsuite_postings', [
    'id',
    'tenant_id',
    'dedupe_key',
    'source',
    'source_id',
    'source_created',
    'synced_at',
    'transaction_type',
    'internal_id',
    'tran_id',
    'tran_date',
    'posting_period',
    'account_id',
    'amount',
    'currency',
    'subsidiary_id',
    'memo',
    'created_at',
    'updated_at',
  ]);
  const metadata = ctx.writer('netsuite_metadata', [
    'id',
    'tenant_id',
    'version',
    'transaction_body_fields',
    'custom_fields',
    'record_types',
    'subsidiaries',
    'departments',
    'locations',
    'classifications',
    'discovered_at',
    'created_at',
  ]);
  const scriptSync = ctx.writer('script_sync_states', [
    'id',
    'tenant_id',
    'status',
    'last_sync_at',
    'total_files',
    'synced_files',
    'failed_files',
    'error_message',
    'created_at',
    'updated_at',
  ]);
  const apiLogs = ctx.writer('netsuite_api_logs', [
    'id',
    'tenant_id',
    'connection_id',
    'api',
    'method',
    'url',
    'status_code',
    'duration_ms',
    'request_body',
    'response_body',
    'error_message',
    'correlation_id',
    'created_at',
  ]);

  for (const world of worlds) {
    const { tenant } = world;
    const netsuite = world.connections.find((c) => c.provider === 'netsuite');
    if (!netsuite) continue;
    const rng = ctx.rng(`netsuite:${tenant.slug}`);
    const subsidiary =
      tenant.type === 'subsidiary'
        ? String(worlds.filter((w) => w.tenant.parentId === tenant.parentId).indexOf(world) + 2)
        : '1';
    const from = Math.max(netsuite.createdAt.getTime() - DAY, ctx.anchorMs - POSTING_WINDOW_DAYS * DAY);
    let internalId = 48_000 + rng.int(0, 9_000);
    let jeNumber = 1_000 + rng.int(0, 500);
    const post = async (
      type: string,
      tranPrefix: string,
      day: Date,
      postedMs: number,
      lines: [string, number, string][],
    ): Promise<void> => {
      internalId += rng.int(1, 40);
      jeNumber++;
      const tranId = `${tranPrefix}${jeNumber}`;
      const posted = new Date(postedMs);
      const synced = new Date(Math.min(postedMs + rng.between(1, 10) * MINUTE, ctx.anchorMs));
      for (const [n, [account, amount, memo]] of lines.entries()) {
        const sourceId = `${internalId}.${n + 1}`;
        await postings.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          dedupe_key: `${tenant.id}:netsuite:${type}_line:${sourceId}`,
          source: 'netsuite',
          source_id: sourceId,
          source_created: posted,
          synced_at: synced,
          transaction_type: type,
          internal_id: String(internalId),
          tran_id: tranId,
          tran_date: isoDate(day),
          posting_period: postingPeriod(day),
          account_id: account,
          amount: money(amount),
          currency: tenant.currency,
          subsidiary_id: subsidiary,
          memo,
          created_at: synced,
          updated_at: synced,
        });
      }
    };
    for (const day of world.dailySales) {
      const dayMs = day.day.getTime();
      if (dayMs < from) continue;
      const postedMs = dayMs + DAY + 2.5 * HOUR + rng.int(0, 600) * 1000;
      if (postedMs > ctx.anchorMs) continue;
      const entries = Math.max(1, Math.round(day.orders / ORDERS_PER_ENTRY));
      for (let e = 0; e < entries; e++) {
        const share = 1 / entries;
        const revenue = round2((day.gross - day.discounts) * share);
        const tax = round2(day.tax * share);
        const fees = round2(day.fees * share);
        const refunds = round2(day.refunds * share);
        const memo = `Sales ${isoDate(day.day)} batch ${e + 1}/${entries}`;
        const lines: [string, number, string][] = [
          ['4000', -revenue, `${memo}: revenue`],
          ['2100', -tax, `${memo}: sales tax`],
          ['6150', fees, `${memo}: processing fees`],
        ];
        if (refunds > 0) lines.push(['4900', refunds, `${memo}: refunds`]);
        const balance = round2(lines.reduce((s, [, a]) => s + a, 0));
        lines.unshift(['1020', round2(-balance), `${memo}: Stripe clearing`]);
        await post('journalentry', 'JE', day.day, postedMs + e * 20_000, lines);
      }
      const arrival = dayMs + 3 * DAY + 9 * HOUR;
      if (day.charges > 0 && arrival < ctx.anchorMs) {
        const net = round2(day.charges - day.refunds - day.disputes - day.fees);
        await post('deposit', 'DEP', new Date(dayMs + 3 * DAY), arrival, [
          ['1010', net, `Stripe payout for ${isoDate(day.day)}`],
          ['1020', -net, `Stripe payout for ${isoDate(day.day)}: clearing`],
        ]);
      }
    }

    const versions = Math.min(4, 1 + Math.floor((ctx.anchorMs - netsuite.createdAt.getTime()) / (45 * DAY)));
    for (let v = 1; v <= versions; v++) {
      const discovered = new Date(netsuite.createdAt.getTime() + (v === 1 ? 2 * HOUR : (v - 1) * 45 * DAY));
      const customFields = Array.from({ length: 6 + v * 2 }, (_, i) => ({
        id: `custbody_${['channel', 'shopify_order_id', 'stripe_payout_id', 'approval_ref', 'region', 'promo_code', 'gift_note', 'warehouse', 'carrier', 'risk_score', 'sales_rep', 'campaign', 'fx_source', 'memo2'][i] ?? `field_${i}`}`,
        label: `Custom field ${i + 1}`,
        type: rng.pick(['TEXT', 'SELECT', 'CURRENCY', 'CHECKBOX', 'DATE']),
      }));
      await metadata.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        version: v,
        transaction_body_fields: [
          { id: 'tranid', type: 'TEXT' },
          { id: 'trandate', type: 'DATE' },
          { id: 'memo', type: 'TEXT' },
          { id: 'subsidiary', type: 'SELECT' },
        ],
        custom_fields: customFields,
        record_types: {
          standard: [
            'salesorder',
            'invoice',
            'cashsale',
            'journalentry',
            'deposit',
            'customerpayment',
            'creditmemo',
          ],
          custom: v > 1 ? ['customrecord_payout_match'] : [],
        },
        subsidiaries:
          tenant.type === 'holding'
            ? worlds
                .filter((w) => w.tenant.parentId === tenant.id)
                .map((w, i) => ({ id: String(i + 2), name: w.tenant.name, currency: w.tenant.currency }))
            : [{ id: subsidiary, name: tenant.name, currency: tenant.currency }],
        departments: [
          { id: '1', name: 'Finance' },
          { id: '2', name: 'Operations' },
          { id: '3', name: 'Sales' },
        ],
        locations: [
          { id: '1', name: 'Main warehouse' },
          ...(tenant.weight > 1 ? [{ id: '2', name: '3PL East' }] : []),
        ],
        classifications: [
          { id: '1', name: 'Online' },
          { id: '2', name: 'Wholesale' },
        ],
        discovered_at: discovered,
        created_at: discovered,
      });
    }

    const scripts = rng.int(8, 40);
    const failed = tenant.slug === 'globex' ? 2 : 0;
    const lastScriptSync = ctx.ago(rng.between(0.5, 20) * HOUR);
    await scriptSync.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      status: failed ? 'error' : 'idle',
      last_sync_at: lastScriptSync,
      total_files: scripts,
      synced_files: scripts - failed,
      failed_files: failed,
      error_message: failed ? 'SuiteScripts/legacy/ue_invoice_stamp.js: SSS_INVALID_SCRIPTLET_ID' : null,
      created_at: new Date(netsuite.createdAt.getTime() + HOUR),
      updated_at: lastScriptSync,
    });

    const jobs = world.jobs.filter((j) => j.connectionId === netsuite.id);
    const logCount = ctx.count(60 * tenant.weight);
    const host = `https://${tenant.netsuiteAccount.toLowerCase()}.suitetalk.api.netsuite.example.com`;
    for (let i = 0; i < logCount; i++) {
      const job = jobs.length ? rng.pick(jobs) : null;
      const at = job
        ? ctx.after(job.createdAt, rng.between(1, 300) * 1000)
        : ctx.ago(rng.between(0, 30) * DAY);
      const kind = rng.weighted([
        ['suiteql', 50],
        ['record', 30],
        ['mcp', 15],
        ['post', 5],
      ] as const);
      const status =
        job?.status === 'failed' && rng.chance(0.5)
          ? rng.pick([400, 429, 401])
          : rng.chance(0.97)
            ? kind === 'post'
              ? 204
              : 200
            : rng.pick([429, 500]);
      const query = rng.pick(SUITEQL);
      const ok = status < 300;
      await apiLogs.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        connection_id: netsuite.id,
        api: kind === 'mcp' ? 'mcp' : 'rest',
        method: kind === 'record' ? 'GET' : 'POST',
        url:
          kind === 'suiteql'
            ? `${host}/services/rest/query/v1/suiteql?limit=1000&offset=0`
            : kind === 'record'
              ? `${host}/services/rest/record/v1/${rng.pick(['salesOrder', 'customer', 'journalEntry', 'deposit'])}/${rng.int(1000, 99999)}`
              : kind === 'mcp'
                ? `${host}/services/mcp/v1/tools/call`
                : `${host}/services/rest/record/v1/journalEntry`,
        status_code: status,
        duration_ms: kind === 'suiteql' ? rng.int(180, 4200) : rng.int(60, 900),
        request_body:
          kind === 'suiteql'
            ? JSON.stringify({ q: query })
            : kind === 'mcp'
              ? JSON.stringify({ tool: 'suiteql.read', arguments: { query } })
              : kind === 'post'
                ? JSON.stringify({ subsidiary: { id: subsidiary }, memo: 'Daily sales', line: { count: 5 } })
                : null,
        response_body: ok
          ? JSON.stringify({
              count: rng.int(0, 1000),
              hasMore: rng.chance(0.2),
              items: [{ id: String(rng.int(1000, 99999)) }],
            }).slice(0, 2000)
          : JSON.stringify({
              'o:errorDetails': [
                {
                  detail: status === 429 ? 'Concurrency limit exceeded' : 'Invalid login attempt.',
                  'o:errorCode': status === 429 ? 'CONCURRENCY_LIMIT_EXCEEDED' : 'INVALID_LOGIN',
                },
              ],
            }),
        error_message: ok
          ? null
          : status === 429
            ? 'CONCURRENCY_LIMIT_EXCEEDED'
            : status === 401
              ? 'INVALID_LOGIN'
              : 'UNEXPECTED_ERROR',
        correlation_id: job?.correlationId ?? `adhoc-${rng.hex(8)}`,
        created_at: at,
      });
    }
  }
  await ctx.finish(postings, metadata, scriptSync, apiLogs);
}

/**
 * The dashboards' named queries (common/queries/dashboard-kpis.ts, dashboard-costs.ts) on a client's
 * local database, over seed-shaped rows (scripts/testing/dashboard-fixtures.ts): sums per bucket and
 * currency, the previous period on the current axis, the funnel by stage, metrics' averages, spend
 * against budgets at 80 % and 100 %, tenant scope and roll-up, permissions, parameters, and liveness.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryReader } from '../../common/queries/query.ts';
import {
  costSql,
  kpiFixtureSql,
  leadSql,
  metricSql,
  poolSql,
  tenantSql,
} from '../../scripts/testing/dashboard-fixtures.ts';
import { eventually } from '../../scripts/testing/eventually.ts';
import { refusal } from '../../scripts/testing/refusal.ts';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { QueryService, type QueryRows } from './query-service.ts';

const A = 'da000000-0000-4000-8000-00000000000a';
const B = 'da000000-0000-4000-8000-00000000000b';
const LAST = '2026-03-31';

const reader = (visible: string[] = [A, B], permissions = ['kpis:read', 'costs:read']): QueryReader => ({
  userId: 'da000000-0000-4000-8000-0000000000ff',
  tenantId: visible[0] ?? A,
  visibleTenantIds: visible,
  permissions: new Set(permissions),
});

describe('dashboard queries', () => {
  let db: PGlite & { live: LiveNamespace };
  let queries: QueryService;
  const run = (name: string, params: Record<string, unknown>, who = reader()) =>
    queries.run(who, { name, params }).then((r) => r.rows);

  beforeAll(async () => {
    db = (await createLocalPGlite()) as PGlite & { live: LiveNamespace };
    await asServerState(db, async (tx) => {
      await tx.exec(tenantSql(A, 'Alpha Pty', 'alpha', 1000) + tenantSql(B, 'Beta GmbH', 'beta', 0));
      await tx.exec(kpiFixtureSql({ tenantId: A, clients: 2, days: 60, lastDay: LAST }));
      await tx.exec(kpiFixtureSql({ tenantId: B, clients: 1, days: 60, lastDay: LAST, currency: 'EUR' }));
      await tx.exec(
        leadSql(A, 'deal-1', '2026-03-01', ['new', 'qualified', 'proposal', 'negotiation', 'won'], 1000) +
          leadSql(A, 'deal-2', '2026-03-05', ['new', 'qualified', 'lost'], 500) +
          leadSql(A, 'deal-3', '2026-03-10', ['new'], 200) +
          leadSql(A, 'deal-old', '2026-01-01', ['new', 'qualified'], 9999) +
          leadSql(B, 'deal-b', '2026-03-10', ['new', 'won'], 300),
      );
      await tx.exec(
        metricSql(A, 'customer_nps', 'score', '2026-03-02', 40) +
          metricSql(A, 'customer_nps', 'score', '2026-03-04', 50) +
          metricSql(A, 'customer_nps', 'score', '2026-03-10', 30) +
          metricSql(A, 'churn_rate', 'percent', '2026-03-03', 2.5),
      );
      await tx.exec(
        poolSql(A, 'openai', 100) +
          poolSql(A, 'anthropic', 50) +
          poolSql(B, 'openai', 0) +
          costSql(A, 'openai', 85, `date_trunc('month', now()) + interval '1 minute'`) +
          costSql(A, 'anthropic', 60, `date_trunc('month', now()) + interval '2 minutes'`) +
          costSql(A, 'openai', 500, `date_trunc('month', now()) - interval '1 day'`) +
          costSql(A, 'openai', 1.5, `'2026-03-10 09:00+00'`) +
          costSql(A, 'openai', 2.5, `'2026-03-11 09:00+00'`) +
          costSql(A, 'anthropic', 4, `'2026-03-11 10:00+00'`),
      );
    });
    queries = new QueryService(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('dashboards.financials', () => {
    it('sums each day per currency, with the clients reporting', async () => {
      const rows = await run('dashboards.financials', { tenantId: A, from: '2026-03-22', to: LAST });
      expect(rows).toHaveLength(10);
      expect(rows[0]).toEqual({
        period: 'current',
        bucket: '2026-03-22',
        currency: 'USD',
        revenue: 203,
        expenses: 80,
        net_profit: 123,
        cash_flow: 100,
        clients: 2,
      });
      expect(rows.at(-1)?.['bucket']).toBe(LAST);
    });

    it('starts weeks on Monday and months on the 1st, the first bucket at the range start', async () => {
      // 2026-03-01 is a Sunday: its week began in February, so its bucket holds that one day.
      const weeks = await run('dashboards.financials', {
        tenantId: A,
        from: '2026-03-01',
        to: LAST,
        bucket: 'week',
      });
      expect(weeks.map((r) => [r['bucket'], r['revenue']])).toEqual([
        ['2026-03-01', 203],
        ['2026-03-02', 7 * 203],
        ['2026-03-09', 7 * 203],
        ['2026-03-16', 7 * 203],
        ['2026-03-23', 7 * 203],
        ['2026-03-30', 2 * 203],
      ]);
      const months = await run('dashboards.financials', {
        tenantId: A,
        from: '2026-02-15',
        to: LAST,
        bucket: 'month',
      });
      expect(months.map((r) => [r['bucket'], r['revenue']])).toEqual([
        ['2026-02-15', 14 * 203],
        ['2026-03-01', 31 * 203],
      ]);
    });

    it('puts the previous period on the current axis, where the data reaches', async () => {
      // 40 days back from 2026-02-20 starts 2026-01-11; the data starts 2026-01-31 (60 days).
      const rows = await run('dashboards.financials', {
        tenantId: A,
        from: '2026-02-20',
        to: LAST,
        bucket: 'month',
        compare: true,
      });
      const previous = rows.filter((r) => r['period'] === 'previous');
      expect(previous.map((r) => [r['bucket'], r['revenue']])).toEqual([
        // 2026-01-31 + 40 days = 2026-03-12: every previous day lands in March on this axis.
        ['2026-03-01', 20 * 203],
      ]);
      const current = rows.filter((r) => r['period'] === 'current');
      expect(current.reduce((s, r) => s + Number(r['revenue']), 0)).toBe(40 * 203);
    });

    it('rolls up every visible tenant per currency, and narrows to a scope', async () => {
      const day = { from: LAST, to: LAST };
      const all = await run('dashboards.financials', { ...day, tenantId: null });
      expect(all.map((r) => [r['currency'], r['revenue'], r['clients']])).toEqual([
        ['EUR', 101, 1],
        ['USD', 203, 2],
      ]);
      const beta = await run('dashboards.financials', { ...day, tenantId: B });
      expect(beta.map((r) => r['currency'])).toEqual(['EUR']);
      const onlyA = await run('dashboards.financials', { ...day, tenantId: null }, reader([A]));
      expect(onlyA.map((r) => r['currency'])).toEqual(['USD']);
      expect(await run('dashboards.financials', { ...day, tenantId: B }, reader([A]))).toEqual([]);
    });

    it('refuses without kpis:read, and a range that ends before it starts', async () => {
      const forbidden = await refusal(
        run('dashboards.financials', { from: LAST, to: LAST }, reader([A], ['costs:read'])),
      );
      expect(forbidden.code).toBe('forbidden');
      const backwards = await refusal(run('dashboards.financials', { from: LAST, to: '2026-03-01' }));
      expect(backwards.code).toBe('validation');
      expect(backwards.message).toContain('the end is before the start');
      const notADay = await refusal(run('dashboards.financials', { from: '2026-02-30', to: LAST }));
      expect(notADay.code).toBe('validation');
    });
  });

  it('dashboards.leadFunnel counts the leads that reached each stage in the range', async () => {
    const rows = await run('dashboards.leadFunnel', { tenantId: A, from: '2026-03-01', to: LAST });
    expect(rows.map((r) => [r['stage'], r['leads'], r['value']])).toEqual([
      ['new', 3, 1700],
      ['qualified', 2, 1500],
      ['proposal', 1, 1000],
      ['negotiation', 1, 1000],
      ['won', 1, 1000],
      ['lost', 1, 500],
    ]);
    const both = await run('dashboards.leadFunnel', { tenantId: null, from: '2026-03-01', to: LAST });
    expect(both.find((r) => r['stage'] === 'won')?.['leads']).toBe(2);
  });

  it('dashboards.customMetrics averages each metric per bucket', async () => {
    const rows = await run('dashboards.customMetrics', {
      tenantId: A,
      from: '2026-03-01',
      to: LAST,
      bucket: 'week',
    });
    expect(rows.map((r) => [r['metric_name'], r['unit'], r['bucket'], r['average'], r['samples']])).toEqual([
      ['churn_rate', 'percent', '2026-03-02', 2.5, 1],
      ['customer_nps', 'score', '2026-03-02', 45, 2],
      ['customer_nps', 'score', '2026-03-09', 30, 1],
    ]);
  });

  it('dashboards.tenantSummary lists every visible tenant by name', async () => {
    const rows = await run('dashboards.tenantSummary', { from: LAST, to: LAST });
    expect(rows).toEqual([
      {
        tenant_id: A,
        tenant_name: 'Alpha Pty',
        currency: 'USD',
        revenue: 203,
        net_profit: 123,
        leads_won: 0,
      },
      { tenant_id: B, tenant_name: 'Beta GmbH', currency: 'EUR', revenue: 101, net_profit: 61, leads_won: 0 },
    ]);
  });

  it('dashboards.costSeries sums spend per day and provider', async () => {
    const rows = await run('dashboards.costSeries', { tenantId: A, from: '2026-03-10', to: '2026-03-11' });
    expect(rows).toEqual([
      { bucket: '2026-03-11', provider: 'anthropic', cost: 4 },
      { bucket: '2026-03-10', provider: 'openai', cost: 1.5 },
      { bucket: '2026-03-11', provider: 'openai', cost: 2.5 },
    ]);
  });

  it('dashboards.budgets sets the alert level at 80 % and 100 % of this period’s budget', async () => {
    const rows = await run('dashboards.budgets', { tenantId: null });
    expect(
      rows.map((r) => [r['tenant_name'], r['kind'], r['provider'], r['budget'], r['spent'], r['level']]),
    ).toEqual([
      ['Alpha Pty', 'tenant', null, 1000, 145, 'ok'],
      ['Alpha Pty', 'pool', 'anthropic', 50, 60, 'over'],
      ['Alpha Pty', 'pool', 'openai', 100, 85, 'warning'],
      ['Beta GmbH', 'tenant', null, 0, 0, 'none'],
      ['Beta GmbH', 'pool', 'openai', 0, 0, 'none'],
    ]);
    const refused = await refusal(run('dashboards.budgets', {}, reader([A], ['kpis:read'])));
    expect(refused.code).toBe('forbidden');
  });

  it('follows synced rows live: a new day of financials changes the series', async () => {
    const events: QueryRows[] = [];
    const failures: unknown[] = [];
    const stop = await queries.live(
      reader(),
      { name: 'dashboards.financials', params: { tenantId: A, from: '2026-04-01', to: '2026-04-01' } },
      (rows) => events.push(rows),
      (error) => failures.push(error),
    );
    expect(events[0]?.rows).toEqual([]);
    await asServerState(db, (tx) =>
      tx.exec(`INSERT INTO financials (tenant_id, client_kpi_id, record_date, revenue, expenses, net_profit, cash_flow)
               SELECT tenant_id, id, '2026-04-01', 10, 4, 6, 5 FROM client_kpis WHERE tenant_id = '${A}'`),
    );
    await eventually(() => Promise.resolve(events.length === 2), 'the series after the new day', 10_000);
    expect(events[1]?.rows).toEqual([
      expect.objectContaining({ bucket: '2026-04-01', revenue: 20, clients: 2 }),
    ]);
    stop();
    expect(failures).toEqual([]);
  });
});

/**
 * bench/dashboards.ts: what opening the dashboards costs the local engine (issue 18: ≤ 300 ms from
 * opening to the first chart painted, over a year of daily KPIs for 50 clients), the query side, in
 * Node on a real PGlite with the app's local schema.
 *
 *   npx tsx bench/dashboards.ts [--clients 50] [--days 365] [--runs 20]
 *
 *   openLocalDatabase(temp directory) ─► as server state: 50 clients × 2 × 365 days of financials
 *   (this year and the previous one, for the comparison), 20 leads a client through the pipeline, a
 *   custom metric a client a day, 30,000 AI cost transactions over the year, two credit pools ─► ANALYZE
 *   ─► `--runs` openings (the first reported apart, cold), each: the queries the view starts at once
 *      (dashboards.financials daily with the comparison, leadFunnel, customMetrics, costSeries,
 *      budgets), as live queries through the real QueryService (the view follows them live), timed
 *      from the start to the last query's first rows; and dashboards.financials alone (the first
 *      chart's data)
 *
 * Prints JSON (rows loaded, load time, cold and p50/p95/max per measure); the temp data directory is
 * removed at the end. The paint itself is measured in the app by the view (dashboard-timing.ts) and
 * reported by e2e/dashboards.spec.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { QueryReader } from '../common/queries/query.ts';
import { addDays } from '../common/queries/dashboard-range.ts';
import { openLocalDatabase, type LocalDatabase } from '../core/database/local-database.ts';
import { QueryService } from '../core/queries/query-service.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';
import { kpiFixtureSql, poolSql, tenantSql } from '../scripts/testing/dashboard-fixtures.ts';
import { arg } from './browser-stack.ts';

const clients = Number(arg('clients', '50'));
const days = Number(arg('days', '365'));
const runs = Number(arg('runs', '20'));
const TENANT = 'da000000-0000-4000-8000-000000000001';
const reader: QueryReader = {
  userId: 'da000000-0000-4000-8000-0000000000ff',
  tenantId: TENANT,
  visibleTenantIds: [TENANT],
  permissions: new Set(['kpis:read', 'costs:read']),
};

function stats(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), max: Math.round(sorted.at(-1) ?? 0) };
}

async function load(db: LocalDatabase, today: string): Promise<Record<string, number>> {
  const started = performance.now();
  await db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL electric.syncing = true`);
    await tx.exec(tenantSql(TENANT, 'Bench Holdings', 'bench', 5000));
    await tx.exec(kpiFixtureSql({ tenantId: TENANT, clients, days: 2 * days, lastDay: today }));
    await tx.exec(`
      INSERT INTO lead_events (tenant_id, client_kpi_id, event_date, lead_id, stage, value, status)
      SELECT k.tenant_id, k.id, now() - (l * 17 % ${days}) * interval '1 day' + s.n * interval '2 days',
             k.client_id || '-' || l, s.stage, 1000 + l, 'active'
        FROM client_kpis k, generate_series(1, 20) l,
             unnest(ARRAY['new', 'qualified', 'proposal', 'negotiation', 'won']) WITH ORDINALITY s (stage, n)
       WHERE k.tenant_id = '${TENANT}' AND s.n <= 1 + l % 5;
      INSERT INTO custom_metrics (tenant_id, client_kpi_id, metric_name, metric_value, unit, record_date)
      SELECT k.tenant_id, k.id, (ARRAY['customer_nps', 'churn_rate', 'project_delivery_days'])[1 + d % 3],
             40 + d % 10, 'score', '${today}'::date - d + time '10:00'
        FROM client_kpis k, generate_series(0, ${days - 1}) d WHERE k.tenant_id = '${TENANT}';
      INSERT INTO cost_transactions (tenant_id, service, provider, cost_amount, created_at)
      SELECT '${TENANT}', 'chat', (ARRAY['openai', 'anthropic', 'openrouter'])[1 + i % 3], 0.01 * (i % 50),
             now() - (i % ${days}) * interval '1 day'
        FROM generate_series(1, 30000) i;`);
    await tx.exec(poolSql(TENANT, 'openai', 400) + poolSql(TENANT, 'anthropic', 300));
    await tx.exec(`SET LOCAL electric.syncing = false`);
  });
  await db.exec('ANALYZE');
  const count = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? 0;
  return {
    financials: await count('financials'),
    leadEvents: await count('lead_events'),
    customMetrics: await count('custom_metrics'),
    costTransactions: await count('cost_transactions'),
    loadMs: Math.round(performance.now() - started),
  };
}

/** The milliseconds from now to the first rows of a live query (emitted before it resolves); stops it. */
async function firstRows(
  service: QueryService,
  name: string,
  params: Record<string, unknown>,
): Promise<number> {
  const started = performance.now();
  let ms = -1;
  const stop = await service.live(
    reader,
    { name, params },
    () => {
      if (ms < 0) ms = performance.now() - started;
    },
    (error) => {
      throw error;
    },
  );
  stop();
  if (ms < 0) throw new Error(`${name}: no rows before the live query resolved`);
  return ms;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-dashboards-'));
  let db: LocalDatabase | null = null;
  try {
    db = (await openLocalDatabase({ dataDir, migrations: await loadMigrationFiles() })).db;
    const today = new Date().toISOString().slice(0, 10);
    const loaded = await load(db, today);
    const service = new QueryService(db);
    const range = { tenantId: null, from: addDays(today, -(days - 1)), to: today };
    const bucketed = { ...range, bucket: 'day' };
    const opening = () => [
      firstRows(service, 'dashboards.financials', { ...bucketed, compare: true }),
      firstRows(service, 'dashboards.leadFunnel', range),
      firstRows(service, 'dashboards.customMetrics', bucketed),
      firstRows(service, 'dashboards.costSeries', bucketed),
      firstRows(service, 'dashboards.budgets', { tenantId: null }),
    ];
    const all: number[] = [];
    const firstChart: number[] = [];
    let coldAll = 0;
    let coldFirst = 0;
    for (let i = 0; i <= runs; i++) {
      const started = performance.now();
      const [financials] = await Promise.all(opening());
      const total = performance.now() - started;
      if (i === 0) {
        coldAll = Math.round(total);
        coldFirst = Math.round(financials ?? 0);
        continue;
      }
      all.push(total);
      firstChart.push(financials ?? 0);
    }
    const alone: number[] = [];
    for (let i = 0; i < runs; i++)
      alone.push(await firstRows(service, 'dashboards.financials', { ...bucketed, compare: true }));
    console.log(
      JSON.stringify({
        clients,
        days,
        runs,
        ...loaded,
        coldOpeningMs: { allQueries: coldAll, financials: coldFirst },
        openingAllQueriesMs: stats(all),
        openingFinancialsMs: stats(firstChart),
        financialsAloneMs: stats(alone),
        targetMs: 300,
      }),
    );
  } finally {
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();

/**
 * scripts/testing/dashboard-fixtures.ts: seed-shaped KPI and cost rows (seeds 003 and 002) for the
 * dashboards' query tests and benchmark, as SQL that the database expands itself (generate_series), so
 * a year of daily rows for 50 clients loads in one statement.
 *
 * The values are arithmetic, so a test can predict every sum: client n (1-based) of a tenant reports
 * each day revenue 100 + n, expenses 40, net profit 60 + n, cash flow 50, in the tenant's currency.
 * Run inside asServerState (scripts/testing/migrated.ts) on a local database.
 */
export interface KpiFixture {
  readonly tenantId: string;
  readonly clients: number;
  /** Days of financials, ending on `lastDay` (YYYY-MM-DD) included. */
  readonly days: number;
  readonly lastDay: string;
  readonly currency?: string;
}

export function tenantSql(id: string, name: string, slug: string, monthlyLimit = 1000): string {
  return `INSERT INTO tenants (id, name, slug, quota_monthly_cost_limit)
          VALUES ('${id}', '${name}', '${slug}', ${monthlyLimit});`;
}

export function kpiFixtureSql(f: KpiFixture): string {
  const currency = f.currency ?? 'USD';
  return `
    INSERT INTO client_kpis (tenant_id, client_id, client_name, industry)
    SELECT '${f.tenantId}', 'C-' || n, 'Client ' || n, 'services' FROM generate_series(1, ${f.clients}) n;
    INSERT INTO financials (tenant_id, client_kpi_id, record_date, revenue, expenses, net_profit, cash_flow,
                            currency, source_system)
    SELECT k.tenant_id, k.id, '${f.lastDay}'::date - d, 100 + substr(k.client_id, 3)::int, 40,
           60 + substr(k.client_id, 3)::int, 50, '${currency}', 'xero'
      FROM client_kpis k, generate_series(0, ${f.days - 1}) d
     WHERE k.tenant_id = '${f.tenantId}';`;
}

/** One lead walked through `stages` (one event per stage, a day apart from `firstDay`). */
export function leadSql(
  tenantId: string,
  leadId: string,
  firstDay: string,
  stages: readonly string[],
  value: number,
): string {
  return stages
    .map(
      (stage, i) => `
    INSERT INTO lead_events (tenant_id, client_kpi_id, event_date, lead_id, stage, value, status)
    SELECT '${tenantId}', id, '${firstDay}'::date + ${i} + time '12:00', '${leadId}', '${stage}', ${value},
           ${stage === 'won' || stage === 'lost' ? `'${stage}'` : `'active'`}
      FROM client_kpis WHERE tenant_id = '${tenantId}' ORDER BY client_id LIMIT 1;`,
    )
    .join('');
}

export function metricSql(tenantId: string, name: string, unit: string, day: string, value: number): string {
  return `
    INSERT INTO custom_metrics (tenant_id, client_kpi_id, metric_name, metric_value, unit, record_date)
    SELECT '${tenantId}', id, '${name}', ${value}, '${unit}', '${day}'::date + time '10:00'
      FROM client_kpis WHERE tenant_id = '${tenantId}' ORDER BY client_id LIMIT 1;`;
}

/** A 002 service cost (no assistant needed) of `amount` USD at `at` (a timestamp expression). */
export function costSql(tenantId: string, provider: string, amount: number, at: string): string {
  return `
    INSERT INTO cost_transactions (tenant_id, service, provider, cost_amount, created_at)
    VALUES ('${tenantId}', 'chat', '${provider}', ${amount}, ${at});`;
}

export function poolSql(tenantId: string, provider: string, monthlyBudget: number, resetDay = 1): string {
  return `
    INSERT INTO provider_credit_pools (tenant_id, provider, monthly_budget, current_balance, reset_day_of_month)
    VALUES ('${tenantId}', '${provider}', ${monthlyBudget}, ${monthlyBudget}, ${resetDay});`;
}

/**
 * common/queries/dashboard-costs.ts: the cost dashboard's reads (seed 002 and 004 costs), summed by
 * the local PGlite.
 *
 *   dashboards.costSeries { tenantId, from, to, bucket }
 *     spend (cost_transactions.cost_amount, USD) per bucket and provider
 *   dashboards.budgets { tenantId }
 *     this period's spend against each budget, per tenant:
 *       kind 'tenant'  the tenant's monthly cost limit (tenants.quota_monthly_cost_limit) against all
 *                      its spend since the 1st of the month
 *       kind 'pool'    a provider credit pool's monthly budget against the provider's spend since the
 *                      pool's last reset (reset_day_of_month, this month or the last)
 *     with `level`: 'over' at ≥ 100 % of the budget, 'warning' at ≥ 80 %, 'ok' below, 'none' without
 *     a positive budget (BUDGET_LEVELS, the same thresholds in SQL)
 *
 * Spend is summed from the synced transactions, so it moves as soon as a transaction arrives (a
 * pool's current_balance is the server's figure and may lag). Periods are in the session's time zone
 * (UTC on the device). Both scope rows to the reader's visible tenants and the tenant scope.
 */
import { z } from 'zod';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { bucketedRangeParams } from './dashboard-range.ts';
import { defineQuery, tenantCondition, tenantScopeParam } from './query.ts';

/** The alert levels, as fractions of a budget. */
export const BUDGET_LEVELS = { warning: 0.8, over: 1 } as const;
export type BudgetLevel = 'ok' | 'warning' | 'over' | 'none';

export interface CostBucketRow {
  readonly bucket: string;
  readonly provider: string;
  readonly cost: number;
}

export const dashboardCostSeries = defineQuery<CostBucketRow>()({
  name: 'dashboards.costSeries',
  permission: 'costs:read',
  params: bucketedRangeParams,
  reads: ['cost_transactions'],
  dateOnly: ['bucket'],
  statement: ({ tenantId, from, to, bucket }, reader) => ({
    text: `
      SELECT greatest(date_trunc($5::text, c.created_at)::date, $3::date) AS bucket, c.provider,
             sum(c.cost_amount)::float8 AS cost
        FROM cost_transactions c
       WHERE ${tenantCondition('c', 1)} AND c.created_at >= $3::date AND c.created_at < $4::date + 1
       GROUP BY 1, c.provider
       ORDER BY c.provider, 1`,
    params: [toPgArrayLiteral(reader.visibleTenantIds), tenantId, from, to, bucket],
  }),
});

export interface BudgetRow {
  readonly tenant_id: string;
  readonly tenant_name: string | null;
  readonly kind: 'tenant' | 'pool';
  /** The pool's provider; null for the tenant's limit. */
  readonly provider: string | null;
  readonly budget: number | null;
  readonly spent: number;
  /** The first instant of the period the spend is counted from (ISO). */
  readonly period_start: string;
  readonly level: BudgetLevel;
}

export const dashboardBudgets = defineQuery<BudgetRow>()({
  name: 'dashboards.budgets',
  permission: 'costs:read',
  params: z.strictObject({ tenantId: tenantScopeParam }),
  reads: ['cost_transactions', 'provider_credit_pools', 'tenants'],
  statement: ({ tenantId }, reader) => ({
    text: `
      WITH budgets AS (
        SELECT t.id AS tenant_id, 'tenant' AS kind, NULL::text AS provider,
               t.quota_monthly_cost_limit AS budget, date_trunc('month', now()) AS period_start
          FROM tenants t
         WHERE t.id = ANY ($1::uuid[]) AND ($2::uuid IS NULL OR t.id = $2::uuid)
        UNION ALL
        SELECT p.tenant_id, 'pool', p.provider, p.monthly_budget,
               CASE WHEN extract(day FROM now()) >= coalesce(p.reset_day_of_month, 1)
                    THEN date_trunc('month', now()) + (coalesce(p.reset_day_of_month, 1) - 1) * interval '1 day'
                    ELSE date_trunc('month', now()) - interval '1 month'
                         + (coalesce(p.reset_day_of_month, 1) - 1) * interval '1 day' END
          FROM provider_credit_pools p
         WHERE ${tenantCondition('p', 1)}),
      spent AS (
        SELECT b.*, (SELECT coalesce(sum(c.cost_amount), 0) FROM cost_transactions c
                      WHERE c.tenant_id = b.tenant_id AND c.created_at >= b.period_start
                        AND (b.provider IS NULL OR c.provider = b.provider))::float8 AS spent
          FROM budgets b)
      SELECT s.tenant_id::text AS tenant_id, tn.name AS tenant_name, s.kind, s.provider,
             s.budget::float8 AS budget, s.spent, s.period_start,
             CASE WHEN coalesce(s.budget, 0) <= 0 THEN 'none'
                  WHEN s.spent >= s.budget * $4 THEN 'over'
                  WHEN s.spent >= s.budget * $3 THEN 'warning'
                  ELSE 'ok' END AS level
        FROM spent s
        LEFT JOIN tenants tn ON tn.id = s.tenant_id
       ORDER BY tn.name NULLS LAST, s.tenant_id, s.kind DESC, s.provider`,
    params: [toPgArrayLiteral(reader.visibleTenantIds), tenantId, BUDGET_LEVELS.warning, BUDGET_LEVELS.over],
  }),
});

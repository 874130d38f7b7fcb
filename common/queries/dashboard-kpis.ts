/**
 * common/queries/dashboard-kpis.ts: the KPI dashboard's reads (seed 003), summed by the local PGlite.
 *
 *   dashboards.financials { tenantId, from, to, bucket, compare }
 *     revenue, expenses, net profit and cash flow per bucket and currency (never summed across
 *     currencies), with the most clients reporting on one day; with `compare`, the previous period's rows
 *     too (`period = 'previous'`), their buckets shifted onto the current range (dashboard-range.ts)
 *   dashboards.leadFunnel { tenantId, from, to }
 *     per pipeline stage in order (new → won, then lost): the distinct leads that reached it in the
 *     range and their value
 *   dashboards.customMetrics { tenantId, from, to, bucket }
 *     per metric and unit and bucket: the average value and the number of samples
 *   dashboards.tenantSummary { from, to }
 *     per visible tenant (a holding user's overview): revenue and net profit per currency, leads won
 *
 * Every query scopes rows to the reader's visible tenants and the holding user's tenant scope
 * (tenantCondition); null scope is the roll-up of every visible tenant. Dates are calendar days of the
 * database session (UTC on the device); amounts are float8 for charts.
 */
import { z } from 'zod';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { bucketedRangeParams, comparedRangeParams, isoDayParam, rangeParams } from './dashboard-range.ts';
import { defineQuery, tenantCondition, type QueryReader } from './query.ts';

const tenants = (reader: QueryReader, tenantId: string | null) => [
  toPgArrayLiteral(reader.visibleTenantIds),
  tenantId,
];

export interface FinancialBucketRow {
  readonly period: 'current' | 'previous';
  /** The bucket's first day (YYYY-MM-DD) on the current range's axis. */
  readonly bucket: string;
  readonly currency: string;
  readonly revenue: number;
  readonly expenses: number;
  readonly net_profit: number;
  readonly cash_flow: number;
  /** The most clients reporting on one day of the bucket (that day's rows: one a client and source). */
  readonly clients: number;
}

export const dashboardFinancials = defineQuery<FinancialBucketRow>()({
  name: 'dashboards.financials',
  permission: 'kpis:read',
  params: comparedRangeParams,
  reads: ['financials'],
  dateOnly: ['bucket'],
  statement: ({ tenantId, from, to, bucket, compare }, reader) => ({
    // Summed per day first (a hash aggregate over the rows), then the few days per bucket: sorting
    // every row by its bucket cost 200 ms over a year of 50 clients in PGlite.
    text: `
      WITH span AS (SELECT $3::date AS first_day, $4::date AS last_day, $4::date - $3::date + 1 AS days),
      days AS (
        SELECT 'current' AS period, f.record_date AS day, f.currency, sum(f.revenue) AS revenue,
               sum(f.expenses) AS expenses, sum(f.net_profit) AS net_profit, sum(f.cash_flow) AS cash_flow,
               count(*) AS clients
          FROM financials f, span s
         WHERE ${tenantCondition('f', 1)} AND f.record_date BETWEEN s.first_day AND s.last_day
         GROUP BY f.record_date, f.currency
        UNION ALL
        SELECT 'previous', f.record_date + s.days, f.currency, sum(f.revenue), sum(f.expenses),
               sum(f.net_profit), sum(f.cash_flow), count(*)
          FROM financials f, span s
         WHERE $6::boolean AND ${tenantCondition('f', 1)}
           AND f.record_date BETWEEN s.first_day - s.days AND s.first_day - 1
         GROUP BY f.record_date, s.days, f.currency)
      SELECT d.period, greatest(date_trunc($5::text, d.day)::date, s.first_day) AS bucket, d.currency,
             sum(d.revenue)::float8 AS revenue, sum(d.expenses)::float8 AS expenses,
             sum(d.net_profit)::float8 AS net_profit, sum(d.cash_flow)::float8 AS cash_flow,
             max(d.clients)::int AS clients
        FROM days d, span s
       GROUP BY d.period, 2, d.currency
       ORDER BY d.currency, d.period, 2`,
    params: [...tenants(reader, tenantId), from, to, bucket, compare],
  }),
});

/** The pipeline stages in order (seed 003); `lost` can follow any open stage. */
export const FUNNEL_STAGES = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;

export interface FunnelStageRow {
  readonly stage: string;
  readonly position: number;
  readonly leads: number;
  readonly value: number;
}

export const dashboardLeadFunnel = defineQuery<FunnelStageRow>()({
  name: 'dashboards.leadFunnel',
  permission: 'kpis:read',
  params: rangeParams,
  reads: ['lead_events'],
  statement: ({ tenantId, from, to }, reader) => ({
    text: `
      WITH reached AS (
        SELECT DISTINCT ON (l.tenant_id, l.lead_id, l.stage) l.tenant_id, l.lead_id, l.stage, l.value
          FROM lead_events l
         WHERE ${tenantCondition('l', 1)} AND l.event_date >= $3::date AND l.event_date < $4::date + 1
         ORDER BY l.tenant_id, l.lead_id, l.stage, l.event_date DESC)
      SELECT s.stage, s.position::int AS position, count(r.lead_id)::int AS leads,
             coalesce(sum(r.value), 0)::float8 AS value
        FROM unnest($5::text[]) WITH ORDINALITY AS s (stage, position)
        LEFT JOIN reached r ON r.stage = s.stage
       GROUP BY s.stage, s.position
       ORDER BY s.position`,
    params: [...tenants(reader, tenantId), from, to, toPgArrayLiteral(FUNNEL_STAGES)],
  }),
});

export interface MetricBucketRow {
  readonly metric_name: string;
  readonly unit: string | null;
  readonly bucket: string;
  readonly average: number;
  readonly samples: number;
}

export const dashboardCustomMetrics = defineQuery<MetricBucketRow>()({
  name: 'dashboards.customMetrics',
  permission: 'kpis:read',
  params: bucketedRangeParams,
  reads: ['custom_metrics'],
  dateOnly: ['bucket'],
  statement: ({ tenantId, from, to, bucket }, reader) => ({
    text: `
      SELECT m.metric_name, m.unit, greatest(date_trunc($5::text, m.record_date)::date, $3::date) AS bucket,
             avg(m.metric_value)::float8 AS average, count(*)::int AS samples
        FROM custom_metrics m
       WHERE ${tenantCondition('m', 1)} AND m.record_date >= $3::date AND m.record_date < $4::date + 1
       GROUP BY m.metric_name, m.unit, 3
       ORDER BY m.metric_name, m.unit, 3`,
    params: [...tenants(reader, tenantId), from, to, bucket],
  }),
});

export interface TenantSummaryRow {
  readonly tenant_id: string;
  readonly tenant_name: string | null;
  /** Null when the tenant has no financials in the range. */
  readonly currency: string | null;
  readonly revenue: number;
  readonly net_profit: number;
  readonly leads_won: number;
}

export const dashboardTenantSummary = defineQuery<TenantSummaryRow>()({
  name: 'dashboards.tenantSummary',
  permission: 'kpis:read',
  params: z.strictObject({ from: isoDayParam, to: isoDayParam }),
  reads: ['financials', 'lead_events', 'tenants'],
  statement: ({ from, to }, reader) => ({
    text: `
      WITH money AS (
        SELECT f.tenant_id, f.currency, sum(f.revenue)::float8 AS revenue, sum(f.net_profit)::float8 AS net_profit
          FROM financials f
         WHERE ${tenantCondition('f', 1)} AND f.record_date BETWEEN $3::date AND $4::date
         GROUP BY f.tenant_id, f.currency),
      won AS (
        SELECT l.tenant_id, count(DISTINCT l.lead_id)::int AS leads_won
          FROM lead_events l
         WHERE ${tenantCondition('l', 1)} AND l.stage = 'won'
           AND l.event_date >= $3::date AND l.event_date < $4::date + 1
         GROUP BY l.tenant_id)
      SELECT v.id::text AS tenant_id, tn.name AS tenant_name, m.currency,
             coalesce(m.revenue, 0) AS revenue, coalesce(m.net_profit, 0) AS net_profit,
             coalesce(w.leads_won, 0) AS leads_won
        FROM unnest($1::uuid[]) AS v (id)
        LEFT JOIN tenants tn ON tn.id = v.id
        LEFT JOIN money m ON m.tenant_id = v.id
        LEFT JOIN won w ON w.tenant_id = v.id
       ORDER BY tn.name NULLS LAST, v.id, m.currency`,
    params: [...tenants(reader, null), from, to],
  }),
});

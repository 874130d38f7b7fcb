/**
 * renderer/dashboards/dashboard-model.ts: what the dashboards view plots, made from the rows of its
 * named queries (common/queries/dashboard-kpis.ts, dashboard-costs.ts). Pure: the day "today" is a
 * parameter.
 *
 *   preset or custom days ─► DashboardRange { from, to, bucket } (local calendar days)
 *   rows ─► series aligned on bucketStarts (a bucket without rows is a gap, never a zero)
 *          ─► per currency: revenue / net profit now and in the previous period, totals and change
 *
 * Amounts of different currencies are never added together: each currency gets its own figures.
 */
import { addDays, daysBetween, MAX_RANGE_DAYS, type Bucket } from '../../common/queries/dashboard-range.ts';
import type { CostBucketRow } from '../../common/queries/dashboard-costs.ts';
import type { FinancialBucketRow, MetricBucketRow } from '../../common/queries/dashboard-kpis.ts';

export const PRESETS = [
  { id: '30d', days: 30, label: '30 days' },
  { id: '90d', days: 90, label: '90 days' },
  { id: '365d', days: 365, label: '365 days' },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

export interface DashboardRange {
  readonly from: string;
  readonly to: string;
  readonly bucket: Bucket;
}

/** The local calendar day of instant `now` (YYYY-MM-DD). */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Days up to 120: daily points; up to two years: weekly; longer: monthly. */
export function defaultBucket(days: number): Bucket {
  return days <= 120 ? 'day' : days <= 731 ? 'week' : 'month';
}

/** The last `days` days up to and including `today`. */
export function presetRange(preset: PresetId, today: string): DashboardRange {
  const days = PRESETS.find((p) => p.id === preset)?.days ?? 30;
  return { from: addDays(today, -(days - 1)), to: today, bucket: defaultBucket(days) };
}

/** A custom range from the two date fields, or the sentence saying what is wrong with them. */
export function customRange(from: string, to: string): DashboardRange | { readonly error: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || Number.isNaN(Date.parse(from)))
    return { error: 'Choose a start date.' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(to) || Number.isNaN(Date.parse(to)))
    return { error: 'Choose an end date.' };
  const days = daysBetween(from, to) + 1;
  if (days < 1) return { error: 'The end date is before the start date.' };
  if (days > MAX_RANGE_DAYS) return { error: `A range can be at most ${MAX_RANGE_DAYS} days long.` };
  return { from, to, bucket: defaultBucket(days) };
}

/** The previous period the comparison shows: as many days, just before `from`. */
export function previousPeriod(range: DashboardRange): { from: string; to: string } {
  const days = daysBetween(range.from, range.to) + 1;
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

/** `values[i]` for the bucket `axis[i]`: the rows' value, or null where there is none. */
export function alignOn<R extends { readonly bucket: string }>(
  axis: readonly string[],
  rows: readonly R[],
  value: (row: R) => number,
): (number | null)[] {
  const at = new Map(axis.map((day, i) => [day, i]));
  const values: (number | null)[] = axis.map(() => null);
  for (const row of rows) {
    const i = at.get(row.bucket);
    if (i !== undefined) values[i] = (values[i] ?? 0) + value(row);
  }
  return values;
}

const sum = (values: readonly (number | null)[]) => values.reduce<number>((s, v) => s + (v ?? 0), 0);

export interface MoneyFigure {
  readonly current: number;
  /** Null when the comparison is off or the previous period has no rows. */
  readonly previous: number | null;
  /** (current − previous) / |previous|; null without a previous figure or when it is 0. */
  readonly change: number | null;
}

export interface CurrencyDashboard {
  readonly currency: string;
  readonly revenue: { readonly current: (number | null)[]; readonly previous: (number | null)[] | null };
  readonly profit: { readonly current: (number | null)[]; readonly previous: (number | null)[] | null };
  readonly totals: Readonly<Record<'revenue' | 'expenses' | 'net_profit' | 'cash_flow', MoneyFigure>>;
  /** The most clients reporting in one bucket. */
  readonly clients: number;
}

function figure(current: number, previous: number | null): MoneyFigure {
  return {
    current,
    previous,
    change: previous === null || previous === 0 ? null : (current - previous) / Math.abs(previous),
  };
}

const MONEY_KEYS = ['revenue', 'expenses', 'net_profit', 'cash_flow'] as const;

/** One dashboard per currency, in the order of the rows (the query sorts by currency). */
export function financialDashboards(
  rows: readonly FinancialBucketRow[],
  axis: readonly string[],
  compare: boolean,
): CurrencyDashboard[] {
  const currencies = [...new Set(rows.map((r) => r.currency))];
  return currencies.map((currency) => {
    const mine = rows.filter((r) => r.currency === currency);
    const now = mine.filter((r) => r.period === 'current');
    const before = mine.filter((r) => r.period === 'previous');
    const hasBefore = compare && before.length > 0;
    const total = (list: readonly FinancialBucketRow[], key: (typeof MONEY_KEYS)[number]) =>
      list.reduce((s, r) => s + r[key], 0);
    const totals = Object.fromEntries(
      MONEY_KEYS.map((key) => [key, figure(total(now, key), hasBefore ? total(before, key) : null)]),
    ) as CurrencyDashboard['totals'];
    return {
      currency,
      revenue: {
        current: alignOn(axis, now, (r) => r.revenue),
        previous: compare ? alignOn(axis, before, (r) => r.revenue) : null,
      },
      profit: {
        current: alignOn(axis, now, (r) => r.net_profit),
        previous: compare ? alignOn(axis, before, (r) => r.net_profit) : null,
      },
      totals,
      clients: now.reduce((m, r) => Math.max(m, r.clients), 0),
    };
  });
}

export interface NamedSeries {
  readonly label: string;
  readonly values: (number | null)[];
  readonly total: number;
}

/** Spend per provider on the axis, the providers by their spend, largest first. */
export function costSeries(rows: readonly CostBucketRow[], axis: readonly string[]): NamedSeries[] {
  const providers = [...new Set(rows.map((r) => r.provider))];
  return providers
    .map((provider) => {
      const values = alignOn(
        axis,
        rows.filter((r) => r.provider === provider),
        (r) => r.cost,
      );
      return { label: providerLabel(provider), values, total: sum(values) };
    })
    .sort((a, b) => b.total - a.total);
}

export interface MetricChart {
  readonly key: string;
  readonly label: string;
  readonly unit: string | null;
  readonly values: (number | null)[];
  readonly samples: number;
}

/** One chart per metric and unit, its average per bucket. */
export function metricCharts(rows: readonly MetricBucketRow[], axis: readonly string[]): MetricChart[] {
  const keys = [...new Set(rows.map((r) => `${r.metric_name}|${r.unit ?? ''}`))];
  return keys.map((key) => {
    const mine = rows.filter((r) => `${r.metric_name}|${r.unit ?? ''}` === key);
    const first = mine[0];
    return {
      key,
      label: metricLabel(first?.metric_name ?? key),
      unit: first?.unit ?? null,
      values: alignOn(axis, mine, (r) => r.average),
      samples: mine.reduce((s, r) => s + r.samples, 0),
    };
  });
}

const WORDS: Readonly<Record<string, string>> = { nps: 'NPS', kpi: 'KPI', aov: 'AOV' };

/** `customer_nps` ─► "Customer NPS", `support_first_response_minutes` ─► "Support first response minutes". */
export function metricLabel(name: string): string {
  const words = name.split(/[_\s]+/).filter(Boolean);
  return words
    .map((w, i) => WORDS[w.toLowerCase()] ?? (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');
}

const PROVIDERS: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  openrouter: 'OpenRouter',
  local: 'Local models',
  voyage: 'Voyage AI',
  cohere: 'Cohere',
};

export function providerLabel(provider: string): string {
  return PROVIDERS[provider] ?? metricLabel(provider);
}

export function stageLabel(stage: string): string {
  return metricLabel(stage);
}

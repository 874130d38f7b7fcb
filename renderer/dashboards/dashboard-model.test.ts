/**
 * What the dashboards plot (renderer/dashboards/dashboard-model.ts): ranges from presets and custom
 * days, series aligned on the bucket axis with gaps, currencies kept apart, totals and changes
 * against the previous period, and labels in people's words.
 */
import { describe, expect, it } from 'vitest';
import type { FinancialBucketRow } from '../../common/queries/dashboard-kpis.ts';
import {
  alignOn,
  costSeries,
  customRange,
  financialDashboards,
  metricLabel,
  presetRange,
  previousPeriod,
  providerLabel,
} from './dashboard-model.ts';

const row = (
  period: 'current' | 'previous',
  bucket: string,
  currency: string,
  revenue: number,
): FinancialBucketRow => ({
  period,
  bucket,
  currency,
  revenue,
  expenses: revenue / 2,
  net_profit: revenue / 2,
  cash_flow: 0,
  clients: 2,
});

describe('dashboard model', () => {
  it('makes ranges from presets and custom days', () => {
    expect(presetRange('30d', '2026-03-31')).toEqual({ from: '2026-03-02', to: '2026-03-31', bucket: 'day' });
    expect(presetRange('365d', '2026-03-31')).toEqual({
      from: '2025-04-01',
      to: '2026-03-31',
      bucket: 'week',
    });
    expect(customRange('2026-03-10', '2026-03-01')).toEqual({
      error: 'The end date is before the start date.',
    });
    expect(customRange('', '2026-03-01')).toEqual({ error: 'Choose a start date.' });
    expect(customRange('2026-03-01', '2026-03-01')).toEqual({
      from: '2026-03-01',
      to: '2026-03-01',
      bucket: 'day',
    });
    expect(previousPeriod({ from: '2026-03-02', to: '2026-03-31', bucket: 'day' })).toEqual({
      from: '2026-01-31',
      to: '2026-03-01',
    });
  });

  it('aligns rows on the axis, a missing bucket a gap', () => {
    const axis = ['2026-03-01', '2026-03-02', '2026-03-03'];
    expect(
      alignOn(
        axis,
        [
          { bucket: '2026-03-03', v: 2 },
          { bucket: '2026-03-01', v: 1 },
        ],
        (r) => r.v,
      ),
    ).toEqual([1, null, 2]);
  });

  it('keeps currencies apart and compares totals with the previous period', () => {
    const axis = ['2026-03-01', '2026-03-02'];
    const rows = [
      row('current', '2026-03-01', 'AUD', 100),
      row('current', '2026-03-02', 'AUD', 150),
      row('previous', '2026-03-01', 'AUD', 200),
      row('current', '2026-03-01', 'USD', 10),
    ];
    const [aud, usd] = financialDashboards(rows, axis, true);
    expect(aud?.currency).toBe('AUD');
    expect(aud?.revenue).toEqual({ current: [100, 150], previous: [200, null] });
    expect(aud?.totals.revenue).toEqual({ current: 250, previous: 200, change: 0.25 });
    expect(usd?.totals.revenue).toEqual({ current: 10, previous: null, change: null });
    const [off] = financialDashboards(rows, axis, false);
    expect(off?.revenue.previous).toBeNull();
    expect(off?.totals.revenue.previous).toBeNull();
  });

  it('orders providers by spend and names things in words', () => {
    const series = costSeries(
      [
        { bucket: '2026-03-01', provider: 'openai', cost: 1 },
        { bucket: '2026-03-01', provider: 'anthropic', cost: 5 },
      ],
      ['2026-03-01'],
    );
    expect(series.map((s) => [s.label, s.total])).toEqual([
      ['Anthropic', 5],
      ['OpenAI', 1],
    ]);
    expect(providerLabel('local')).toBe('Local models');
    expect(metricLabel('customer_nps')).toBe('Customer NPS');
    expect(metricLabel('support_first_response_minutes')).toBe('Support first response minutes');
  });
});

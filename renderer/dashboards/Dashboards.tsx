/**
 * renderer/dashboards/Dashboards.tsx: the dashboards view (`#/dashboards`, `g k`): client KPIs (seed
 * 003) and AI spend against budgets (seed 002) over a range of days, from this device's database.
 *
 *   range (preset or custom days, bucket, comparison: dashboard-store.ts)
 *     ─► live named queries dashboards.financials | leadFunnel | customMetrics | costSeries | budgets
 *        (and tenantSummary for a holding user seeing every tenant), scoped by the tenant switcher
 *     ─► dashboard-model.ts ─► KpiSection, FunnelPanel, CostSection (uPlot charts, TrendChart.tsx)
 *
 * Everything reads local rows: it works offline and redraws when synced rows change. Opening the view
 * marks the Performance timeline (dashboard-timing.ts) so the time to the first chart is measured.
 */
import { useEffect, useMemo } from 'react';
import { bucketStarts } from '../../common/queries/dashboard-range.ts';
import { formatDate } from '../records/format.ts';
import { tenantLabel, useEngine } from '../state/engine-store.ts';
import { useNamedQueryResult } from '../state/use-named-query.ts';
import { CostSection } from './CostSection.tsx';
import {
  customRange,
  localDay,
  presetRange,
  previousPeriod,
  type DashboardRange,
} from './dashboard-model.ts';
import { useDashboard } from './dashboard-store.ts';
import { markDashboardOpened } from './dashboard-timing.ts';
import { FunnelPanel } from './FunnelPanel.tsx';
import { KpiSection } from './KpiSection.tsx';
import { RangeControls } from './RangeControls.tsx';
import { TenantOverview } from './TenantOverview.tsx';
import './dashboards.css';

/** The range on screen, or the sentence about the custom days. */
function useRange(): { range: DashboardRange | null; error: string | null } {
  const state = useDashboard();
  return useMemo(() => {
    const today = localDay(new Date());
    const chosen =
      state.preset === 'custom'
        ? state.customFrom === '' && state.customTo === ''
          ? { error: 'Choose the first and the last day.' }
          : customRange(state.customFrom, state.customTo)
        : presetRange(state.preset, today);
    if ('error' in chosen) return { range: null, error: chosen.error };
    return { range: state.bucket ? { ...chosen, bucket: state.bucket } : chosen, error: null };
  }, [state]);
}

export function Dashboards() {
  useEffect(markDashboardOpened, []);
  const { range, error } = useRange();
  const compare = useDashboard((s) => s.compare);
  const scope = useEngine((s) => s.scope);
  const names = useEngine((s) => s.tenantNames);
  const session = useEngine((s) => s.session);
  const mayCosts = session?.user.permissions.includes('costs:read') ?? false;
  const visible = session?.tenant.visibleTenantIds ?? [];
  const holding = visible.length > 1;
  const rolledUp = holding && scope === null;

  const base = range ? { tenantId: scope, from: range.from, to: range.to } : null;
  const bucketed = base && range ? { ...base, bucket: range.bucket } : null;
  const financials = useNamedQueryResult(
    bucketed ? { name: 'dashboards.financials', params: { ...bucketed, compare } } : null,
  );
  const funnel = useNamedQueryResult(base ? { name: 'dashboards.leadFunnel', params: base } : null);
  const metrics = useNamedQueryResult(
    bucketed ? { name: 'dashboards.customMetrics', params: bucketed } : null,
  );
  const costs = useNamedQueryResult(
    mayCosts && bucketed ? { name: 'dashboards.costSeries', params: bucketed } : null,
  );
  const budgets = useNamedQueryResult(
    mayCosts ? { name: 'dashboards.budgets', params: { tenantId: scope } } : null,
  );
  const tenants = useNamedQueryResult(
    rolledUp && range
      ? { name: 'dashboards.tenantSummary', params: { from: range.from, to: range.to } }
      : null,
  );
  const problem = [financials, funnel, metrics, costs, budgets, tenants].find((q) => q.error)?.error ?? null;
  const axis = useMemo(() => (range ? bucketStarts(range.from, range.to, range.bucket) : []), [range]);

  const who = !session
    ? ''
    : scope
      ? tenantLabel(names, scope)
      : holding
        ? `${session.tenant.name}: all ${visible.length} tenants, rolled up`
        : session.tenant.name;
  const previous = range ? previousPeriod(range) : null;

  return (
    <div className="dashboards" data-testid="dashboards">
      <header className="dashboards-header">
        <h1>Dashboards</h1>
        <span className="muted" data-testid="dashboard-scope">
          {who}
          {range ? ` · ${formatDate(range.from)} – ${formatDate(range.to)}` : ''}
          {range && compare && previous
            ? ` · compared with ${formatDate(previous.from)} – ${formatDate(previous.to)}`
            : ''}
        </span>
      </header>
      <RangeControls range={range} error={error} />
      {problem ? (
        <p className="error-box" role="alert" data-testid="dashboard-problem">
          Some figures could not be read from this device: {problem.message}
        </p>
      ) : null}
      {range ? (
        <>
          <KpiSection
            financials={financials.rows}
            metrics={metrics.rows}
            axis={axis}
            compare={compare}
            from={range.from}
            to={range.to}
          />
          <h2>Lead funnel</h2>
          <FunnelPanel stages={funnel.rows} />
          {mayCosts ? (
            <CostSection costs={costs.rows} budgets={budgets.rows} axis={axis} holding={holding} />
          ) : null}
          {rolledUp ? <TenantOverview rows={tenants.rows} budgets={budgets.rows} /> : null}
        </>
      ) : null}
    </div>
  );
}

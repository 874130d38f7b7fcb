/**
 * renderer/dashboards/KpiSection.tsx: the KPI part of the dashboards (seed 003): per currency, the
 * range's totals with their change against the previous period, and revenue and net profit over time
 * (the previous period dashed on the same axis); then the custom metrics, one small chart each.
 * Live: the rows are named queries followed while on screen.
 */
import type { FinancialBucketRow, MetricBucketRow } from '../../common/queries/dashboard-kpis.ts';
import { formatDate } from '../records/format.ts';
import { changeText, compactMoney, metricValue, plainNumber, wholeMoney } from './dashboard-format.ts';
import {
  financialDashboards,
  metricCharts,
  type CurrencyDashboard,
  type MoneyFigure,
} from './dashboard-model.ts';
import { TrendChart } from './TrendChart.tsx';

const FIGURES = [
  ['revenue', 'Revenue', 1],
  ['expenses', 'Expenses', -1],
  ['net_profit', 'Net profit', 1],
  ['cash_flow', 'Cash flow', 1],
] as const;

function Figure(props: {
  readonly label: string;
  readonly figure: MoneyFigure;
  readonly currency: string;
  readonly better: 1 | -1;
}) {
  const change = changeText(props.figure.change);
  const good = (props.figure.change ?? 0) * props.better >= 0;
  return (
    <div className="dashboard-figure" data-testid="dashboard-figure" data-label={props.label}>
      <span className="muted">{props.label}</span>
      <strong>{wholeMoney(props.figure.current, props.currency)}</strong>
      {change ? (
        <span
          className={good ? 'dashboard-change good' : 'dashboard-change bad'}
          title={`Previous period: ${wholeMoney(props.figure.previous ?? 0, props.currency)}`}
        >
          {change} vs previous
        </span>
      ) : null}
    </div>
  );
}

function CurrencyPanel(props: {
  readonly dash: CurrencyDashboard;
  readonly axis: readonly string[];
  readonly several: boolean;
}) {
  const { dash } = props;
  const money = (v: number) => wholeMoney(v, dash.currency);
  const tick = (v: number) => compactMoney(v, dash.currency);
  const suffix = props.several ? ` (${dash.currency})` : '';
  const lines = (label: string, pair: CurrencyDashboard['revenue'], color: string) => [
    { label, values: pair.current, color },
    ...(pair.previous
      ? [{ label: `${label}, previous period`, values: pair.previous, color: '--muted', dashed: true }]
      : []),
  ];
  return (
    <section className="dashboard-currency" data-testid="dashboard-currency" data-currency={dash.currency}>
      <div className="dashboard-figures">
        {FIGURES.map(([key, label, better]) => (
          <Figure
            key={key}
            label={label + suffix}
            figure={dash.totals[key]}
            currency={dash.currency}
            better={better}
          />
        ))}
        <div className="dashboard-figure">
          <span className="muted">Clients reporting</span>
          <strong>{plainNumber(dash.clients, 0)}</strong>
        </div>
      </div>
      <div className="dashboard-grid">
        <TrendChart
          title={`Revenue${suffix}`}
          testId="chart-revenue"
          axis={props.axis}
          series={lines('Revenue', dash.revenue, '--accent')}
          format={money}
          formatTick={tick}
        />
        <TrendChart
          title={`Net profit${suffix}`}
          testId="chart-profit"
          axis={props.axis}
          series={lines('Net profit', dash.profit, '--ok')}
          format={money}
          formatTick={tick}
        />
      </div>
    </section>
  );
}

export function KpiSection(props: {
  readonly financials: readonly FinancialBucketRow[] | null;
  readonly metrics: readonly MetricBucketRow[] | null;
  readonly axis: readonly string[];
  readonly compare: boolean;
  readonly from: string;
  readonly to: string;
}) {
  const dashboards = props.financials
    ? financialDashboards(props.financials, props.axis, props.compare)
    : null;
  const metrics = props.metrics ? metricCharts(props.metrics, props.axis) : null;
  const days = `${formatDate(props.from) ?? props.from} – ${formatDate(props.to) ?? props.to}`;
  return (
    <>
      <h2>Client financials</h2>
      {dashboards === null ? (
        <p className="muted">Loading…</p>
      ) : dashboards.length === 0 ? (
        <p className="dashboard-empty" data-testid="dashboard-empty-financials">
          No client financials on this device for {days}. They come from the accounting systems’ daily figures
          (client KPIs); choose a longer range, or wait for the next sync.
        </p>
      ) : (
        dashboards.map((dash) => (
          <CurrencyPanel key={dash.currency} dash={dash} axis={props.axis} several={dashboards.length > 1} />
        ))
      )}
      <h2>Custom metrics</h2>
      {metrics === null ? (
        <p className="muted">Loading…</p>
      ) : metrics.length === 0 ? (
        <p className="dashboard-empty" data-testid="dashboard-empty-metrics">
          No custom metrics recorded for {days}.
        </p>
      ) : (
        <div className="dashboard-grid small">
          {metrics.map((m) => (
            <TrendChart
              key={m.key}
              title={`${m.label} (average, ${plainNumber(m.samples, 0)} samples)`}
              testId="chart-metric"
              axis={props.axis}
              height={160}
              series={[{ label: m.label, values: m.values, color: '--accent', sparse: true }]}
              format={(v) => metricValue(v, m.unit)}
            />
          ))}
        </div>
      )}
    </>
  );
}

/**
 * renderer/dashboards/CostSection.tsx: AI spend (seeds 002 and 004): spend per provider over the
 * range (uPlot), and this period's spend against each budget (the tenant's monthly cost limit and
 * each provider credit pool) with a badge at 80 % ("Near limit") and at 100 % ("Over budget").
 * Amounts are USD, as the transactions are.
 */
import type { BudgetRow, CostBucketRow } from '../../common/queries/dashboard-costs.ts';
import { formatDate } from '../records/format.ts';
import { centsMoney, compactMoney, plainNumber } from './dashboard-format.ts';
import { costSeries, providerLabel } from './dashboard-model.ts';
import { TrendChart } from './TrendChart.tsx';

const COLORS = ['--accent', '--ok', '--warn', '--error', '--muted'];
const usd = (v: number) => centsMoney(v, 'USD');

const BADGES: Readonly<Record<BudgetRow['level'], { text: string; title: string } | null>> = {
  ok: null,
  none: null,
  warning: { text: 'Near limit', title: 'At 80 % of the budget or more' },
  over: { text: 'Over budget', title: 'At 100 % of the budget or more' },
};

function BudgetMeter(props: { readonly row: BudgetRow; readonly holding: boolean }) {
  const { row } = props;
  const name =
    row.kind === 'tenant' ? 'Monthly cost limit' : `${providerLabel(row.provider ?? '')} credit pool`;
  const ratio = row.budget && row.budget > 0 ? row.spent / row.budget : null;
  const badge = BADGES[row.level];
  return (
    <li className={`budget ${row.level}`} data-testid="budget" data-level={row.level}>
      <div className="budget-head">
        <span className="budget-name">
          {props.holding && row.tenant_name ? <span className="muted">{row.tenant_name} · </span> : null}
          {name}
        </span>
        {badge ? (
          <span className={`badge ${row.level}`} title={badge.title} data-testid="budget-badge">
            {badge.text}
          </span>
        ) : null}
      </div>
      <meter
        min={0}
        max={1}
        low={0.8}
        high={0.99}
        optimum={0}
        value={Math.min(1, ratio ?? 0)}
        aria-label={`${name}: ${ratio === null ? 'no budget' : `${plainNumber(100 * ratio, 0)} % used`}`}
      />
      <span className="muted">
        {usd(row.spent)} of {row.budget && row.budget > 0 ? usd(row.budget) : 'no budget set'}
        {ratio !== null ? ` · ${plainNumber(100 * ratio, 0)} %` : ''} since{' '}
        {formatDate(row.period_start.slice(0, 10))}
      </span>
    </li>
  );
}

export function CostSection(props: {
  readonly costs: readonly CostBucketRow[] | null;
  readonly budgets: readonly BudgetRow[] | null;
  readonly axis: readonly string[];
  readonly holding: boolean;
}) {
  const series = props.costs ? costSeries(props.costs, props.axis) : null;
  return (
    <>
      <h2>AI spend and budgets</h2>
      <div className="dashboard-grid">
        {series === null ? (
          <p className="muted">Loading…</p>
        ) : series.length === 0 ? (
          <p className="dashboard-empty" data-testid="dashboard-empty-costs">
            No AI spend recorded in this range.
          </p>
        ) : (
          <TrendChart
            title={`Spend by provider (USD, total ${usd(series.reduce((s, p) => s + p.total, 0))})`}
            testId="chart-costs"
            axis={props.axis}
            series={series.map((s, i) => ({
              label: s.label,
              values: s.values,
              color: COLORS[i % COLORS.length] ?? '--accent',
            }))}
            format={usd}
            formatTick={(v) => compactMoney(v, 'USD')}
          />
        )}
        {props.budgets === null ? (
          <p className="muted">Loading…</p>
        ) : props.budgets.length === 0 ? (
          <p className="dashboard-empty" data-testid="dashboard-empty-budgets">
            No monthly cost limit or provider credit pool is set for these tenants.
          </p>
        ) : (
          <ul className="budgets" aria-label="Budgets this period" data-testid="budgets">
            {props.budgets.map((row) => (
              <BudgetMeter
                key={`${row.tenant_id}|${row.kind}|${row.provider ?? ''}`}
                row={row}
                holding={props.holding}
              />
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

/**
 * renderer/dashboards/RangeControls.tsx: the dashboards' range bar: presets (30 / 90 / 365 days, keys
 * 1 2 3), custom days (key r) with the sentence saying what is wrong with them, the bucket, and the
 * comparison with the previous period (key c).
 */
import { BUCKETS, type Bucket } from '../../common/queries/dashboard-range.ts';
import { PRESETS, type DashboardRange } from './dashboard-model.ts';
import { chooseBucket, choosePreset, setCustomDays, toggleCompare, useDashboard } from './dashboard-store.ts';

const BUCKET_LABELS: Readonly<Record<Bucket, string>> = { day: 'Daily', week: 'Weekly', month: 'Monthly' };

export function RangeControls(props: {
  readonly range: DashboardRange | null;
  readonly error: string | null;
}) {
  const state = useDashboard();
  return (
    <div className="dashboard-controls" role="group" aria-label="Date range">
      <div className="dashboard-presets" role="radiogroup" aria-label="Range">
        {PRESETS.map((p, i) => (
          <button
            key={p.id}
            type="button"
            role="radio"
            aria-checked={state.preset === p.id}
            className={state.preset === p.id ? 'chip active' : 'chip'}
            title={`Last ${p.label} (${i + 1})`}
            data-testid={`dashboard-preset-${p.id}`}
            onClick={() => choosePreset(p.id)}
          >
            {p.label}
          </button>
        ))}
        <button
          type="button"
          role="radio"
          aria-checked={state.preset === 'custom'}
          className={state.preset === 'custom' ? 'chip active' : 'chip'}
          title="Choose the days (r)"
          data-testid="dashboard-preset-custom"
          onClick={() => choosePreset('custom')}
        >
          Custom
        </button>
      </div>
      {state.preset === 'custom' ? (
        <span className="dashboard-custom">
          <label>
            From{' '}
            <input
              id="dashboard-from"
              type="date"
              value={state.customFrom}
              aria-invalid={props.error !== null}
              onChange={(e) => setCustomDays({ customFrom: e.target.value })}
            />
          </label>
          <label>
            to{' '}
            <input
              id="dashboard-to"
              type="date"
              value={state.customTo}
              aria-invalid={props.error !== null}
              onChange={(e) => setCustomDays({ customTo: e.target.value })}
            />
          </label>
        </span>
      ) : null}
      <label>
        <span className="sr-only">Points</span>
        <select
          data-testid="dashboard-bucket"
          value={state.bucket ?? ''}
          onChange={(e) => chooseBucket(e.target.value === '' ? null : (e.target.value as Bucket))}
        >
          <option value="">
            {props.range ? `Auto (${BUCKET_LABELS[props.range.bucket].toLowerCase()})` : 'Auto'}
          </option>
          {BUCKETS.map((b) => (
            <option key={b} value={b}>
              {BUCKET_LABELS[b]}
            </option>
          ))}
        </select>
      </label>
      <label className="dashboard-compare" title="Compare with the previous period (c)">
        <input
          type="checkbox"
          data-testid="dashboard-compare"
          checked={state.compare}
          onChange={toggleCompare}
        />{' '}
        Compare with the previous period
      </label>
      {props.error ? (
        <p className="field-error" role="alert" data-testid="dashboard-range-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

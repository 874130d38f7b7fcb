/**
 * renderer/dashboards/FunnelPanel.tsx: the lead funnel (seed 003 lead_events): per pipeline stage in
 * order, the leads that reached it in the range, their value, and the share of the first stage, as a
 * list of bars (a funnel is a ranking, not a time series: plain HTML keeps it readable by a screen
 * reader, and the numbers are text).
 */
import type { FunnelStageRow } from '../../common/queries/dashboard-kpis.ts';
import { plainNumber } from './dashboard-format.ts';
import { stageLabel } from './dashboard-model.ts';

export function FunnelPanel(props: { readonly stages: readonly FunnelStageRow[] | null }) {
  const { stages } = props;
  if (stages === null) return <p className="muted">Loading…</p>;
  const top = Math.max(1, ...stages.map((s) => s.leads));
  const first = stages[0]?.leads ?? 0;
  if (stages.every((s) => s.leads === 0))
    return (
      <p className="dashboard-empty" data-testid="dashboard-empty-funnel">
        No lead moved through the pipeline in this range (the CRM’s lead events).
      </p>
    );
  return (
    <ol className="dashboard-funnel" data-testid="dashboard-funnel" aria-label="Lead funnel">
      {stages.map((s) => (
        <li key={s.stage} data-testid="funnel-stage" data-stage={s.stage}>
          <span className="funnel-label">{stageLabel(s.stage)}</span>
          <span className="funnel-bar" aria-hidden="true">
            <span className={`funnel-fill ${s.stage}`} style={{ width: `${(100 * s.leads) / top}%` }} />
          </span>
          <span className="funnel-count" data-testid="funnel-count">
            {plainNumber(s.leads, 0)} {s.leads === 1 ? 'lead' : 'leads'}
          </span>
          <span className="muted funnel-share">
            {first > 0 && s.stage !== 'new' ? `${plainNumber((100 * s.leads) / first, 0)} % of new` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

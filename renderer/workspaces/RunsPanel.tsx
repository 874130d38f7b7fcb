/**
 * renderer/workspaces/RunsPanel.tsx: the runs of record of the open workspace, live from the local
 * database (`workspaces.runs`): what ran, its state in words, who asked for it (by name), when (local
 * time) and how long it took; a run asked for on this device that has not reached the server says it
 * waits for the network. Choosing a run shows its artifacts (`workspaces.runArtifacts`): stdout and
 * stderr as text, the JSON report indented, each with its size and SHA-256.
 */
import { useState } from 'react';
import type { WorkspaceArtifactRow, WorkspaceRunRow } from '../../common/queries/workspace-runs.ts';
import type { WorkspaceRunType } from '../../common/mutations/workspace-runs.ts';
import { formatDateTime } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { cancelRun, openRun, requestRun, RUN_TYPE_NAMES } from './run-actions.ts';
import { durationText, runStateText } from './run-text.ts';
import { useWorkspaceEditor } from './workspace-store.ts';

function RunButtons() {
  const mayRun = useEngine((s) => s.session?.user.permissions.includes('workspaces:write') ?? false);
  if (!mayRun) return <span className="muted">You may read runs but not start them.</span>;
  return (
    <span className="ws-run-buttons">
      {(Object.keys(RUN_TYPE_NAMES) as WorkspaceRunType[]).map((type) => (
        <button key={type} type="button" className="button" onClick={() => void requestRun(type)}>
          {type === 'jest_test' ? 'Run tests' : RUN_TYPE_NAMES[type]}
        </button>
      ))}
    </span>
  );
}

function RunRow(props: { readonly run: WorkspaceRunRow; readonly waiting: boolean }) {
  const { run } = props;
  const at = formatDateTime(run.created_at);
  const duration = durationText(run.started_at, run.finished_at);
  return (
    <li className="ws-run" data-testid="workspace-run" data-state={run.status}>
      <button type="button" className="ws-run-open" onClick={() => openRun(run.id)} title="Show its output">
        <span className="ws-run-type">
          {RUN_TYPE_NAMES[run.run_type as WorkspaceRunType] ?? run.run_type}
        </span>
        <span className={`chip ws-run-state-${run.status}`}>{runStateText(run.status, props.waiting)}</span>
        <span className="muted">
          {run.starter_name ?? 'Someone you cannot see'}
          {at ? (
            <>
              {' · '}
              <time dateTime={at.iso} title={at.iso}>
                {at.text}
              </time>
            </>
          ) : null}
          {duration ? ` · ${duration}` : ''}
          {run.changeset_title ? ` · changeset “${run.changeset_title}”` : ''}
        </span>
      </button>
      {run.status === 'queued' || run.status === 'running' ? (
        <button type="button" className="link-button" onClick={() => void cancelRun(run.id)}>
          Cancel
        </button>
      ) : null}
    </li>
  );
}

const ARTIFACT_NAMES: Readonly<Record<string, string>> = {
  stdout: 'Output',
  stderr: 'Errors',
  report: 'Report',
};

function artifactText(artifact: WorkspaceArtifactRow): string {
  const content = artifact.content ?? '';
  if (artifact.artifact_type !== 'report') return content;
  try {
    return JSON.stringify(JSON.parse(content), null, 2);
  } catch {
    return content;
  }
}

function RunDetail(props: { readonly run: WorkspaceRunRow | undefined; readonly runId: string }) {
  const scope = useEngine((s) => s.scope);
  const artifacts = useNamedQuery({
    name: 'workspaces.runArtifacts',
    params: { runId: props.runId, tenantId: scope },
  });
  const [chosen, setChosen] = useState('stdout');
  const shown = artifacts?.find((a) => a.artifact_type === chosen) ?? artifacts?.[0];
  const { run } = props;
  const reason = typeof run?.summary?.['reason'] === 'string' ? run.summary['reason'] : null;
  return (
    <div className="ws-run-detail" data-testid="run-detail">
      <p className="ws-run-detail-head">
        <button type="button" className="link-button" onClick={() => openRun(null)}>
          ← All runs
        </button>
        {run ? (
          <>
            <strong>{RUN_TYPE_NAMES[run.run_type as WorkspaceRunType] ?? run.run_type}</strong>
            <span className={`chip ws-run-state-${run.status}`}>{runStateText(run.status, false)}</span>
            {reason ? <span className="muted">{reason}</span> : null}
          </>
        ) : null}
      </p>
      {artifacts === null ? <p className="muted">Reading this device’s data…</p> : null}
      {artifacts?.length === 0 ? (
        <p className="muted">No output yet: the server writes it when the run ends.</p>
      ) : null}
      {artifacts && artifacts.length > 0 ? (
        <>
          <div className="ws-artifact-tabs" role="tablist" aria-label="Artifacts">
            {artifacts.map((a) => (
              <button
                key={a.id}
                type="button"
                role="tab"
                aria-selected={shown?.id === a.id}
                onClick={() => setChosen(a.artifact_type)}
              >
                {ARTIFACT_NAMES[a.artifact_type] ?? a.artifact_type}{' '}
                <span className="muted">({(a.size_bytes ?? 0).toLocaleString('en-US')} bytes)</span>
              </button>
            ))}
          </div>
          {shown ? (
            <>
              <pre className="ws-artifact" role="tabpanel" tabIndex={0} data-testid="run-artifact">
                {artifactText(shown) || '(empty)'}
              </pre>
              <p className="muted ws-artifact-hash">SHA-256 {shown.sha256 ?? 'unknown'}</p>
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

export function RunsPanel(props: { readonly workspaceId: string }) {
  const scope = useEngine((s) => s.scope);
  const writes = useEngine((s) => s.writes);
  const requested = useWorkspaceEditor((s) => s.requestedRuns);
  const openId = useWorkspaceEditor((s) => s.openRun);
  const runs = useNamedQuery({
    name: 'workspaces.runs',
    params: { workspaceId: props.workspaceId, tenantId: scope },
  });
  const unsent = new Set(
    writes.filter((w) => w.name === 'workspace_run.request' && w.status !== 'rejected').map((w) => w.id),
  );
  const waiting = (run: WorkspaceRunRow) => run.status === 'queued' && unsent.has(requested[run.id] ?? '');
  if (openId) return <RunDetail runId={openId} run={runs?.find((r) => r.id === openId)} />;
  return (
    <div className="ws-runs" data-testid="runs-panel">
      <p className="ws-runs-head">
        <RunButtons />
        {unsent.size > 0 ? (
          <span className="muted" data-testid="runs-waiting">
            {unsent.size === 1 ? 'One run request waits' : `${unsent.size} run requests wait`} for the
            network.
          </span>
        ) : null}
      </p>
      {runs === null ? <p className="muted">Reading this device’s data…</p> : null}
      {runs?.length === 0 ? (
        <p className="muted">
          No runs yet. Runs of record happen on the server; their output comes back here.
        </p>
      ) : null}
      <ul className="ws-run-list">
        {(runs ?? []).map((run) => (
          <RunRow key={run.id} run={run} waiting={waiting(run)} />
        ))}
      </ul>
    </div>
  );
}

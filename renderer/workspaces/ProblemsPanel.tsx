/**
 * renderer/workspaces/ProblemsPanel.tsx: the last validation's problems (common/workspaces/validate.ts
 * on the files as the author sees them), by file, with line and column, severity and code; choosing
 * one opens its file at that place (a problem about a file that does not exist, such as a missing
 * deploy.xml, is shown but opens nothing: opening it would start a new file's draft). Says when it was
 * run, in local time.
 */
import type { ValidationProblem } from '../../common/workspaces/problem.ts';
import { formatDateTime } from '../records/format.ts';
import { requestReveal } from './editor-handle.ts';
import { problemsSummary } from './validation.ts';
import { openFile, validate } from './workspace-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';

function open(problem: ValidationProblem): void {
  requestReveal(problem.path, problem.line, problem.column);
  void openFile(problem.path);
}

export function ProblemsPanel(props: { readonly paths: ReadonlySet<string> }) {
  const problems = useWorkspaceEditor((s) => s.problems);
  const validating = useWorkspaceEditor((s) => s.validating);
  const validatedAt = useWorkspaceEditor((s) => s.validatedAt);
  const at = validatedAt === null ? null : formatDateTime(validatedAt);

  if (problems === null)
    return (
      <div className="ws-panel-empty">
        <p className="muted">
          Not validated yet. Validate checks JSON, XML, SuiteScript files and the SDF project as you see them
          now, drafts included, on this device.
        </p>
        <button type="button" className="button" onClick={() => void validate()} disabled={validating}>
          {validating ? 'Validating…' : 'Validate now'}
        </button>
      </div>
    );
  return (
    <div className="ws-problems" data-testid="problems-panel">
      <p className="ws-problems-summary" data-testid="problems-summary">
        <strong>{problemsSummary(problems)}</strong>
        {at ? <span className="muted"> · validated {at.text}</span> : null}
        {validating ? <span className="muted"> · validating…</span> : null}
      </p>
      <ul className="ws-problem-list">
        {problems.map((p, i) => (
          <li key={`${p.path}:${p.line}:${p.column}:${p.code}:${i}`}>
            <button
              type="button"
              className="ws-problem"
              onClick={() => open(p)}
              disabled={!props.paths.has(p.path)}
              title={
                props.paths.has(p.path) ? `Open ${p.path} at line ${p.line}` : `${p.path} does not exist yet`
              }
              data-testid="problem"
            >
              <span className={`ws-severity ${p.severity}`}>
                {p.severity === 'error' ? 'Error' : 'Warning'}
              </span>
              <span className="ws-problem-message">{p.message}</span>
              <span className="ws-problem-where muted">
                {p.path}:{p.line}:{p.column} · {p.code}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

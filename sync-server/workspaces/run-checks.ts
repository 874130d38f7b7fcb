/**
 * sync-server/workspaces/run-checks.ts: what each run type checks, as a lifecycle event and the three
 * artifacts (stdout, stderr, a JSON report). Database-free: the worker (run-worker.ts) gives the files.
 *
 *   sdf_validate       common/workspaces/validate.ts, the same code the editor runs locally: any
 *                      error-severity problem fails the run; warnings alone pass it
 *   jest_test          the workspace's Jest tests in the sandbox (jest-run.ts)
 *   suiteql_assertion  needs a live NetSuite connection, which this server does not have: `crash`
 *                      (the run ends as `error`) with that reason. Never a pass.
 *
 * `pass`, `fail` and `crash` are the workspace_run lifecycle's events (common/lifecycles/workspace-run.ts):
 * `fail` means the checks ran and did not hold, `crash` that they could not run.
 */
import type { WorkspaceRunType } from '../../common/mutations/workspace-runs.ts';
import { validateWorkspace, type WorkspaceFileText } from '../../common/workspaces/validate.ts';
import { runJestTests } from './jest-run.ts';
import type { SandboxLimits } from './sandbox.ts';

export interface CheckOutcome {
  readonly event: 'pass' | 'fail' | 'crash';
  readonly stdout: string;
  readonly stderr: string;
  readonly report: Readonly<Record<string, unknown>>;
}

export function validateOnServer(files: readonly WorkspaceFileText[]): CheckOutcome {
  const started = performance.now();
  const problems = validateWorkspace(files);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const lines = problems.map((p) => `${p.path}:${p.line}:${p.column} ${p.severity} ${p.code} ${p.message}`);
  lines.push(`${files.length} file(s) checked: ${errors} error(s), ${problems.length - errors} warning(s).`);
  return {
    event: errors > 0 ? 'fail' : 'pass',
    stdout: `${lines.join('\n')}\n`,
    stderr: '',
    report: {
      files: files.length,
      errors,
      warnings: problems.length - errors,
      duration_ms: Math.round(performance.now() - started),
      problems,
      suitescript_lint:
        'eslint-plugin-suitescript is not used: its dependency @acdvs/eslint-plugin-amd is not installable here (docs/architecture.md, "Runs of record").',
    },
  };
}

export const NO_NETSUITE =
  'SuiteQL assertions need a live NetSuite connection, and this server has none configured; nothing was asserted.';

export async function runCheck(
  runType: WorkspaceRunType,
  files: readonly WorkspaceFileText[],
  limits?: SandboxLimits,
): Promise<CheckOutcome> {
  switch (runType) {
    case 'sdf_validate':
      return validateOnServer(files);
    case 'jest_test':
      return runJestTests(files, limits);
    case 'suiteql_assertion':
      return { event: 'crash', stdout: '', stderr: `${NO_NETSUITE}\n`, report: { reason: NO_NETSUITE } };
  }
}

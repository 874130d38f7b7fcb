/**
 * renderer/workspaces/run-actions.ts: runs of record from the workspace editor: ask for one
 * (workspace_run.request), cancel one (workspace_run.transition { event: 'cancel' }), open one's
 * artifacts in the runs panel.
 *
 *   Run ─► runOperation (the core runs it on this device at once: the run shows as queued, and waits
 *   in the outbox while offline) ─► the server's runner moves it ─► sync brings the state and artifacts
 *
 * Guarantees: every failure becomes a sentence in the editor's notice; the run asked for is remembered
 * with its mutation id, so the panel can tell a run that has not reached the server yet.
 */
import { runOperation } from '../../common/rpc/domain.ts';
import type { WorkspaceRunType } from '../../common/mutations/workspace-runs.ts';
import { engineClient } from '../state/engine-store.ts';
import { messageOf, say } from './workspace-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';

const store = useWorkspaceEditor;

export const RUN_TYPE_NAMES: Readonly<Record<WorkspaceRunType, string>> = {
  sdf_validate: 'Validate on the server',
  jest_test: 'Jest tests',
  suiteql_assertion: 'SuiteQL assertions',
};

export async function requestRun(runType: WorkspaceRunType): Promise<void> {
  const workspaceId = store.getState().workspaceId;
  if (!workspaceId) return;
  store.setState({ panel: 'runs', openRun: null });
  try {
    const { mutationId, result } = await runOperation(engineClient(), {
      name: 'workspace_run.request',
      key: {},
      values: { workspace_id: workspaceId, run_type: runType },
    });
    if (store.getState().workspaceId === workspaceId)
      store.setState((s) => ({ requestedRuns: { ...s.requestedRuns, [result.run_id]: mutationId } }));
  } catch (error) {
    say(`Could not ask for a run (${RUN_TYPE_NAMES[runType]}): ${messageOf(error)}`, 'error');
  }
}

export async function cancelRun(runId: string): Promise<void> {
  try {
    await runOperation(engineClient(), {
      name: 'workspace_run.transition',
      key: { id: runId },
      values: { event: 'cancel' },
    });
  } catch (error) {
    say(`Could not cancel the run: ${messageOf(error)}`, 'error');
  }
}

export function openRun(runId: string | null): void {
  store.setState({ openRun: runId, panel: 'runs' });
}

/**
 * common/lifecycles/workspace-run.ts: the lifecycle of a validation or test run in a workspace (000
 * workspace_runs: sdf_validate, jest_test, suiteql_assertion).
 *
 *   queued ──start──► running ──pass──► passed
 *     │                 │ ──fail──► failed
 *     │                 │ ──crash─► error
 *     │                 └─cancel──► cancelled
 *     ├──crash──► error        (the runner could not start it)
 *     └──cancel─► cancelled
 *
 * passed, failed, error and cancelled are final: a run is evidence attached to a changeset review,
 * so running again is a new run, never a rewrite of this one. `failed` means the checks ran and did
 * not hold; `error` means they could not run. The runner moves runs; a person may only cancel.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const WORKSPACE_RUN_STATES = ['queued', 'running', 'passed', 'failed', 'error', 'cancelled'] as const;
export const WORKSPACE_RUN_EVENTS = ['start', 'pass', 'fail', 'crash', 'cancel'] as const;
export type WorkspaceRunState = (typeof WORKSPACE_RUN_STATES)[number];
export type WorkspaceRunEvent = (typeof WORKSPACE_RUN_EVENTS)[number];

const R = REFUSED;

export const workspaceRunLifecycle: Lifecycle<WorkspaceRunState, WorkspaceRunEvent> = {
  name: 'workspace_run',
  states: WORKSPACE_RUN_STATES,
  events: WORKSPACE_RUN_EVENTS,
  table: {
    queued: { start: 'running', pass: R, fail: R, crash: 'error', cancel: 'cancelled' },
    running: { start: R, pass: 'passed', fail: 'failed', crash: 'error', cancel: 'cancelled' },
    passed: { start: R, pass: R, fail: R, crash: R, cancel: R },
    failed: { start: R, pass: R, fail: R, crash: R, cancel: R },
    error: { start: R, pass: R, fail: R, crash: R, cancel: R },
    cancelled: { start: R, pass: R, fail: R, crash: R, cancel: R },
  },
};

/**
 * common/lifecycles/workflow-run.ts: the lifecycle of one execution of a workflow (001 WorkflowRun:
 * QUEUED / RUNNING / FAILED etc., completed as in migrations/README.md).
 *
 *   queued ──start──► running ──succeed──► succeeded
 *     │  ▲              │  │
 *     │  └──requeue─────┘  └──fail──► failed ──retry──► queued
 *     │                    │
 *     └──cancel──► cancelled ◄──cancel──┘
 *
 * succeeded and cancelled are final; a failed run is retried in place (its `error` is kept until the
 * next attempt writes its own). The workflow engine starts, succeeds, fails and requeues; a person
 * cancels or retries.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const WORKFLOW_RUN_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const WORKFLOW_RUN_EVENTS = ['start', 'succeed', 'fail', 'requeue', 'retry', 'cancel'] as const;
export type WorkflowRunState = (typeof WORKFLOW_RUN_STATES)[number];
export type WorkflowRunEvent = (typeof WORKFLOW_RUN_EVENTS)[number];

const R = REFUSED;

export const workflowRunLifecycle: Lifecycle<WorkflowRunState, WorkflowRunEvent> = {
  name: 'workflow_run',
  states: WORKFLOW_RUN_STATES,
  events: WORKFLOW_RUN_EVENTS,
  table: {
    queued: { start: 'running', succeed: R, fail: R, requeue: R, retry: R, cancel: 'cancelled' },
    running: {
      start: R,
      succeed: 'succeeded',
      fail: 'failed',
      requeue: 'queued',
      retry: R,
      cancel: 'cancelled',
    },
    failed: { start: R, succeed: R, fail: R, requeue: R, retry: 'queued', cancel: R },
    succeeded: { start: R, succeed: R, fail: R, requeue: R, retry: R, cancel: R },
    cancelled: { start: R, succeed: R, fail: R, requeue: R, retry: R, cancel: R },
  },
};

/**
 * common/lifecycles/workflow.ts: the lifecycle of a workflow definition (001 Workflow: ACTIVE or
 * ARCHIVED).
 *
 *   active ──archive──► archived ──restore──► active
 *
 * Nothing is final: an archived workflow no longer runs and can be restored. Both events are a
 * person's.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const WORKFLOW_STATES = ['active', 'archived'] as const;
export const WORKFLOW_EVENTS = ['archive', 'restore'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];
export type WorkflowEvent = (typeof WORKFLOW_EVENTS)[number];

const R = REFUSED;

export const workflowLifecycle: Lifecycle<WorkflowState, WorkflowEvent> = {
  name: 'workflow',
  states: WORKFLOW_STATES,
  events: WORKFLOW_EVENTS,
  table: {
    active: { archive: 'archived', restore: R },
    archived: { archive: R, restore: 'active' },
  },
};

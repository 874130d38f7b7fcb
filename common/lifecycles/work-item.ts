/**
 * common/lifecycles/work-item.ts: the lifecycle of an assistant's work item (004 work_items).
 *
 *   backlog ──start──► in_progress ──complete──► completed
 *     ▲  ▲                │  │  │  ▲
 *     │  └────requeue─────┘  │  │  └──approve──┐
 *     │                      │  └──request_approval──► awaiting_approval
 *     │                      └──fail──► failed
 *     └─────────────retry──────────────────┘
 *
 *   backlog, in_progress, awaiting_approval, failed ──cancel──► cancelled
 *
 * completed and cancelled are final (reopening finished work is a new item); a failed item is
 * retried through the backlog. An approval that is rejected or expires cancels the item it gates.
 * Timestamps follow 0050's work_items_timestamps (started_at on in_progress, completed_at on the end
 * states, cleared on retry). The assistant runtime starts, completes, fails and requeues, and the
 * approval flow requests approval and approves; a person retries or cancels.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const WORK_ITEM_STATES = [
  'backlog',
  'in_progress',
  'awaiting_approval',
  'completed',
  'failed',
  'cancelled',
] as const;
export const WORK_ITEM_EVENTS = [
  'start',
  'request_approval',
  'approve',
  'complete',
  'fail',
  'requeue',
  'retry',
  'cancel',
] as const;
export type WorkItemState = (typeof WORK_ITEM_STATES)[number];
export type WorkItemEvent = (typeof WORK_ITEM_EVENTS)[number];

const R = REFUSED;

export const workItemLifecycle: Lifecycle<WorkItemState, WorkItemEvent> = {
  name: 'work_item',
  states: WORK_ITEM_STATES,
  events: WORK_ITEM_EVENTS,
  table: {
    backlog: {
      start: 'in_progress',
      request_approval: R,
      approve: R,
      complete: R,
      fail: R,
      requeue: R,
      retry: R,
      cancel: 'cancelled',
    },
    in_progress: {
      start: R,
      request_approval: 'awaiting_approval',
      approve: R,
      complete: 'completed',
      fail: 'failed',
      requeue: 'backlog',
      retry: R,
      cancel: 'cancelled',
    },
    awaiting_approval: {
      start: R,
      request_approval: R,
      approve: 'in_progress',
      complete: R,
      fail: R,
      requeue: R,
      retry: R,
      cancel: 'cancelled',
    },
    failed: {
      start: R,
      request_approval: R,
      approve: R,
      complete: R,
      fail: R,
      requeue: R,
      retry: 'backlog',
      cancel: 'cancelled',
    },
    completed: {
      start: R,
      request_approval: R,
      approve: R,
      complete: R,
      fail: R,
      requeue: R,
      retry: R,
      cancel: R,
    },
    cancelled: {
      start: R,
      request_approval: R,
      approve: R,
      complete: R,
      fail: R,
      requeue: R,
      retry: R,
      cancel: R,
    },
  },
};

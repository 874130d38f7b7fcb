/**
 * common/lifecycles/data-request.ts: the lifecycle of a GDPR data request (002 dataRequests: an
 * export or a deletion).
 *
 *   pending ──start──► processing ──complete──► completed
 *     │  ▲                 │
 *     │  └────retry──── failed ◄──fail──┘
 *     └──cancel──► cancelled ◄──cancel── failed
 *
 * completed and cancelled are final (a new request is a new row). A failed request is retried from
 * the start, or cancelled. The worker starts, completes and fails requests; a person cancels or
 * retries them.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const DATA_REQUEST_STATES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export const DATA_REQUEST_EVENTS = ['start', 'complete', 'fail', 'retry', 'cancel'] as const;
export type DataRequestState = (typeof DATA_REQUEST_STATES)[number];
export type DataRequestEvent = (typeof DATA_REQUEST_EVENTS)[number];

const R = REFUSED;

export const dataRequestLifecycle: Lifecycle<DataRequestState, DataRequestEvent> = {
  name: 'data_request',
  states: DATA_REQUEST_STATES,
  events: DATA_REQUEST_EVENTS,
  table: {
    pending: { start: 'processing', complete: R, fail: R, retry: R, cancel: 'cancelled' },
    processing: { start: R, complete: 'completed', fail: 'failed', retry: R, cancel: R },
    failed: { start: R, complete: R, fail: R, retry: 'pending', cancel: 'cancelled' },
    completed: { start: R, complete: R, fail: R, retry: R, cancel: R },
    cancelled: { start: R, complete: R, fail: R, retry: R, cancel: R },
  },
};

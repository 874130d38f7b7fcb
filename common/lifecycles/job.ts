/**
 * common/lifecycles/job.ts: the lifecycle of a background job (000 jobs: syncs, postings, exports).
 *
 *   pending ──start──► running ──complete──► completed
 *     │  ▲               │  │
 *     │  └───requeue─────┘  └──fail──► failed ──retry──► pending
 *     │                     │
 *     └──cancel──► cancelled ◄──cancel──┘
 *
 * completed and cancelled are final; a failed job is retried from pending. `requeue` is the
 * worker's (or the lease sweep's) way to give back a job it could not finish, e.g. on shutdown.
 * `cancelled` is Outpost's addition to 000's four states. Workers start, complete, fail and
 * requeue; a person retries or cancels.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const JOB_STATES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export const JOB_EVENTS = ['start', 'complete', 'fail', 'requeue', 'retry', 'cancel'] as const;
export type JobState = (typeof JOB_STATES)[number];
export type JobEvent = (typeof JOB_EVENTS)[number];

const R = REFUSED;

export const jobLifecycle: Lifecycle<JobState, JobEvent> = {
  name: 'job',
  states: JOB_STATES,
  events: JOB_EVENTS,
  table: {
    pending: { start: 'running', complete: R, fail: R, requeue: R, retry: R, cancel: 'cancelled' },
    running: {
      start: R,
      complete: 'completed',
      fail: 'failed',
      requeue: 'pending',
      retry: R,
      cancel: 'cancelled',
    },
    failed: { start: R, complete: R, fail: R, requeue: R, retry: 'pending', cancel: R },
    completed: { start: R, complete: R, fail: R, requeue: R, retry: R, cancel: R },
    cancelled: { start: R, complete: R, fail: R, requeue: R, retry: R, cancel: R },
  },
};

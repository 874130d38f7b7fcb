/**
 * common/lifecycles/cursor-state.ts: the lifecycle of an incremental-sync cursor (000 cursor_states,
 * 002 crmSyncState): one (connection, object type) pair a connector pages through.
 *
 *   idle ──start──► syncing ──finish──► idle
 *                     │
 *                     └──fail──► error ──retry──► syncing
 *                                  │
 *                                  └──reset──► idle
 *
 * Nothing is final. The column has no default: a connector creates its cursor `idle`. The connector
 * starts, finishes, fails and retries; a person resets an error (the next scheduled run starts again
 * from the stored cursor).
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const CURSOR_STATE_STATES = ['idle', 'syncing', 'error'] as const;
export const CURSOR_STATE_EVENTS = ['start', 'finish', 'fail', 'retry', 'reset'] as const;
export type CursorStateState = (typeof CURSOR_STATE_STATES)[number];
export type CursorStateEvent = (typeof CURSOR_STATE_EVENTS)[number];

const R = REFUSED;

export const cursorStateLifecycle: Lifecycle<CursorStateState, CursorStateEvent> = {
  name: 'cursor_state',
  states: CURSOR_STATE_STATES,
  events: CURSOR_STATE_EVENTS,
  table: {
    idle: { start: 'syncing', finish: R, fail: R, retry: R, reset: R },
    syncing: { start: R, finish: 'idle', fail: 'error', retry: R, reset: R },
    error: { start: R, finish: R, fail: R, retry: 'syncing', reset: 'idle' },
  },
};

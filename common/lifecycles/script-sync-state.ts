/**
 * common/lifecycles/script-sync-state.ts: the lifecycle of a tenant's SuiteScript file sync (000
 * script_sync_states: one row per tenant, with file counts).
 *
 *   idle ──start──► syncing ──finish──► idle
 *                     │
 *                     └──fail──► error ──retry──► syncing
 *                                  │
 *                                  └──reset──► idle
 *
 * Nothing is final. The sync worker starts, finishes, fails and retries; a person resets an error
 * once the failing file is fixed. Kept apart from cursor_state although the shape is the same: the
 * two are moved by different workers and may diverge.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const SCRIPT_SYNC_STATE_STATES = ['idle', 'syncing', 'error'] as const;
export const SCRIPT_SYNC_STATE_EVENTS = ['start', 'finish', 'fail', 'retry', 'reset'] as const;
export type ScriptSyncStateState = (typeof SCRIPT_SYNC_STATE_STATES)[number];
export type ScriptSyncStateEvent = (typeof SCRIPT_SYNC_STATE_EVENTS)[number];

const R = REFUSED;

export const scriptSyncStateLifecycle: Lifecycle<ScriptSyncStateState, ScriptSyncStateEvent> = {
  name: 'script_sync_state',
  states: SCRIPT_SYNC_STATE_STATES,
  events: SCRIPT_SYNC_STATE_EVENTS,
  table: {
    idle: { start: 'syncing', finish: R, fail: R, retry: R, reset: R },
    syncing: { start: R, finish: 'idle', fail: 'error', retry: R, reset: R },
    error: { start: R, finish: R, fail: R, retry: 'syncing', reset: 'idle' },
  },
};

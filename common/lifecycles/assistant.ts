/**
 * common/lifecycles/assistant.ts: the lifecycle of an assistant (004 assistants).
 *
 *   inactive ──activate──► active ──fail──► error ──recover──► active
 *                            │
 *                            └──suspend──► suspended ──reinstate──► active
 *
 *   also: inactive, error ──suspend──► suspended;  active, error, suspended ──deactivate──► inactive
 *
 * Nothing is final. Suspension is the hard stop (by a person, or by the budget guard when
 * max_cost_per_day is spent); deactivation is the ordinary off switch. The runtime fails and recovers
 * an assistant and the budget guard suspends and reinstates it; a person activates, deactivates,
 * suspends and reinstates.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const ASSISTANT_STATES = ['inactive', 'active', 'error', 'suspended'] as const;
export const ASSISTANT_EVENTS = [
  'activate',
  'deactivate',
  'suspend',
  'reinstate',
  'fail',
  'recover',
] as const;
export type AssistantState = (typeof ASSISTANT_STATES)[number];
export type AssistantEvent = (typeof ASSISTANT_EVENTS)[number];

const R = REFUSED;

export const assistantLifecycle: Lifecycle<AssistantState, AssistantEvent> = {
  name: 'assistant',
  states: ASSISTANT_STATES,
  events: ASSISTANT_EVENTS,
  table: {
    inactive: { activate: 'active', deactivate: R, suspend: 'suspended', reinstate: R, fail: R, recover: R },
    active: {
      activate: R,
      deactivate: 'inactive',
      suspend: 'suspended',
      reinstate: R,
      fail: 'error',
      recover: R,
    },
    error: {
      activate: R,
      deactivate: 'inactive',
      suspend: 'suspended',
      reinstate: R,
      fail: R,
      recover: 'active',
    },
    suspended: { activate: R, deactivate: 'inactive', suspend: R, reinstate: 'active', fail: R, recover: R },
  },
};

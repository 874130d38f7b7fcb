/**
 * common/lifecycles/escalation.ts: the lifecycle of a handoff from an assistant to a human agent (002
 * escalations).
 *
 *   pending ──assign──► assigned ──resolve──► resolved ──reopen──► assigned
 *     ▲  │                │  │
 *     │  │                │  └──unassign──► pending
 *     │  └──close──► closed ◄──close──┘
 *     └────reopen────┘
 *
 * `closed` ends an escalation without a resolution (the customer left, a duplicate). Nothing is
 * final: a resolved escalation reopens to its agent, a closed one to the queue. Every event is a
 * person's (the assistant creates escalations pending).
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const ESCALATION_STATES = ['pending', 'assigned', 'resolved', 'closed'] as const;
export const ESCALATION_EVENTS = ['assign', 'unassign', 'resolve', 'close', 'reopen'] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];
export type EscalationEvent = (typeof ESCALATION_EVENTS)[number];

const R = REFUSED;

export const escalationLifecycle: Lifecycle<EscalationState, EscalationEvent> = {
  name: 'escalation',
  states: ESCALATION_STATES,
  events: ESCALATION_EVENTS,
  table: {
    pending: { assign: 'assigned', unassign: R, resolve: R, close: 'closed', reopen: R },
    assigned: { assign: R, unassign: 'pending', resolve: 'resolved', close: 'closed', reopen: R },
    resolved: { assign: R, unassign: R, resolve: R, close: R, reopen: 'assigned' },
    closed: { assign: R, unassign: R, resolve: R, close: R, reopen: 'pending' },
  },
};

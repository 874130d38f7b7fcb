/**
 * common/lifecycles/alert.ts: the lifecycle of a KPI alert (003 alerts: active, triggered, resolved,
 * muted).
 *
 *   active ──trigger──► triggered ──resolve──► resolved ──trigger──► triggered
 *     │                    │                     │
 *     └──mute──► muted ◄──mute─────────────mute──┘
 *                  │
 *                  └──unmute──► active
 *
 * An alert is a standing rule: `resolved` is armed again (its last episode is over) and fires from
 * there; nothing is final. The monitor triggers and resolves (when the condition clears); a person
 * resolves, mutes and unmutes.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const ALERT_STATES = ['active', 'triggered', 'resolved', 'muted'] as const;
export const ALERT_EVENTS = ['trigger', 'resolve', 'mute', 'unmute'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export type AlertEvent = (typeof ALERT_EVENTS)[number];

const R = REFUSED;

export const alertLifecycle: Lifecycle<AlertState, AlertEvent> = {
  name: 'alert',
  states: ALERT_STATES,
  events: ALERT_EVENTS,
  table: {
    active: { trigger: 'triggered', resolve: R, mute: 'muted', unmute: R },
    triggered: { trigger: R, resolve: 'resolved', mute: 'muted', unmute: R },
    resolved: { trigger: 'triggered', resolve: R, mute: 'muted', unmute: R },
    muted: { trigger: R, resolve: R, mute: R, unmute: 'active' },
  },
};

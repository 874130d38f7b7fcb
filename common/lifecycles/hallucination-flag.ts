/**
 * common/lifecycles/hallucination-flag.ts: the lifecycle of a hallucination flag (004
 * hallucination_flags, 002 hallucinationDetections).
 *
 *   pending ──review──► reviewed ──confirm──► confirmed
 *      │                   └──────dismiss──► false_positive
 *      ├──confirm──► confirmed
 *      └──dismiss──► false_positive
 *
 * `reviewed` means a reviewer looked at it without a verdict yet. The verdicts (confirmed,
 * false_positive) are final: flags are quality evidence on the audit side of the schema (they outlive
 * their subjects), so a changed mind is a new flag. Every event is a reviewer's; detectors create flags
 * pending.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const HALLUCINATION_FLAG_STATES = ['pending', 'reviewed', 'confirmed', 'false_positive'] as const;
export const HALLUCINATION_FLAG_EVENTS = ['review', 'confirm', 'dismiss'] as const;
export type HallucinationFlagState = (typeof HALLUCINATION_FLAG_STATES)[number];
export type HallucinationFlagEvent = (typeof HALLUCINATION_FLAG_EVENTS)[number];

const R = REFUSED;

export const hallucinationFlagLifecycle: Lifecycle<HallucinationFlagState, HallucinationFlagEvent> = {
  name: 'hallucination_flag',
  states: HALLUCINATION_FLAG_STATES,
  events: HALLUCINATION_FLAG_EVENTS,
  table: {
    pending: { review: 'reviewed', confirm: 'confirmed', dismiss: 'false_positive' },
    reviewed: { review: R, confirm: 'confirmed', dismiss: 'false_positive' },
    confirmed: { review: R, confirm: R, dismiss: R },
    false_positive: { review: R, confirm: R, dismiss: R },
  },
};

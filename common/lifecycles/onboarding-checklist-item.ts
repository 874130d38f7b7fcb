/**
 * common/lifecycles/onboarding-checklist-item.ts: the lifecycle of one onboarding step (000
 * onboarding_checklist_items: connection, profile, policy, discovery, finalize).
 *
 *   pending ──start──► in_progress ──complete──► completed
 *      │                    │                        │
 *      │                    └──skip──► skipped       │
 *      │                                  │          │
 *      │               in_progress ◄──reopen─────────┘  (from skipped and from completed)
 *      └──complete / skip──► completed / skipped        (a step done without being started)
 *
 * Nothing is final: a completed or skipped step can be reopened (the tenant's setup changed), and is
 * then in progress again. All events are a person's.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const ONBOARDING_CHECKLIST_ITEM_STATES = ['pending', 'in_progress', 'completed', 'skipped'] as const;
export const ONBOARDING_CHECKLIST_ITEM_EVENTS = ['start', 'complete', 'skip', 'reopen'] as const;
export type OnboardingChecklistItemState = (typeof ONBOARDING_CHECKLIST_ITEM_STATES)[number];
export type OnboardingChecklistItemEvent = (typeof ONBOARDING_CHECKLIST_ITEM_EVENTS)[number];

const R = REFUSED;

export const onboardingChecklistItemLifecycle: Lifecycle<
  OnboardingChecklistItemState,
  OnboardingChecklistItemEvent
> = {
  name: 'onboarding_checklist_item',
  states: ONBOARDING_CHECKLIST_ITEM_STATES,
  events: ONBOARDING_CHECKLIST_ITEM_EVENTS,
  table: {
    pending: { start: 'in_progress', complete: 'completed', skip: 'skipped', reopen: R },
    in_progress: { start: R, complete: 'completed', skip: 'skipped', reopen: R },
    completed: { start: R, complete: R, skip: R, reopen: 'in_progress' },
    skipped: { start: R, complete: R, skip: R, reopen: 'in_progress' },
  },
};

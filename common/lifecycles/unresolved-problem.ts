/**
 * common/lifecycles/unresolved-problem.ts: the lifecycle of an unresolved end-user problem (002
 * unresolvedProblems: semantically deduplicated reports).
 *
 *   open ──investigate──► investigating ──resolve──► resolved ──reopen──► open
 *     └─────────────────resolve────────────────────►
 *
 * Nothing is final: a resolved problem is reopened when it is reported again (the deduplication job
 * does that) or by a person. A person investigates and resolves.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const UNRESOLVED_PROBLEM_STATES = ['open', 'investigating', 'resolved'] as const;
export const UNRESOLVED_PROBLEM_EVENTS = ['investigate', 'resolve', 'reopen'] as const;
export type UnresolvedProblemState = (typeof UNRESOLVED_PROBLEM_STATES)[number];
export type UnresolvedProblemEvent = (typeof UNRESOLVED_PROBLEM_EVENTS)[number];

const R = REFUSED;

export const unresolvedProblemLifecycle: Lifecycle<UnresolvedProblemState, UnresolvedProblemEvent> = {
  name: 'unresolved_problem',
  states: UNRESOLVED_PROBLEM_STATES,
  events: UNRESOLVED_PROBLEM_EVENTS,
  table: {
    open: { investigate: 'investigating', resolve: 'resolved', reopen: R },
    investigating: { investigate: R, resolve: 'resolved', reopen: R },
    resolved: { investigate: R, resolve: R, reopen: 'open' },
  },
};

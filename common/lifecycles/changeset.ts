/**
 * common/lifecycles/changeset.ts: the workspace changeset lifecycle.
 *
 *   draft ──submit──► pending_review ──approve──► approved ──apply──► applied
 *     ▲                    │
 *     └──revise── rejected ◄──reject
 *
 * `applied` is final. Anything else is refused, in the app and in the database.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const CHANGESET_STATES = ['draft', 'pending_review', 'approved', 'rejected', 'applied'] as const;
export const CHANGESET_EVENTS = ['submit', 'approve', 'reject', 'apply', 'revise'] as const;
export type ChangesetState = (typeof CHANGESET_STATES)[number];
export type ChangesetEvent = (typeof CHANGESET_EVENTS)[number];

const R = REFUSED;

export const changesetLifecycle: Lifecycle<ChangesetState, ChangesetEvent> = {
  name: 'workspace_changeset',
  states: CHANGESET_STATES,
  events: CHANGESET_EVENTS,
  table: {
    draft: { submit: 'pending_review', approve: R, reject: R, apply: R, revise: R },
    pending_review: { submit: R, approve: 'approved', reject: 'rejected', apply: R, revise: R },
    approved: { submit: R, approve: R, reject: R, apply: 'applied', revise: R },
    rejected: { submit: R, approve: R, reject: R, apply: R, revise: 'draft' },
    applied: { submit: R, approve: R, reject: R, apply: R, revise: R },
  },
};

/**
 * common/lifecycles/changeset.ts: the workspace changeset lifecycle.
 *
 *   draft ──submit──► pending_review ──approve──► approved ──apply──► applied
 *   ▲ ▲ ▲                  │  │                     │  │
 *   │ │ └──────withdraw────┘  │                     │  │
 *   │ └────────withdraw───────┼─────────────────────┘  │
 *   └──revise── rejected ◄────┘reject                  │
 *                    ▲                                 │
 *                    └──────────conflict───────────────┘
 *
 * `withdraw`: the author takes a changeset back before it is applied (pending review or approved), to
 * change it or leave it; it is a draft again and needs a new review once submitted.
 * `conflict`: changeset.apply found a file changed since the changeset was made whose three-way merge
 * conflicts; the changeset goes back to its author with the conflicts recorded
 * (workspace_patch_conflicts, 0320) instead of being applied. `applied` is final. Anything else is
 * refused, in the app and in the database.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const CHANGESET_STATES = ['draft', 'pending_review', 'approved', 'rejected', 'applied'] as const;
export const CHANGESET_EVENTS = [
  'submit',
  'approve',
  'reject',
  'apply',
  'revise',
  'conflict',
  'withdraw',
] as const;
export type ChangesetState = (typeof CHANGESET_STATES)[number];
export type ChangesetEvent = (typeof CHANGESET_EVENTS)[number];

const R = REFUSED;

export const changesetLifecycle: Lifecycle<ChangesetState, ChangesetEvent> = {
  name: 'workspace_changeset',
  states: CHANGESET_STATES,
  events: CHANGESET_EVENTS,
  table: {
    draft: { submit: 'pending_review', approve: R, reject: R, apply: R, revise: R, conflict: R, withdraw: R },
    pending_review: {
      submit: R,
      approve: 'approved',
      reject: 'rejected',
      apply: R,
      revise: R,
      conflict: R,
      withdraw: 'draft',
    },
    approved: {
      submit: R,
      approve: R,
      reject: R,
      apply: 'applied',
      revise: R,
      conflict: 'rejected',
      withdraw: 'draft',
    },
    rejected: { submit: R, approve: R, reject: R, apply: R, revise: 'draft', conflict: R, withdraw: R },
    applied: { submit: R, approve: R, reject: R, apply: R, revise: R, conflict: R, withdraw: R },
  },
};

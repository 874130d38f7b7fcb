import { describe, expect, it } from 'vitest';
import { approvalLifecycle, DECIDED_APPROVAL_STATES } from './approval.ts';
import { changesetLifecycle } from './changeset.ts';
import { allowedTransitions, nextState, REFUSED } from './state-machine.ts';

describe('changeset lifecycle', () => {
  it('allows exactly the documented transitions', () => {
    expect(allowedTransitions(changesetLifecycle)).toEqual([
      { from: 'draft', event: 'submit', to: 'pending_review' },
      { from: 'pending_review', event: 'approve', to: 'approved' },
      { from: 'pending_review', event: 'reject', to: 'rejected' },
      { from: 'pending_review', event: 'withdraw', to: 'draft' },
      { from: 'approved', event: 'apply', to: 'applied' },
      { from: 'approved', event: 'conflict', to: 'rejected' },
      { from: 'approved', event: 'withdraw', to: 'draft' },
      { from: 'rejected', event: 'revise', to: 'draft' },
    ]);
  });

  it('refuses everything from applied', () => {
    for (const event of changesetLifecycle.events)
      expect(nextState(changesetLifecycle, 'applied', event)).toBe(REFUSED);
  });
});

describe('approval lifecycle', () => {
  it('allows exactly the documented transitions', () => {
    expect(allowedTransitions(approvalLifecycle)).toEqual([
      { from: 'pending', event: 'approve', to: 'approved' },
      { from: 'pending', event: 'reject', to: 'rejected' },
      { from: 'pending', event: 'escalate', to: 'escalated' },
      { from: 'pending', event: 'expire', to: 'expired' },
      { from: 'escalated', event: 'approve', to: 'approved' },
      { from: 'escalated', event: 'reject', to: 'rejected' },
      { from: 'escalated', event: 'expire', to: 'expired' },
    ]);
  });

  it('treats every decision as final', () => {
    for (const state of DECIDED_APPROVAL_STATES) {
      for (const event of approvalLifecycle.events)
        expect(nextState(approvalLifecycle, state, event)).toBe(REFUSED);
    }
  });
});

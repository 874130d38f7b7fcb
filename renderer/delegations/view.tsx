/**
 * renderer/delegations/view.tsx: the delegations view (`#/delegations`, `g d`): hand one's approvals
 * to a colleague for a while, see the delegations given and received, revoke one. `n` starts a new
 * delegation (focuses the form's first field) while the view is on screen.
 */
import { navigate } from '../app/routes.ts';
import type { NoParams, View } from '../shell/contribution.ts';
import { Delegations } from './Delegations.tsx';

export const delegationsView: View<NoParams> = {
  id: 'delegations',
  title: 'Delegations',
  permission: 'approvals:read',
  nav: { label: 'Delegations', order: 6, params: {} },
  route: { path: 'delegations', parse: () => ({}), format: () => [], examples: [{}] },
  render: () => <Delegations />,
  commands: [
    {
      id: 'delegations.open',
      title: 'Delegations',
      category: 'Go to',
      when: 'signedIn',
      run: () => navigate(delegationsView, {}),
    },
    {
      id: 'delegations.new',
      title: 'Hand over my approvals to someone…',
      category: 'Approvals',
      when: 'signedIn',
      run: () => {
        navigate(delegationsView, {});
        requestAnimationFrame(() => document.getElementById('delegation-delegateId')?.focus());
      },
    },
  ],
  keybindings: [
    { key: 'g d', command: 'delegations.open', when: '!overlay' },
    { key: 'n', command: 'delegations.new', when: 'view == delegations && !overlay' },
  ],
};

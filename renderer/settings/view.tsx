/**
 * renderer/settings/view.tsx: the settings view (`#/settings`) and the account commands offered from
 * anywhere in the palette: download a backup, sign in as someone else, sign out.
 */
import { navigate } from '../app/routes.ts';
import { signInView } from '../auth/view.tsx';
import type { NoParams, View } from '../shell/contribution.ts';
import { downloadBackup, signOut } from './account-actions.ts';
import { Settings } from './Settings.tsx';

export const settingsView: View<NoParams> = {
  id: 'settings',
  title: 'Settings',
  permission: null,
  nav: { label: 'Settings', order: 90, params: {} },
  route: { path: 'settings', parse: () => ({}), format: () => [], examples: [{}] },
  render: () => <Settings />,
  commands: [
    {
      id: 'settings.open',
      title: 'Settings',
      category: 'Go to',
      when: 'signedIn',
      run: () => navigate(settingsView, {}),
    },
    {
      id: 'settings.backup',
      title: 'Download a backup of this device’s data',
      category: 'Account',
      when: 'signedIn',
      run: () => void downloadBackup(),
    },
    {
      id: 'settings.switchAccount',
      title: 'Sign in as another user or tenant',
      category: 'Account',
      when: 'signedIn',
      run: () => navigate(signInView, {}),
    },
    {
      id: 'settings.signOut',
      title: 'Sign out',
      category: 'Account',
      when: 'signedIn',
      run: () => void signOut(),
    },
  ],
  keybindings: [{ key: 'g s', command: 'settings.open', when: '!overlay' }],
};

/**
 * renderer/auth/view.tsx: the sign-in view (`#/sign-in`): where a window without a session always is
 * (App.tsx), and where a signed-in user goes to switch accounts. No nav entry.
 */
import { navigate } from '../app/routes.ts';
import type { NoParams, View } from '../shell/contribution.ts';
import { SignIn } from './SignIn.tsx';

export const signInView: View<NoParams> = {
  id: 'sign-in',
  title: 'Sign in',
  permission: null,
  route: { path: 'sign-in', parse: () => ({}), format: () => [], examples: [{}] },
  render: () => <SignIn />,
  commands: [
    {
      id: 'sign-in.open',
      title: 'Sign in',
      category: 'Account',
      when: '!signedIn',
      run: () => navigate(signInView, {}),
    },
  ],
};

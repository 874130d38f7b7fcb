/**
 * renderer/home/view.tsx: the home view (`#/`), where the app opens and where unknown URLs lead:
 * `g h` or "Go to Home" from anywhere.
 */
import { navigate } from '../app/routes.ts';
import type { NoParams, View } from '../shell/contribution.ts';
import { Home } from './Home.tsx';

export const homeView: View<NoParams> = {
  id: 'home',
  title: 'Home',
  permission: null,
  nav: { label: 'Home', order: 0, params: {} },
  route: { path: '', parse: () => ({}), format: () => [], examples: [{}] },
  render: () => <Home />,
  commands: [
    {
      id: 'home.open',
      title: 'Home',
      category: 'Go to',
      when: 'signedIn',
      run: () => navigate(homeView, {}),
    },
  ],
  keybindings: [{ key: 'g h', command: 'home.open', when: '!overlay' }],
};

/**
 * renderer/dashboards/view.tsx: the dashboards view (`#/dashboards`, `g k` from anywhere): client KPIs
 * and AI spend against budgets, charted from this device's data (renderer/dashboards/Dashboards.tsx).
 * Keys while it is on screen: 1, 2, 3 choose the last 30, 90 or 365 days, r custom days, c the
 * comparison with the previous period; each is also a palette command.
 */
import { lazy } from 'react';
import { navigate } from '../app/routes.ts';
import type { NoParams, View } from '../shell/contribution.ts';
import { choosePreset, focusCustomRange, toggleCompare } from './dashboard-store.ts';
import { dashboardsAddress } from './route.ts';

const Dashboards = lazy(() => import('./Dashboards.tsx').then((m) => ({ default: m.Dashboards })));

const here = 'view == dashboards';
const keys = 'view == dashboards && !overlay';

export const dashboardsView: View<NoParams> = {
  ...dashboardsAddress,
  title: 'Dashboards',
  permission: 'kpis:read',
  nav: { label: 'Dashboards', order: 9, params: {} },
  render: () => <Dashboards />,
  commands: [
    {
      id: 'dashboards.open',
      title: 'Dashboards',
      category: 'Go to',
      when: 'signedIn',
      run: () => navigate(dashboardsAddress, {}),
    },
    {
      id: 'dashboards.last30',
      title: 'Show the last 30 days',
      category: 'Dashboards',
      when: here,
      run: () => choosePreset('30d'),
    },
    {
      id: 'dashboards.last90',
      title: 'Show the last 90 days',
      category: 'Dashboards',
      when: here,
      run: () => choosePreset('90d'),
    },
    {
      id: 'dashboards.last365',
      title: 'Show the last 365 days',
      category: 'Dashboards',
      when: here,
      run: () => choosePreset('365d'),
    },
    {
      id: 'dashboards.customRange',
      title: 'Choose the days',
      category: 'Dashboards',
      when: here,
      run: focusCustomRange,
    },
    {
      id: 'dashboards.toggleCompare',
      title: 'Compare with the previous period (on / off)',
      category: 'Dashboards',
      when: here,
      run: toggleCompare,
    },
  ],
  keybindings: [
    { key: 'g k', command: 'dashboards.open', when: '!overlay' },
    { key: '1', command: 'dashboards.last30', when: keys },
    { key: '2', command: 'dashboards.last90', when: keys },
    { key: '3', command: 'dashboards.last365', when: keys },
    { key: 'r', command: 'dashboards.customRange', when: keys },
    { key: 'c', command: 'dashboards.toggleCompare', when: keys },
  ],
};

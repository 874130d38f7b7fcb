/**
 * renderer/dashboards/route.ts: the dashboards view's address, `#/dashboards` (no segments: the range
 * is the view's own state, dashboard-store.ts). Its own module so components can link to it without
 * importing the view.
 */
import type { NoParams, ViewAddress } from '../shell/contribution.ts';

export const dashboardsAddress: ViewAddress<NoParams> = {
  id: 'dashboards',
  route: { path: 'dashboards', parse: () => ({}), format: () => [], examples: [{}] },
};

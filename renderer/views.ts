/**
 * renderer/views.ts: every view and every global contribution of the app, registered in one place.
 * Adding a view is its folder (renderer/<domain>/view.tsx exporting a View, see
 * renderer/shell/contribution.ts) and one line in `views` below; the router, the nav, the palette,
 * the shortcut sheet and the keyboard dispatcher follow from REGISTRY (docs/architecture.md, "How a
 * view is added").
 *
 * Order matters twice: `views` is the palette's order (nav order is each view's nav.order), and a
 * view's keybinding overrides a global one with the same keys where both apply.
 */
import { auditView } from './audit/view.tsx';
import { signInView } from './auth/view.tsx';
import { changesetView } from './changesets/view.tsx';
import { dashboardsView } from './dashboards/view.tsx';
import { delegationsView } from './delegations/view.tsx';
import { explorerView } from './explorer/view.tsx';
import { homeView } from './home/view.tsx';
import { inboxView } from './inbox/view.tsx';
import { paletteContribution } from './palette/contribution.ts';
import { searchView } from './search/view.tsx';
import { settingsView } from './settings/view.tsx';
import { buildRegistry } from './shell/registry.ts';
import { shellContribution } from './shell/shell-contribution.ts';
import { syncContribution } from './sync/contribution.ts';
import { workspacesView } from './workspaces/view.tsx';

export const REGISTRY = buildRegistry({
  views: [
    homeView,
    inboxView,
    delegationsView,
    workspacesView,
    changesetView,
    explorerView,
    searchView,
    auditView,
    dashboardsView,
    settingsView,
    signInView,
  ],
  global: [syncContribution, shellContribution, paletteContribution],
  home: homeView,
  signIn: signInView,
});

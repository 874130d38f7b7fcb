/**
 * renderer/shell/AppShell.tsx: the application frame: title bar (navigation, tenant switcher,
 * palette), the current view, the notice area, and the status bar with the always-visible sync
 * status. Routes render inside <main>.
 */
import type { ReactNode } from 'react';
import { navigate, useRouter, type Route } from '../app/routes.ts';
import { useEngine } from '../state/engine-store.ts';
import { useUi } from '../state/ui-store.ts';
import { Notices } from '../sync/Notices.tsx';
import { SyncStatusBar } from '../sync/SyncStatusBar.tsx';
import { currentHost } from './host.ts';
import { TenantSwitcher } from './TenantSwitcher.tsx';

const NAV: readonly { route: Route; label: string }[] = [
  { route: { name: 'home' }, label: 'Home' },
  { route: { name: 'explorer', table: null }, label: 'Explorer' },
  { route: { name: 'settings' }, label: 'Settings' },
];

export function AppShell({ children }: { readonly children: ReactNode }) {
  const host = currentHost();
  const route = useRouter((s) => s.route);
  const session = useEngine((s) => s.session);
  const open = useUi((s) => s.open);
  return (
    <div className="shell" data-testid="app-shell" data-host={host}>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="shell-titlebar" role="banner">
        <span className="shell-brand" aria-label="Outpost">
          <span className="shell-logo" aria-hidden="true">
            ◆
          </span>
          Outpost
        </span>
        {session ? (
          <nav className="shell-nav" aria-label="Main">
            {NAV.map((item) => (
              <a
                key={item.label}
                href={
                  item.route.name === 'explorer'
                    ? '#/explorer'
                    : `#/${item.route.name === 'home' ? '' : item.route.name}`
                }
                aria-current={route.name === item.route.name ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(item.route);
                }}
              >
                {item.label}
              </a>
            ))}
          </nav>
        ) : null}
        <span className="spacer" />
        <TenantSwitcher />
        <button
          type="button"
          className="palette-button"
          onClick={() => open('palette')}
          aria-keyshortcuts="Control+K"
        >
          Search or run a command <kbd>Ctrl K</kbd>
        </button>
        <span className="shell-host" title="Where this window runs">
          {host === 'electron' ? 'Desktop' : 'Browser'}
        </span>
      </header>
      <main className="shell-content" id="content" tabIndex={-1}>
        {children}
      </main>
      <Notices />
      <footer className="shell-statusbar" role="contentinfo">
        <SyncStatusBar />
        <span className="spacer" />
        {session ? (
          <span className="muted" data-testid="account">
            {session.user.email} · {session.tenant.slug}
          </span>
        ) : null}
        <span className="muted" data-testid="host-kind">
          {host}
        </span>
      </footer>
    </div>
  );
}

/**
 * renderer/shell/AppShell.tsx: the application frame: title bar (navigation, tenant switcher,
 * palette), the current view, the notice area, and the status bar with the always-visible sync
 * status. Views render inside <main>. The navigation is the registry's: every view with a nav entry
 * whose permission the user has, by nav order (renderer/views.ts).
 */
import type { ReactNode } from 'react';
import { formatHash, navigate, parseLocation, screenView, useRouter } from '../app/routes.ts';
import { ariaKeyShortcuts, currentPlatform, displaySequence } from '../keyboard/keys.ts';
import { useEngine } from '../state/engine-store.ts';
import { useUi } from '../state/ui-store.ts';
import { Notices } from '../sync/Notices.tsx';
import { SyncStatusBar } from '../sync/SyncStatusBar.tsx';
import { REGISTRY } from '../views.ts';
import { currentHost } from './host.ts';
import { permitted } from './registry.ts';
import { TenantSwitcher } from './TenantSwitcher.tsx';

const NAV = REGISTRY.views
  .flatMap((view) => (view.nav ? [{ view, nav: view.nav }] : []))
  .sort((a, b) => a.nav.order - b.nav.order);

const PALETTE_KEYS = REGISTRY.keybindingsOf('shell.palette')[0]?.sequence ?? [];

export function AppShell({ children }: { readonly children: ReactNode }) {
  const host = currentHost();
  const location = useRouter((s) => s.location) ?? parseLocation(REGISTRY, window.location.hash);
  const session = useEngine((s) => s.session);
  const open = useUi((s) => s.open);
  const current = screenView(REGISTRY, location, session).id;
  const permissions = new Set(session?.user.permissions ?? []);
  const platform = currentPlatform();
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
            {NAV.filter(({ view }) => permitted(view.permission, permissions)).map(({ view, nav }) => (
              <a
                key={view.id}
                href={formatHash(view, nav.params)}
                aria-current={current === view.id ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(view, nav.params);
                }}
              >
                {nav.label}
                {nav.Badge ? <nav.Badge /> : null}
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
          aria-keyshortcuts={ariaKeyShortcuts(PALETTE_KEYS, platform)}
        >
          Search or run a command <kbd>{displaySequence(PALETTE_KEYS, platform).join(' ')}</kbd>
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

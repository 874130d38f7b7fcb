/**
 * renderer/shell/AppShell.tsx: the application frame: title bar, content region and status bar.
 * Routes render inside <main>; the status bar is where sync status lives.
 */
import { currentHost } from './host.ts';

export function AppShell() {
  const host = currentHost();
  return (
    <div className="shell" data-testid="app-shell" data-host={host}>
      <header className="shell-titlebar" role="banner">
        <span className="shell-brand" aria-label="Outpost">
          <span className="shell-logo" aria-hidden="true">
            ◆
          </span>
          Outpost
        </span>
        <span className="shell-host" title="Where this window runs">
          {host === 'electron' ? 'Desktop' : 'Browser'}
        </span>
      </header>
      <main className="shell-content" id="content" tabIndex={-1}>
        <h1>Outpost</h1>
        <p>Local-first workstation for multi-tenant operations data.</p>
      </main>
      <footer className="shell-statusbar" role="contentinfo" aria-live="polite">
        <span data-testid="host-kind">{host}</span>
      </footer>
    </div>
  );
}

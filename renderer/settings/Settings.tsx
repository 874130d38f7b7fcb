/**
 * renderer/settings/Settings.tsx: the account (who, which tenant, which server), sign out or switch,
 * a backup of this device's data, the keyboard shortcuts, and where the app runs.
 */
import { navigate } from '../app/routes.ts';
import { signInView } from '../auth/view.tsx';
import { displayKeys } from '../keyboard/keys.ts';
import { InboxAlertsSetting } from '../inbox/InboxAlertsSetting.tsx';
import { currentHost } from '../shell/host.ts';
import { useEngine } from '../state/engine-store.ts';
import { useUi } from '../state/ui-store.ts';
import { downloadBackup, signOut } from './account-actions.ts';

export function Settings() {
  const session = useEngine((s) => s.session);
  const open = useUi((s) => s.open);
  return (
    <div className="settings">
      <h1>Settings</h1>
      <section className="card">
        <h2>Account</h2>
        {session ? (
          <dl className="facts">
            <dt>User</dt>
            <dd>
              {session.user.fullName ?? session.user.email} · {session.user.email}
            </dd>
            <dt>Role</dt>
            <dd>{session.user.roles.join(', ') || session.user.role}</dd>
            <dt>Tenant</dt>
            <dd>
              {session.tenant.name} ({session.tenant.slug}, {session.tenant.type})
            </dd>
            <dt>Server</dt>
            <dd>{session.serverUrl}</dd>
          </dl>
        ) : (
          <p>Nobody is signed in.</p>
        )}
        <div className="row-actions">
          <button type="button" className="button" onClick={() => navigate(signInView, {})}>
            Sign in as another user or tenant
          </button>
          {session ? (
            <button type="button" className="button button-danger" onClick={() => void signOut()}>
              Sign out
            </button>
          ) : null}
        </div>
      </section>
      {session ? (
        <section className="card">
          <h2>Data on this device</h2>
          <p>
            Everything you can see is kept on this device, per account, so it works offline. A backup is a
            copy of this account’s local database (a gzipped PGlite data directory).
          </p>
          <button type="button" className="button" onClick={() => void downloadBackup()}>
            Download a backup
          </button>
        </section>
      ) : null}
      {session ? <InboxAlertsSetting /> : null}
      <section className="card">
        <h2>Keyboard</h2>
        <p>
          Everything can be done from the keyboard. Press <kbd>{displayKeys('Mod+K').join(' ')}</kbd> for the
          command palette.
        </p>
        <button type="button" className="button" onClick={() => open('shortcuts')}>
          Show keyboard shortcuts (?)
        </button>
      </section>
      <section className="card">
        <h2>About</h2>
        <p className="muted">
          Outpost, running in {currentHost() === 'electron' ? 'the desktop app' : 'the browser'}.
        </p>
      </section>
    </div>
  );
}

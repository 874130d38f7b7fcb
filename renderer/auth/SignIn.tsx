/**
 * renderer/auth/SignIn.tsx: the sign-in screen: server, tenant, email and password; or continue with
 * the account saved on this device (works offline).
 *
 * Guarantees: the password lives only in this form's state and the one call that sends it to the
 * core; every failure is shown with what to do (wrong password, server unreachable, bad address).
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { SavedAccount } from '../../common/rpc/contract.ts';
import { navigate } from '../app/routes.ts';
import { homeView } from '../home/view.tsx';
import { engineClient, useEngine } from '../state/engine-store.ts';
import { signInErrorText } from './sign-in-errors.ts';

const LAST_SERVER = 'outpost.lastServerUrl';

function defaultServerUrl(): string {
  return (
    window.localStorage.getItem(LAST_SERVER) ??
    (import.meta.env['VITE_OUTPOST_SERVER_URL'] as string | undefined) ??
    'https://localhost:3010'
  );
}

/** A labelled, required text field of the form. */
function Field(props: {
  readonly label: string;
  readonly name: string;
  readonly type?: 'url' | 'email' | 'password';
  readonly autoComplete: string;
  readonly placeholder?: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        type={props.type ?? 'text'}
        required
        autoComplete={props.autoComplete}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

export function SignIn() {
  const session = useEngine((s) => s.session);
  const syncState = useEngine((s) => s.sync?.state);
  const [saved, setSaved] = useState<SavedAccount | null>(null);
  const [serverUrl, setServerUrl] = useState(defaultServerUrl);
  const [tenant, setTenant] = useState(session?.tenant.slug ?? '');
  const [email, setEmail] = useState(session?.user.email ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'sign-in' | 'resume' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  useEffect(() => {
    let live = true;
    engineClient()
      .call('session.saved', undefined)
      .then((account) => {
        if (!live || !account) return;
        setSaved(account);
        setServerUrl((current) => (window.localStorage.getItem(LAST_SERVER) ? current : account.serverUrl));
        setTenant((t) => t || account.tenantSlug);
        setEmail((e) => e || account.email);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy('sign-in');
    setError(null);
    try {
      await engineClient().call('session.signIn', { serverUrl: serverUrl.trim(), tenant, email, password });
      window.localStorage.setItem(LAST_SERVER, serverUrl.trim());
      setPassword('');
      navigate(homeView, {});
    } catch (e) {
      setError(signInErrorText(e));
    } finally {
      setBusy(null);
    }
  }

  async function resume() {
    setBusy('resume');
    setError(null);
    try {
      await engineClient().call('session.resume', undefined);
      navigate(homeView, {});
    } catch (e) {
      setError(signInErrorText(e));
    } finally {
      setBusy(null);
    }
  }

  const sessionEnded = session && syncState === 'sign-in-required';
  return (
    <div className="sign-in">
      <form
        className="card sign-in-card"
        onSubmit={(e) => void signIn(e)}
        aria-describedby={error ? errorId : undefined}
      >
        <h1>Sign in to Outpost</h1>
        {sessionEnded ? (
          <p className="info-box">
            Your session ended on the server. Sign in again to resume syncing; your data and unsent changes
            are kept on this device.
          </p>
        ) : null}
        <Field
          label="Server"
          name="server"
          type="url"
          autoComplete="url"
          value={serverUrl}
          onChange={setServerUrl}
        />
        <Field
          label="Tenant"
          name="tenant"
          autoComplete="organization"
          placeholder="acme"
          value={tenant}
          onChange={setTenant}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={setEmail}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        {error ? (
          <p className="error-box" role="alert" id={errorId}>
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy !== null}>
          {busy === 'sign-in' ? 'Signing in…' : 'Sign in'}
        </button>
        {saved && !session ? (
          <div className="saved-account">
            <p className="muted">
              Saved on this device: {saved.email} at {saved.tenantName}
            </p>
            <button type="button" className="button" disabled={busy !== null} onClick={() => void resume()}>
              {busy === 'resume' ? 'Opening…' : `Continue offline as ${saved.email}`}
            </button>
          </div>
        ) : null}
        {session ? (
          <button type="button" className="link-button" onClick={() => navigate(homeView, {})}>
            Back to {session.tenant.name}
          </button>
        ) : null}
      </form>
    </div>
  );
}

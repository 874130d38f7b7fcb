/**
 * renderer/app/App.tsx: the app: connects to the core, restores the saved account (so a reload or a
 * restart works offline), and routes. Without a session only the sign-in screen is reachable; with
 * one, the sign-in screen stays reachable to switch accounts.
 */
import { useEffect } from 'react';
import { OutpostError } from '../../common/errors.ts';
import { SignIn } from '../auth/SignIn.tsx';
import { connectCore } from '../platform/connect.ts';
import { Explorer } from '../explorer/Explorer.tsx';
import { Home } from '../home/Home.tsx';
import { CommandPalette } from '../palette/CommandPalette.tsx';
import { ShortcutsHelp } from '../palette/ShortcutsHelp.tsx';
import { Settings } from '../settings/Settings.tsx';
import { AppShell } from '../shell/AppShell.tsx';
import { installShortcuts } from '../shell/keyboard.ts';
import { attachEngine, useEngine } from '../state/engine-store.ts';
import { useUi } from '../state/ui-store.ts';
import { followLocation, navigate, useRouter } from './routes.ts';

/**
 * Connects once per window (not per effect run: React's StrictMode runs effects twice in development,
 * and a second engine worker would find the first holding the origin lock), then resumes the saved
 * account if there is one.
 */
let booting: Promise<void> | null = null;

function boot(): Promise<void> {
  booting ??= connectCore()
    .then(async (client) => {
      attachEngine(client);
      const session = await client.call('session.get', undefined);
      if (!session) await client.call('session.resume', undefined).catch(() => undefined);
      useEngine.setState({ sessionKnown: true });
    })
    .catch((error: unknown) =>
      useEngine.setState({
        boot: {
          phase: 'failed',
          code: error instanceof OutpostError ? error.code : 'internal',
          message: error instanceof Error ? error.message : String(error),
        },
      }),
    );
  return booting;
}

function useBoot(): void {
  useEffect(() => {
    void boot();
    const stopLocation = followLocation();
    const stopShortcuts = installShortcuts();
    return () => {
      stopLocation();
      stopShortcuts();
    };
  }, []);
}

function Routed() {
  const route = useRouter((s) => s.route);
  const session = useEngine((s) => s.session);
  const known = useEngine((s) => s.sessionKnown);
  useEffect(() => {
    if (known && !session && route.name !== 'sign-in') navigate({ name: 'sign-in' });
  }, [known, session, route.name]);
  if (!known) return <p className="boot-message">Opening your data…</p>;
  if (!session || route.name === 'sign-in') return <SignIn />;
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'explorer':
      return <Explorer table={route.table} />;
    case 'settings':
      return <Settings />;
  }
}

export function App() {
  useBoot();
  const boot = useEngine((s) => s.boot);
  const overlay = useUi((s) => s.overlay);
  if (boot.phase === 'failed')
    return (
      <div className="boot-failed" role="alert">
        <h1>Outpost could not start</h1>
        <p>{boot.message}</p>
        {boot.code === 'locked' ? <p>Close the other Outpost tab or window, then reload this one.</p> : null}
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  return (
    <AppShell>
      {boot.phase === 'connecting' ? <p className="boot-message">Starting the local engine…</p> : <Routed />}
      {overlay === 'palette' ? <CommandPalette /> : null}
      {overlay === 'shortcuts' ? <ShortcutsHelp /> : null}
    </AppShell>
  );
}

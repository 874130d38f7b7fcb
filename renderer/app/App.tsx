/**
 * renderer/app/App.tsx: the app: connects to the core, restores the saved account (so a reload or a
 * restart works offline), installs the keyboard dispatcher, and shows the view of the location
 * (renderer/views.ts REGISTRY). Without a session only the sign-in view is reachable; with one, the
 * sign-in view stays reachable to switch accounts. A view whose permission the user lacks says so
 * instead of rendering.
 */
import { Suspense, useEffect } from 'react';
import { OutpostError } from '../../common/errors.ts';
import { installKeyboard } from '../keyboard/install-keyboard.ts';
import { CommandPalette } from '../palette/CommandPalette.tsx';
import { ShortcutsHelp } from '../palette/ShortcutsHelp.tsx';
import { connectCore } from '../platform/connect.ts';
import { AppShell } from '../shell/AppShell.tsx';
import { permitted } from '../shell/registry.ts';
import { attachEngine, useEngine } from '../state/engine-store.ts';
import { useUi } from '../state/ui-store.ts';
import { REGISTRY } from '../views.ts';
import { exposeRegistry } from './expose-registry.ts';
import { followLocation, navigate, parseLocation, screenView, useRouter } from './routes.ts';

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
    const stopLocation = followLocation(REGISTRY);
    const stopKeyboard = installKeyboard(REGISTRY);
    exposeRegistry(REGISTRY);
    return () => {
      stopLocation();
      stopKeyboard();
    };
  }, []);
}

function Routed() {
  const location = useRouter((s) => s.location) ?? parseLocation(REGISTRY, window.location.hash);
  const session = useEngine((s) => s.session);
  const known = useEngine((s) => s.sessionKnown);
  const signIn = REGISTRY.signIn;
  useEffect(() => {
    if (known && !session && location.view !== signIn.id) navigate(signIn, {});
  }, [known, session, location.view, signIn]);
  if (!known) return <p className="boot-message">Opening your data…</p>;
  const view = screenView(REGISTRY, location, session);
  if (!permitted(view.permission, new Set(session?.user.permissions ?? [])))
    return (
      <p className="info-box" role="alert">
        {view.title} needs the permission “{view.permission}”, which your role does not include.
      </p>
    );
  const params =
    view.id === location.view ? location.params : (view.route.parse([]) ?? view.route.examples[0]);
  return (
    <Suspense fallback={<p className="boot-message">Opening {view.title}…</p>}>
      {view.render(params)}
    </Suspense>
  );
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

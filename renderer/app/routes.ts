/**
 * renderer/app/routes.ts: the router, derived from the registered views: the location hash, so a
 * reload, also offline, comes back to the same view and the packaged app needs no server-side
 * routing. Each view says how its URL reads and writes (View.route in renderer/shell/contribution.ts):
 *
 *   #/<route path>/<segments…>   ─parseLocation─►  { view: <view id>, params: route.parse(segments) }
 *   navigate(view, params)       ─formatHash────►  '#/' + [path, ...route.format(params)].join('/')
 *
 * Today: #/ home, #/sign-in, #/explorer, #/explorer/<table>, #/settings (renderer/views.ts).
 *
 * Guarantees: parsing never throws; an unknown path, or segments the view's parse refuses (or
 * throws on), is home; a view validates its own segments (the explorer's table must be a lower-case
 * SQL identifier), so a URL cannot smuggle anything else into a query.
 */
import { create } from 'zustand';
import type { Session } from '../../common/rpc/contract.ts';
import type { View, ViewAddress } from '../shell/contribution.ts';
import type { Registry } from '../shell/registry.ts';

/** Where the window is: a view id and the params its route parsed. */
export interface ViewLocation {
  readonly view: string;
  readonly params: unknown;
}

function segmentsOf(hash: string): string[] {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').split('?')[0] ?? '';
  return path.split('/').filter((segment) => segment !== '');
}

/** A view's params for `segments`, or null when its parse refuses them or throws. */
function parseWith(view: View, segments: readonly string[]): unknown {
  try {
    return view.route.parse(segments);
  } catch {
    return null;
  }
}

export function parseLocation(registry: Registry, hash: string): ViewLocation {
  const [first = '', ...rest] = segmentsOf(hash);
  const view = registry.viewAt(first);
  const params = view ? parseWith(view, rest) : null;
  if (view && params !== null) return { view: view.id, params };
  const home = registry.home;
  return { view: home.id, params: parseWith(home, []) ?? home.route.examples[0] ?? {} };
}

export function formatHash<P>(view: ViewAddress<P>, params: P): string {
  return `#/${[view.route.path, ...view.route.format(params)].filter((s) => s !== '').join('/')}`;
}

/** The view the window shows: sign-in without a session, else the location's. */
export function screenView(registry: Registry, location: ViewLocation, session: Session | null): View {
  if (!session) return registry.signIn;
  return registry.view(location.view) ?? registry.home;
}

interface RouterState {
  /** null until followLocation first reads the address bar. */
  readonly location: ViewLocation | null;
}

export const useRouter = create<RouterState>()(() => ({ location: null }));

export function navigate<P>(view: ViewAddress<P>, params: P): void {
  const hash = formatHash(view, params);
  if (window.location.hash !== hash) window.location.hash = hash;
  useRouter.setState({ location: { view: view.id, params } });
}

/** Reads the address bar now and keeps the store in step with it (back/forward, edited hash). */
export function followLocation(registry: Registry): () => void {
  const read = () => useRouter.setState({ location: parseLocation(registry, window.location.hash) });
  read();
  window.addEventListener('hashchange', read);
  return () => window.removeEventListener('hashchange', read);
}

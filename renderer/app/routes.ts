/**
 * renderer/app/routes.ts: the app's routes and their URL form (the location hash, so a reload, also
 * offline, comes back to the same view and the packaged app needs no server-side routing).
 *
 *   #/                  home
 *   #/sign-in           sign-in
 *   #/explorer          data explorer (no table chosen)
 *   #/explorer/<table>  data explorer on one table
 *   #/settings          settings
 *
 * Guarantees: parsing never throws; anything unknown is home; a table segment must be a lower-case
 * SQL identifier, so a URL cannot smuggle anything else into a query.
 */
import { create } from 'zustand';

export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'sign-in' }
  | { readonly name: 'explorer'; readonly table: string | null }
  | { readonly name: 'settings' };

const TABLE = /^[a-z_][a-z0-9_]{0,62}$/;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').split('?')[0] ?? '';
  const [first, second] = path.split('/');
  switch (first) {
    case 'sign-in':
      return { name: 'sign-in' };
    case 'settings':
      return { name: 'settings' };
    case 'explorer':
      return { name: 'explorer', table: second && TABLE.test(second) ? second : null };
    default:
      return { name: 'home' };
  }
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'sign-in':
      return '#/sign-in';
    case 'settings':
      return '#/settings';
    case 'explorer':
      return route.table ? `#/explorer/${route.table}` : '#/explorer';
  }
}

interface RouterState {
  readonly route: Route;
  navigate: (route: Route) => void;
}

export const useRouter = create<RouterState>()((set) => ({
  route: typeof window === 'undefined' ? { name: 'home' } : parseRoute(window.location.hash),
  navigate(route) {
    const hash = formatRoute(route);
    if (window.location.hash !== hash) window.location.hash = hash;
    set({ route });
  },
}));

/** Keeps the store in step with the address bar (back/forward, edited hash). */
export function followLocation(): () => void {
  const onHashChange = () => useRouter.setState({ route: parseRoute(window.location.hash) });
  window.addEventListener('hashchange', onHashChange);
  return () => window.removeEventListener('hashchange', onHashChange);
}

export function navigate(route: Route): void {
  useRouter.getState().navigate(route);
}

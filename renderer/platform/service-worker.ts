/**
 * renderer/platform/service-worker.ts: registers the browser host's service worker (renderer/public/sw.js)
 * in production builds, so the app opens offline after one visit. Not in Electron (the app is loaded
 * from disk) nor on the dev server (it would serve stale modules to hot reload).
 */
import { currentHost } from '../shell/host.ts';

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || currentHost() === 'electron' || !('serviceWorker' in navigator)) return;
  // Relative to the page (the app's index.html sits at the root of the build, beside sw.js).
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error: unknown) => {
    console.warn('outpost: the app will not open offline in this browser:', error);
  });
}

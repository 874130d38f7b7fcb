/* global self, caches */
/*
 * renderer/public/sw.js: the browser host's service worker: keeps the app itself (HTML, scripts, the
 * engine worker, PGlite's WebAssembly and data files) available offline, so a reload without a network
 * opens the app and the data already on this device. Electron loads the app from disk and does not use it.
 *
 * - install: caches every file of this build, listed in sw-manifest.json (written by the build, see
 *   scripts/build/service-worker-manifest.ts), under a cache named by the build's version.
 * - activate: deletes the caches of older builds and takes control of open pages.
 * - fetch (same-origin GET only; the sync server is another origin and is never touched):
 *     pages      network first, the cached copy when the network fails (offline)
 *     other      cached copy first (file names carry content hashes), else network
 */
const MANIFEST = './sw-manifest.json';
const PREFIX = 'outpost-app-';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const response = await fetch(MANIFEST, { cache: 'no-store' });
      if (!response.ok) throw new Error(`sw: ${MANIFEST} answered ${response.status}`);
      const manifest = await response.json();
      const cache = await caches.open(PREFIX + manifest.version);
      await cache.addAll(manifest.files.map((file) => new URL(file, self.registration.scope).toString()));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const response = await fetch(MANIFEST, { cache: 'no-store' }).catch(() => null);
      const current = response && response.ok ? PREFIX + (await response.json()).version : null;
      if (current)
        for (const name of await caches.keys())
          if (name.startsWith(PREFIX) && name !== current) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = (await caches.keys()).filter((n) => n.startsWith(PREFIX)).pop();
      if (cache) await (await caches.open(cache)).put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached =
      (await caches.match(request, { ignoreSearch: true, ignoreVary: true })) ??
      (await caches.match(new URL('./', self.registration.scope).toString()));
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: true, ignoreVary: true });
  return cached ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (new URL(request.url).pathname.endsWith('/sw-manifest.json')) return;
  event.respondWith(request.mode === 'navigate' ? networkFirst(request) : cacheFirst(request));
});

/**
 * vite.web.config.ts: the browser host. Serves (`npm run web`) and builds (`npm run web:build`,
 * into dist-web/) the same renderer as Electron, without the preload bridge. The production build
 * carries a Content Security Policy meta tag equivalent to the one Electron's main process sets.
 *
 * The build has one page, index.html (the app): dist-web/ is what users get and what the service
 * worker caches. The test harness pages (renderer/harness/) are built apart, into dist-harness/, by
 * vite.harness.config.ts, which shares this file's plugins and worker settings; the dev server
 * still serves them from the source tree (http://127.0.0.1:5173/harness/engine.html).
 * The core's worker (core/host/web-worker-entry.ts) is a module worker (`worker.format: 'es'`): it
 * imports PGlite, which loads its WebAssembly and data files with `new URL('./x', import.meta.url)`;
 * Vite emits those as assets beside the worker chunk. PGlite and its extensions are kept out of the
 * dev server's dependency pre-bundling, which would move the module away from those files (PGlite's
 * bundler notes: https://pglite.dev/docs/bundler-support).
 * The engine worker starts a new account's database from the local template
 * (scripts/build/local-template.ts: a migrated PGlite data directory built in Node), which the build
 * emits beside index.html and the dev server serves.
 * The production build also writes sw-manifest.json, the list of files the service worker
 * (renderer/public/sw.js) caches so that the app opens offline (scripts/build/service-worker-manifest.ts).
 * The dev server speaks plain HTTP, or HTTPS (with HTTP/2) when OUTPOST_DEV_TLS_CERT and
 * OUTPOST_DEV_TLS_KEY name PEM files: `npm start` passes the sync server's development certificate
 * there, so a browser that accepts it once for localhost trusts the sync server as well.
 */
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './common/host/content-security-policy.ts';
import { localTemplatePlugin } from './scripts/build/local-template.ts';
import { serviceWorkerManifest } from './scripts/build/service-worker-manifest.ts';

export function contentSecurityPolicy(): Plugin {
  return {
    name: 'outpost-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META },
        injectTo: 'head-prepend',
      },
    ],
  };
}

const devTlsCert = process.env['OUTPOST_DEV_TLS_CERT'];
const devTlsKey = process.env['OUTPOST_DEV_TLS_KEY'];
const devHttps =
  devTlsCert && devTlsKey ? { cert: readFileSync(devTlsCert), key: readFileSync(devTlsKey) } : undefined;

/** What the app's build and the harness build share: the renderer root, the engine worker, PGlite. */
export const rendererShared = {
  root: resolve(import.meta.dirname, 'renderer'),
  worker: { format: 'es', plugins: () => [localTemplatePlugin({ emit: false })] },
  optimizeDeps: {
    exclude: ['@electric-sql/pglite', '@electric-sql/pglite-pgvector'],
  },
} satisfies UserConfig;

export default defineConfig({
  ...rendererShared,
  plugins: [react(), contentSecurityPolicy(), localTemplatePlugin(), serviceWorkerManifest()],
  server: { host: '127.0.0.1', port: 5173, ...(devHttps ? { https: devHttps } : {}) },
  preview: { host: '127.0.0.1', port: 4173 },
  build: {
    outDir: resolve(import.meta.dirname, 'dist-web'),
    emptyOutDir: true,
    rolldownOptions: {
      input: { main: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});

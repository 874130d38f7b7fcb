/**
 * vite.harness.config.ts: the test harness pages, built apart from the product so that neither the
 * web build users get (dist-web/, which the service worker caches) nor the Electron build contains
 * them: `npm run harness:build` writes dist-harness/, `npm run harness:preview` serves it.
 *
 *   harness/engine.html      the core in a Web Worker, driven through the RPC contract by
 *                            e2e/engine-contract.spec.ts (renderer/harness/engine.ts)
 *   harness/grid-bench.html  the explorer's DataGrid over synthetic rows, for bench/grid.ts
 *
 * Same renderer root, plugins, CSP meta tag and worker settings as vite.web.config.ts, so the engine
 * worker is bundled exactly as in the app; no service worker manifest, no index.html. The end-to-end
 * run serves it on its own port beside the app's (playwright.config.ts).
 */
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { localTemplatePlugin } from './scripts/build/local-template.ts';
import { contentSecurityPolicy, rendererShared } from './vite.web.config.ts';

export default defineConfig({
  ...rendererShared,
  appType: 'mpa',
  plugins: [react(), contentSecurityPolicy(), localTemplatePlugin()],
  server: { host: '127.0.0.1', port: 5174 },
  preview: { host: '127.0.0.1', port: 4174 },
  build: {
    outDir: resolve(import.meta.dirname, 'dist-harness'),
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        'harness-engine': resolve(import.meta.dirname, 'renderer/harness/engine.html'),
        'harness-grid-bench': resolve(import.meta.dirname, 'renderer/harness/grid-bench.html'),
      },
    },
  },
});

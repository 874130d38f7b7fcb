/**
 * electron.vite.config.ts: builds the three Electron bundles into out/.
 *   main     out/main/index.js      (ESM, Node + Electron)
 *            out/main/core.js       (the engine's Electron utility process: core/host/utility-process-entry.ts)
 *   preload  out/preload/index.cjs  (CommonJS: required for `sandbox: true`)
 *   renderer out/renderer/          (the same React app the browser host serves)
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { localTemplatePlugin } from './scripts/build/local-template.ts';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'main/index.ts'),
          core: resolve(import.meta.dirname, 'core/host/utility-process-entry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    // The browser host's engine worker is bundled here too (renderer/platform/connect.ts), though Electron
    // runs the engine in a utility process: its template module resolves to "no template". Workers are
    // ES modules, as in the browser host: Monaco's TypeScript worker is split into chunks, which a
    // classic worker cannot load (renderer/workspaces/monaco.ts).
    worker: { format: 'es', plugins: () => [localTemplatePlugin({ template: false })] },
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});

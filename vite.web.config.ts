/**
 * vite.web.config.ts: the browser host. Serves (`npm run web`) and builds (`npm run web:build`,
 * into dist-web/) the same renderer as Electron, without the preload bridge. The production build
 * carries a Content Security Policy meta tag equivalent to the one Electron's main process sets.
 */
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './common/host/content-security-policy.ts';

function contentSecurityPolicy(): Plugin {
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

export default defineConfig({
  root: resolve(import.meta.dirname, 'renderer'),
  plugins: [react(), contentSecurityPolicy()],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { outDir: resolve(import.meta.dirname, 'dist-web'), emptyOutDir: true },
});

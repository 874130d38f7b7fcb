/**
 * playwright.config.ts: end-to-end tests in Debian's Chromium (/usr/bin/chromium), never a
 * downloaded browser. The web server is the production web build (`npm run web:build`) served by
 * `vite preview`, so the tests see what users get, CSP included. The global setup
 * (e2e/global-setup.ts) starts the central side once per run: a throwaway Postgres with a seeded
 * database and the gated sync server over HTTPS/HTTP/2; its returned function tears them down.
 */
import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

const chromium = process.env['OUTPOST_CHROMIUM'] ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  throw new Error(`Chromium was not found at ${chromium}. Install it with: sudo scripts/setup-system`);
}
const port = Number(process.env['OUTPOST_E2E_PORT'] ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  reporter: process.env['CI']
    ? [['list']]
    : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npm run web:build && npm run web:preview -- --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env['CI'],
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

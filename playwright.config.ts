/**
 * playwright.config.ts: end-to-end tests in Debian's Chromium (/usr/bin/chromium), never a
 * downloaded browser. Two web servers, each a `vite preview` of a production build, CSP included:
 *
 *   project app      the web build users get (`npm run web:build`, dist-web/)     OUTPOST_E2E_PORT (4173)
 *   project harness  the test harness pages (`npm run harness:build`, dist-harness/, never shipped):
 *                    e2e/engine-contract.spec.ts                     OUTPOST_E2E_HARNESS_PORT (app port + 1)
 *
 * so the app's tests see exactly what users get, and the harness is not part of it. The global setup
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
const harnessPort = Number(process.env['OUTPOST_E2E_HARNESS_PORT'] ?? port + 1);
const HARNESS_SPECS = /engine-contract\.spec\.ts$/;

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
  // Waits for states, with room for a loaded 2-core machine: a local query answered in 50 ms when quiet
  // took over 5 s while other suites ran. Speed is measured by the benchmarks (bench/), not here.
  expect: { timeout: 20_000 },
  projects: [
    { name: 'app', testIgnore: HARNESS_SPECS, use: { baseURL: `http://127.0.0.1:${port}` } },
    { name: 'harness', testMatch: HARNESS_SPECS, use: { baseURL: `http://127.0.0.1:${harnessPort}` } },
  ],
  use: {
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
  webServer: [
    {
      command: `npm run web:build && npm run web:preview -- --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}`,
      reuseExistingServer: !process.env['CI'],
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `npm run harness:build && npm run harness:preview -- --port ${harnessPort} --strictPort`,
      url: `http://127.0.0.1:${harnessPort}/harness/engine.html`,
      reuseExistingServer: !process.env['CI'],
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});

/**
 * Smoke: the web build opens in Chromium and shows the app's shell, in browser mode, with the
 * production Content Security Policy in force and no script errors; and it is only the app: the test
 * harness pages are a separate build (vite.harness.config.ts).
 */
import { expect, test } from '@playwright/test';

test('opens the web build and shows the app shell', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });

  await page.goto('/');
  const shell = page.getByTestId('app-shell');
  await expect(shell).toBeVisible();
  await expect(shell).toHaveAttribute('data-host', 'browser');
  await expect(page.getByRole('banner')).toContainText('Outpost');
  await expect(page).toHaveTitle('Outpost');

  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");

  await page.screenshot({ path: testInfo.outputPath('shell.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('the web build users get holds no test harness page', async ({ request }) => {
  const manifest = (await (await request.get('/sw-manifest.json')).json()) as { files: string[] };
  expect(manifest.files.length).toBeGreaterThan(3);
  expect(manifest.files.filter((file) => file.includes('harness'))).toEqual([]);
  for (const page of ['/harness/engine.html', '/harness/grid-bench.html']) {
    const body = await (await request.get(page)).text();
    expect(body, page).not.toContain('harness');
  }
});

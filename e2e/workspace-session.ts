/**
 * e2e/workspace-session.ts: what the workspace specs share: a connection to the central database for
 * the spec's checks, a screenshot attached to the run, and signing in as acme's admin to open a
 * workspace once it has synced.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import pg from 'pg';

export const serverUrl = process.env['OUTPOST_E2E_SYNC_URL'] ?? '';
export const centralUrl = process.env['OUTPOST_E2E_CENTRAL_URL'] ?? '';
const PASSWORD = 'outpost-demo';

/** The central database, connected before the spec's tests and closed after them. */
export function centralConnection(): () => pg.Client {
  let central: pg.Client | null = null;
  test.beforeAll(async () => {
    expect(serverUrl, 'e2e/global-setup.ts sets OUTPOST_E2E_SYNC_URL').toMatch(/^https:\/\//);
    central = new pg.Client({ connectionString: centralUrl });
    await central.connect();
  });
  test.afterAll(async () => {
    await central?.end().catch(() => undefined);
  });
  return () => {
    if (!central) throw new Error('the central database is connected in beforeAll');
    return central;
  };
}

export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/**
 * Signs in as acme's admin and opens `workspace` once it has synced. A first sign-in syncs everything
 * acme's admin may read, which takes many minutes on a loaded 2-core machine; this waits only for the
 * workspace to arrive. (While the first sync runs, a token refresh can bring the app back to Home: g w
 * again then.)
 */
export async function signInAndOpen(page: Page, workspace: string, workspaceId: string): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Outpost' })).toBeVisible();
  await page.getByLabel('Server').fill(serverUrl);
  await page.getByLabel('Tenant').fill('acme');
  await page.getByLabel('Email').fill('admin@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('app-shell')).toBeVisible({ timeout: 120_000 });
  const item = page.getByTestId('workspace-item').filter({ hasText: workspace }).first();
  await expect(async () => {
    if (!(await page.getByRole('heading', { level: 1, name: 'Workspaces' }).isVisible())) {
      await page.locator('body').focus();
      await page.keyboard.press('g');
      await page.keyboard.press('w');
      await expect(page.getByRole('heading', { level: 1, name: 'Workspaces' })).toBeVisible();
    }
    await expect(item).toBeVisible({ timeout: 30_000 });
  }).toPass({ timeout: 900_000 });
  await expect(item).toContainText(/[1-9]\d* files/, { timeout: 300_000 });
  await item.click();
  await expect(page.getByRole('heading', { level: 1, name: workspace })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/workspaces/${workspaceId}$`));
}

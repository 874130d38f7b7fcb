/**
 * e2e/offline-session.ts: the start most device specs share: sign in with the seed's demo password,
 * wait for the first sync to finish, then cut the network and reload, so that what follows reads the
 * device's database only.
 *
 * Waits are for states, with room for a loaded machine: the first sign-in migrates and fills the
 * device's database (minutes), and reopening it after the reload takes minutes too.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'outpost-demo';

export async function signInThenGoOffline(
  context: BrowserContext,
  page: Page,
  account: {
    readonly serverUrl: string;
    readonly tenant: string;
    readonly email: string;
    readonly home: string;
  },
): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Outpost' })).toBeVisible();
  await page.getByLabel('Server').fill(account.serverUrl);
  await page.getByLabel('Tenant').fill(account.tenant);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date', {
    timeout: 900_000,
  });
  await context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: 60_000 });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: account.home })).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: 60_000 });
}

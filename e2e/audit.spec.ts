/**
 * The audit timeline as acme's admin (audit:read) meets it, in Chromium against the real sync server and
 * the seeded central Postgres (e2e/global-setup.ts; the seed writes each tenant's audit log through the
 * 0051 chain trigger):
 *
 *   sign in, sync ─► g a: the timeline, newest first, actors by name (no ids), j / k move, details
 *   show the changes before → after ─► Verify chain: intact, first and last link
 *   ─► one audit row altered centrally (as a superuser with triggers off: nothing else may) ─► synced
 *   ─► Verify chain: broken at exactly that row, which is highlighted and scrolled to
 *
 * Screenshots at 1440×900 are attached to the run (test-results/e2e/).
 */
import { expect, test, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import pg from 'pg';

const serverUrl = process.env['OUTPOST_E2E_SYNC_URL'] ?? '';
const centralUrl = process.env['OUTPOST_E2E_CENTRAL_URL'] ?? '';
const PASSWORD = 'outpost-demo';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let context: BrowserContext;
let page: Page;
let central: pg.Client;

async function shot(testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  expect(serverUrl, 'e2e/global-setup.ts sets OUTPOST_E2E_SYNC_URL').toMatch(/^https:\/\//);
  central = new pg.Client({ connectionString: centralUrl });
  await central.connect();
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close().catch(() => undefined);
  await central?.end().catch(() => undefined);
});

test('the audit timeline names its actors, verifies the chain, and finds a row altered centrally', async () => {
  const testInfo = test.info();
  test.setTimeout(1_200_000);
  await page.goto('/');
  await page.getByLabel('Server').fill(serverUrl);
  await page.getByLabel('Tenant').fill('acme');
  await page.getByLabel('Email').fill('admin@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // The first sign-in migrates and fills the device's database: minutes on a loaded machine.
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date', {
    timeout: 900_000,
  });

  const { rows: newest } = await central.query<{ actor: string | null; actor_type: string }>(
    `SELECT coalesce(nullif(btrim(u.full_name), ''), u.email) AS actor, l.actor_type
       FROM audit_logs l JOIN tenants t ON t.id = l.tenant_id LEFT JOIN users u ON u.id = l.actor_id
      WHERE t.slug = 'acme' ORDER BY l.created_at DESC, l.chain_seq DESC LIMIT 1`,
  );
  const first = newest[0]!;

  // g a opens the timeline, newest first, the actor by name and no ids anywhere in the list.
  // (Again if a loaded machine let the chord's second key come after its window.)
  await expect(async () => {
    await page.locator('body').press('g');
    await page.locator('body').press('a');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  const events = page.getByTestId('audit-event');
  await expect(events.first()).toBeVisible({ timeout: 60_000 });
  await expect(events.first()).toContainText(first.actor ?? /System|Assistant|Service account/);
  expect(await page.locator('#audit-list').innerText()).not.toMatch(UUID);

  // j / k move the active event; its details show beside the list.
  await page.locator('#audit-list').focus();
  await page.keyboard.press('j');
  await expect(events.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(events.nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('audit-detail')).toBeVisible();
  await shot(testInfo, 'audit-timeline');

  // Verify chain: intact, with its first and last link.
  await page.getByTestId('audit-verify').click();
  const verdict = page.getByTestId('audit-verdict');
  await expect(verdict).toHaveAttribute('data-state', 'intact', { timeout: 120_000 });
  await expect(verdict).toContainText('First link: event 1');
  await shot(testInfo, 'audit-verified');

  // One row altered centrally, as only a superuser with triggers off can (0051 refuses it otherwise).
  const { rows: target } = await central.query<{ id: string; chain_seq: string; tenant_id: string }>(
    `SELECT l.id::text AS id, l.chain_seq::text AS chain_seq, l.tenant_id::text AS tenant_id
       FROM audit_logs l JOIN tenants t ON t.id = l.tenant_id
      WHERE t.slug = 'acme' ORDER BY l.chain_seq DESC OFFSET 5 LIMIT 1`,
  );
  const altered = target[0]!;
  await central.query('BEGIN');
  await central.query('SET LOCAL session_replication_role = replica');
  await central.query(
    `UPDATE audit_logs SET metadata = coalesce(metadata, '{}'::jsonb) || '{"tampered": true}'::jsonb
      WHERE tenant_id = $1 AND chain_seq = $2`,
    [altered.tenant_id, altered.chain_seq],
  );
  await central.query('COMMIT');
  const { rows: server } = await central.query<{ broken_id: string }>(
    `SELECT broken_id::text AS broken_id FROM verify_audit_chain($1)`,
    [altered.tenant_id],
  );
  expect(server[0]?.broken_id).toBe(altered.id);

  // Once the change has synced, the device's verification points at that row.
  await expect(async () => {
    await page.getByTestId('audit-verify').click();
    await expect(verdict).toHaveAttribute('data-state', /intact|broken/, { timeout: 60_000 });
    await expect(verdict).toHaveAttribute('data-state', 'broken', { timeout: 1_000 });
  }).toPass({ timeout: 300_000 });
  await expect(verdict).toHaveAttribute('data-kind', 'altered');
  await expect(verdict).toContainText(`event ${altered.chain_seq}`);
  const brokenRow = page.locator(`#audit-event-${altered.id}`);
  await expect(brokenRow).toHaveAttribute('data-broken', 'true');
  await expect(brokenRow).toHaveAttribute('aria-selected', 'true');
  await expect(brokenRow).toBeInViewport();
  await shot(testInfo, 'audit-broken');
});

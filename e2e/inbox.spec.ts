/**
 * The approvals inbox as an approver meets it, in Chromium against the real sync server and the seeded
 * central Postgres (e2e/global-setup.ts): acme's approver signs in on a device of their own; approvals
 * made for them centrally (titles starting with a run-unique tag, so the seed's own items do not
 * matter) wait in the inbox, by urgency, by name; every decision is made from the keyboard:
 *
 *   g i opens the inbox (count in the nav and the window title) ─► / searches ─► j / k move
 *   a approves (held on the device: z takes it back; then it reaches the server, approved_by = them)
 *   r asks for a reason (an empty one is refused with a sentence) ─► rejected with that reason
 *   x, j, Shift+x select a range ─► r rejects the selection with one reason
 *   offline, a decides ─► waiting to sync; someone else decides first centrally ─► back online, the
 *   server refuses, and the decision stays on screen with the reason until dismissed
 *
 * Screenshots of each state are attached to the run (test-results/e2e/).
 */
import { expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import pg from 'pg';

const serverUrl = process.env['OUTPOST_E2E_SYNC_URL'] ?? '';
const centralUrl = process.env['OUTPOST_E2E_CENTRAL_URL'] ?? '';
const PASSWORD = 'outpost-demo';
const TAG = `Inbox ${Date.now().toString(36)}`;

let browser: Browser;
let central: pg.Client;
let device: { context: BrowserContext; page: Page };
let approverId = '';
let adminId = '';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function userId(email: string): Promise<string> {
  const { rows } = await central.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  const id = rows[0]?.id;
  if (!id) throw new Error(`the seed has no user ${email}`);
  return id;
}

/** An approval for acme's approver, asked by acme's admin, behind a work item with some context. */
async function approvalFor(title: string, risk: number, expiresInHours: number): Promise<string> {
  const { rows } = await central.query<{ id: string }>(
    `WITH t AS (SELECT id FROM tenants WHERE slug = 'acme'),
          wi AS (
            INSERT INTO work_items (tenant_id, assistant_id, title, status, priority, risk_level, estimated_cost,
                                    context, created_by)
            SELECT t.id, a.id, $1 || ' (work)', 'awaiting_approval', 2, $2, 250.75,
                   '{"vendor": "Northwind Traders", "lines": 3}'::jsonb, $4::uuid
              FROM t JOIN assistants a ON a.tenant_id = t.id
             ORDER BY a.name LIMIT 1
            RETURNING id, tenant_id)
     INSERT INTO approvals (tenant_id, work_item_id, title, description, risk_level, requested_by, approver_ids,
                            expires_at)
     SELECT wi.tenant_id, wi.id, $1, 'Asked for by the e2e run.', $2, $4::uuid, ARRAY[$3::uuid],
            now() + $5::int * interval '1 hour'
       FROM wi RETURNING id`,
    [title, risk, approverId, adminId, expiresInHours],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('acme has no assistant to own a work item');
  return id;
}

async function approval(
  id: string,
): Promise<{ status: string; approved_by: string | null; reason: string | null }> {
  const { rows } = await central.query<{ status: string; approved_by: string | null; reason: string | null }>(
    `SELECT status, approved_by::text AS approved_by, rejected_reason AS reason FROM approvals WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new Error(`no approval ${id}`);
  return row;
}

const item = (page: Page, title: string) => page.getByTestId('inbox-item').filter({ hasText: title });
const activeTitle = (page: Page) =>
  page.locator('[data-testid="inbox-item"][aria-selected="true"] .inbox-title');
const decision = (page: Page, title: string) => page.getByTestId('inbox-decision').filter({ hasText: title });

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser: shared }) => {
  expect(serverUrl, 'e2e/global-setup.ts sets OUTPOST_E2E_SYNC_URL').toMatch(/^https:\/\//);
  browser = shared;
  central = new pg.Client({ connectionString: centralUrl });
  await central.connect();
  approverId = await userId('approver@acme.test');
  adminId = await userId('admin@acme.test');
});

test.afterAll(async () => {
  await device?.context.close().catch(() => undefined);
  await central?.end().catch(() => undefined);
});

test('an approver triages the inbox from the keyboard: search, move, approve, undo, reject with a reason', async () => {
  const testInfo = test.info();
  test.setTimeout(360_000);
  const urgent = await approvalFor(`${TAG} pay the Q4 freight invoice`, 4, 2);
  const later = await approvalFor(`${TAG} renew the support contract`, 2, 30);
  const bulkA = await approvalFor(`${TAG} bulk refund A`, 1, 40);
  const bulkB = await approvalFor(`${TAG} bulk refund B`, 1, 41);

  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
  });
  device = { context, page: await context.newPage() };
  const { page } = device;
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Outpost' })).toBeVisible();
  await page.getByLabel('Server').fill(serverUrl);
  await page.getByLabel('Tenant').fill('acme');
  await page.getByLabel('Email').fill('approver@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date', {
    timeout: 300_000,
  });

  // g i: the inbox, with the count in the nav and the title.
  await page.locator('body').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await expect(item(page, TAG)).toHaveCount(4);
  const badge = page.getByTestId('inbox-badge');
  await expect(badge).toHaveText(/^\d+$/);
  expect(Number(await badge.textContent())).toBeGreaterThanOrEqual(4);
  await expect(page).toHaveTitle(/^\(\d+\) Outpost$/);
  await shot(page, testInfo, 'inbox');

  // / searches; Enter goes back to the list with the most urgent match active.
  await page.keyboard.press('/');
  await expect(page.getByTestId('inbox-search')).toBeFocused();
  await page.keyboard.type(TAG);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inbox-item')).toHaveCount(4);
  await expect(activeTitle(page)).toHaveText(`${TAG} pay the Q4 freight invoice`);
  // The detail pane names the people and shows the work item's context readably.
  const detail = page.getByTestId('inbox-detail');
  await expect(detail).toContainText('Requested by');
  await expect(detail).toContainText('Northwind Traders');
  await expect(detail).toContainText('estimated');
  await expect(detail).toContainText(/\(you\)/);
  await expect(detail.getByTestId('inbox-countdown')).toHaveText(/\d+ (h|min) .*left/);
  await expect(detail).not.toContainText(approverId);
  await shot(page, testInfo, 'inbox-detail');

  await page.keyboard.press('j');
  await expect(activeTitle(page)).toHaveText(`${TAG} renew the support contract`);
  await page.keyboard.press('k');
  await expect(activeTitle(page)).toHaveText(`${TAG} pay the Q4 freight invoice`);

  // a approves at once; z takes it back before the server sees it.
  await page.keyboard.press('a');
  await expect(item(page, 'pay the Q4 freight invoice')).toHaveCount(0);
  await expect(decision(page, 'pay the Q4 freight invoice')).toContainText(/z to undo/);
  await shot(page, testInfo, 'inbox-decided');
  await page.keyboard.press('z');
  await expect(page.getByTestId('inbox-notice')).toContainText('Undone');
  await expect(item(page, 'pay the Q4 freight invoice')).toHaveCount(1);
  await expect(decision(page, 'pay the Q4 freight invoice')).toHaveCount(0);
  expect((await approval(urgent)).status).toBe('pending');

  // a again, and let it go: it reaches the server as the approver's decision.
  await expect(activeTitle(page)).toHaveText(`${TAG} pay the Q4 freight invoice`);
  await page.keyboard.press('a');
  await expect(decision(page, 'pay the Q4 freight invoice').getByTestId('inbox-decision-outcome')).toHaveText(
    'On the server',
    { timeout: 60_000 },
  );
  expect(await approval(urgent)).toMatchObject({ status: 'approved', approved_by: approverId });

  // r asks for a reason, with the focus in its field; an empty one is refused with a sentence.
  await expect(activeTitle(page)).toHaveText(`${TAG} renew the support contract`);
  await page.keyboard.press('r');
  const dialog = page.getByTestId('reject-dialog');
  await expect(dialog.getByLabel('Reason (required)')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('Say why you reject: the requester reads this reason.');
  await shot(page, testInfo, 'inbox-reject-reason');
  await page.keyboard.type('The vendor changed; ask again with the new quote.');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(decision(page, 'renew the support contract').getByTestId('inbox-decision-outcome')).toHaveText(
    'On the server',
    { timeout: 60_000 },
  );
  expect(await approval(later)).toMatchObject({
    status: 'rejected',
    reason: 'The vendor changed; ask again with the new quote.',
  });

  // x, j, Shift+x: a range; r rejects the selection with one reason.
  await expect(activeTitle(page)).toHaveText(`${TAG} bulk refund A`);
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('Shift+X');
  await expect(page.getByTestId('inbox-count')).toContainText('2 selected');
  await shot(page, testInfo, 'inbox-selection');
  await page.keyboard.press('r');
  await expect(dialog).toContainText('Reject 2 items');
  await page.keyboard.type('Duplicate refunds');
  await page.keyboard.press('Enter');
  for (const title of ['bulk refund A', 'bulk refund B'])
    await expect(decision(page, title).getByTestId('inbox-decision-outcome')).toHaveText('On the server', {
      timeout: 60_000,
    });
  for (const id of [bulkA, bulkB])
    expect(await approval(id)).toMatchObject({ status: 'rejected', reason: 'Duplicate refunds' });
  await shot(page, testInfo, 'inbox-after-decisions');
});

test('a decision made offline that someone else beat is refused and stays on screen with the reason', async () => {
  const testInfo = test.info();
  test.setTimeout(240_000);
  const { context, page } = device;
  const contested = await approvalFor(`${TAG} contested purchase`, 3, 10);
  await expect(item(page, 'contested purchase')).toHaveCount(1, { timeout: 60_000 });

  await context.setOffline(true);
  await item(page, 'contested purchase').click();
  await page.keyboard.press('a');
  await expect(item(page, 'contested purchase')).toHaveCount(0);
  // Held, then an attempt that cannot reach the server: waiting to sync.
  await expect(decision(page, 'contested purchase').getByTestId('inbox-decision-outcome')).toHaveText(
    /^Waiting to sync/,
    { timeout: 60_000 },
  );
  // Someone else decides first, centrally.
  await central.query(
    `UPDATE approvals SET status = 'rejected', approved_by = $2, rejected_reason = 'Budget frozen' WHERE id = $1`,
    [contested, adminId],
  );
  await shot(page, testInfo, 'inbox-offline-decision');

  await context.setOffline(false);
  const outcome = decision(page, 'contested purchase').getByTestId('inbox-decision-outcome');
  await expect(outcome).toHaveText(/^Refused by the server: .*already rejected/, { timeout: 120_000 });
  expect(await approval(contested)).toMatchObject({ status: 'rejected', approved_by: adminId });
  await shot(page, testInfo, 'inbox-refused-decision');
  await decision(page, 'contested purchase').getByRole('button', { name: 'Dismiss' }).click();
  await expect(decision(page, 'contested purchase')).toHaveCount(0);
});

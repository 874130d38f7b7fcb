/**
 * The app as a user meets it, in Chromium against the real sync server and a seeded central Postgres
 * (e2e/global-setup.ts): sign in and sync, browse tables in the explorer (tenant isolation as the user
 * sees it), a holding user's several tenants and the tenant switcher, offline (status, reload with the
 * data, a change made offline that uploads when the network returns), keyboard-only use through the
 * palette, the palette and the shortcut sheet against the registry the app exposes, and one tab at a
 * time. Every main view is saved as a screenshot (test attachments, under
 * test-results/e2e/).
 *
 * The scenarios share one device (browser context) for acme's admin, in order: later ones build on
 * the data the first one synced.
 */
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type TestInfo,
} from '@playwright/test';
import pg from 'pg';
import { BrowserConsole } from './browser-console.ts';

const serverUrl = process.env['OUTPOST_E2E_SYNC_URL'] ?? '';
const centralUrl = process.env['OUTPOST_E2E_CENTRAL_URL'] ?? '';
const PASSWORD = 'outpost-demo';

let browser: Browser;
let central: pg.Client;
let acme: { context: BrowserContext; page: Page };
const contexts: BrowserContext[] = [];

async function tenant(slug: string): Promise<{ id: string; name: string }> {
  const { rows } = await central.query<{ id: string; name: string }>(
    `SELECT id, name FROM tenants WHERE slug = $1`,
    [slug],
  );
  const row = rows[0];
  if (!row) throw new Error(`the seed has no tenant ${slug}`);
  return row;
}

async function workflowCount(tenantIds: readonly string[]): Promise<number> {
  const { rows } = await central.query<{ n: string }>(
    `SELECT count(*) AS n FROM workflows WHERE tenant_id = ANY($1::uuid[])`,
    [tenantIds],
  );
  return Number(rows[0]?.n ?? -1);
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function newDevice(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
  });
  contexts.push(context);
  const page = await context.newPage();
  consoleLog.follow(page);
  return { context, page };
}

/** Console output of every device's page and workers, attached to a failed test. */
const consoleLog = new BrowserConsole();

async function signIn(page: Page, email: string, tenantSlug: string): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Outpost' })).toBeVisible();
  await page.getByLabel('Server').fill(serverUrl);
  await page.getByLabel('Tenant').fill(tenantSlug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function waitUpToDate(page: Page, timeout = 240_000): Promise<void> {
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date', { timeout });
}

/** The grid's "N rows" total once loaded. */
async function gridTotal(page: Page): Promise<number> {
  const total = page.getByTestId('row-total');
  await expect(total).toHaveText(/^[\d,]+ [a-z ]+$/, { timeout: 30_000 });
  return Number((await total.textContent())?.replace(/[^\d]/g, ''));
}

async function openTable(page: Page, table: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Tables' })
    .getByRole('link', { name: table, exact: false })
    .first()
    .click();
  await expect(page.getByRole('heading', { level: 1, name: table })).toBeVisible();
}

/** Text of every rendered cell of one column. */
async function columnTexts(page: Page, column: string): Promise<string[]> {
  const headers = await page.getByRole('columnheader').allTextContents();
  const index = headers.findIndex((h) => h.replace(/[▲▼]/g, '').trim() === column);
  expect(index, `column ${column} in ${headers.join(',')}`).toBeGreaterThanOrEqual(0);
  type RowElement = { children: ArrayLike<{ textContent: string | null }> };
  return page
    .locator('.grid-body [role=row]')
    .evaluateAll(
      (rows, i: number): string[] =>
        rows.map((r) => (r as unknown as RowElement).children[i]?.textContent ?? ''),
      index,
    );
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser: shared }) => {
  expect(serverUrl, 'e2e/global-setup.ts sets OUTPOST_E2E_SYNC_URL').toMatch(/^https:\/\//);
  browser = shared;
  central = new pg.Client({ connectionString: centralUrl });
  await central.connect();
});

test.afterEach(() => consoleLog.attachIfFailed());

test.afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await central?.end().catch(() => undefined);
});

test('signs in as the acme admin, syncs, and the explorer shows acme rows only', async () => {
  const testInfo = test.info();
  test.setTimeout(300_000);
  acme = await newDevice();
  const { page } = acme;
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Outpost' })).toBeVisible();
  await shot(page, testInfo, 'sign-in');

  await signIn(page, 'admin@acme.test', 'acme');
  await waitUpToDate(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme' })).toBeVisible();
  await expect(page.getByTestId('account')).toContainText('admin@acme.test');
  // Home followed the data as it arrived: what waits for the admin (work items awaiting approval).
  await expect(page.getByTestId('home-waiting')).toContainText(/\d+ work items? awaiting approval/);
  await shot(page, testInfo, 'home');
  // The same views before records were shown in people's terms (issue "Room for domain views").
  for (const name of ['home', 'explorer', 'row-detail', 'holding-home'])
    await testInfo.attach(`before-${name}`, {
      path: `e2e/screenshots/before/${name}.png`,
      contentType: 'image/png',
    });

  const acmeTenant = await tenant('acme');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Explorer' }).click();
  await openTable(page, 'workflows');
  const total = await gridTotal(page);
  expect(total).toBe(await workflowCount([acmeTenant.id]));
  const { rows } = await central.query<{ n: string }>(`SELECT count(*) AS n FROM workflows`);
  expect(Number(rows[0]?.n), 'other tenants have workflows centrally').toBeGreaterThan(total);
  // One tenant: no tenant column (every row is acme's); the record's own fields come first, the id
  // after them.
  const headers = (await page.getByRole('columnheader').allTextContents()).map((h) => h.trim());
  expect(headers).not.toContain('Tenant');
  expect(headers[0]).toBe('Name');
  expect(headers.indexOf('ID')).toBeGreaterThan(headers.indexOf('Status'));
  await shot(page, testInfo, 'explorer');

  // Sort by a header click (ascending, then descending), and filter.
  const names = (
    await central.query<{ name: string }>(`SELECT name FROM workflows WHERE tenant_id = $1`, [acmeTenant.id])
  ).rows.map((r) => r.name);
  const byName = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const header = page.getByRole('columnheader', { name: 'Name', exact: true });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => columnTexts(page, 'Name')).toEqual(byName);
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => columnTexts(page, 'Name')).toEqual([...byName].reverse());
  const word = (byName[0] ?? '').split(' ')[0] ?? '';
  await page.getByLabel('Filter column').selectOption('name');
  await page.getByLabel('Filter operator').selectOption('contains');
  await page.getByLabel('Filter value').fill(word);
  await page.getByRole('button', { name: 'Add filter' }).click();
  await expect
    .poll(() => columnTexts(page, 'Name'))
    .toEqual([...byName].reverse().filter((n) => n.toLowerCase().includes(word.toLowerCase())));
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect.poll(() => gridTotal(page)).toBe(total);
  await header.getByRole('button').click(); // back to unsorted
  await page.getByRole('grid').focus();

  // The grid has the keyboard after opening a table: the first row opens with Enter.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('row-detail')).toBeVisible();
  await shot(page, testInfo, 'row-detail');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('row-detail')).toBeHidden();
});

/** Opens one row of a table in the explorer by an exact filter on one column. */
async function openRow(page: Page, table: string, column: string, value: string): Promise<Locator> {
  // Through Home, so the table opens afresh, without the filters of a previous visit.
  await page.goto('/#/');
  await page.goto(`/#/explorer/${table}`);
  await page.getByLabel('Filter column').selectOption(column);
  await page.getByLabel('Filter operator').selectOption('eq');
  await page.getByLabel('Filter value').fill(value);
  await page.getByRole('button', { name: 'Add filter' }).click();
  await expect.poll(() => gridTotal(page), { timeout: 60_000 }).toBe(1);
  await page.locator('.grid-body [role=row]').first().click();
  const detail = page.getByTestId('row-detail');
  await expect(detail).toBeVisible();
  return detail;
}

/** A work item of acme in `status`, created centrally; its id once the device has it. */
async function acmeWorkItem(title: string, status: string): Promise<string> {
  const acmeTenant = await tenant('acme');
  const { rows } = await central.query<{ id: string }>(
    `INSERT INTO work_items (tenant_id, assistant_id, title, status, priority, estimated_cost, due_at)
     SELECT $1, a.id, $2, $3, 2, 1234.5, now() + interval '3 days' FROM assistants a
      WHERE a.tenant_id = $1 ORDER BY a.name LIMIT 1 RETURNING id`,
    [acmeTenant.id, title, status],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('acme has no assistant to own a work item');
  return id;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

test('a work item moves only through the transitions its lifecycle allows', async () => {
  const testInfo = test.info();
  test.setTimeout(240_000);
  const { page } = acme;
  const title = `Reconcile November payouts ${Date.now()}`;
  const id = await acmeWorkItem(title, 'backlog');
  const detail = await openRow(page, 'work_items', 'title', title);
  const status = detail.locator('[data-column=status]');
  await expect(status.locator('.badge')).toHaveText('Backlog');
  // No editor for the state: only the moves a person may make from here.
  await expect(status.locator('select, input')).toHaveCount(0);
  const moves = status.getByRole('group', { name: 'Change the state' }).getByRole('button');
  await expect(moves).toHaveText(['Cancel']);
  await shot(page, testInfo, 'work-item-transitions');
  await moves.first().click();
  await expect(status.locator('.badge')).toHaveText('Cancelled');
  await expect(status).toContainText('Cancelled is final.');
  await expect(status.getByRole('button')).toHaveCount(0);
  await expect(detail.getByTestId('write-state')).toHaveAttribute('data-status', 'synced', {
    timeout: 90_000,
  });
  const after = await central.query<{ status: string }>(`SELECT status FROM work_items WHERE id = $1`, [id]);
  expect(after.rows[0]?.status).toBe('cancelled');

  // A failed item may be retried or cancelled; the server refuses what the lifecycle refuses.
  const failedTitle = `Post failed journal ${Date.now()}`;
  await acmeWorkItem(failedTitle, 'failed');
  const failed = await openRow(page, 'work_items', 'title', failedTitle);
  await expect(
    failed
      .locator('[data-column=status]')
      .getByRole('group', { name: 'Change the state' })
      .getByRole('button'),
  ).toHaveText(['Retry', 'Cancel']);
});

test('references, dates and money read as names, local times and amounts', async () => {
  const testInfo = test.info();
  test.setTimeout(180_000);
  const { page } = acme;
  const title = `Approve the Q4 accrual ${Date.now()}`;
  await acmeWorkItem(title, 'in_progress');
  const detail = await openRow(page, 'work_items', 'title', title);
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(title);
  const assistant = detail.locator('[data-column=assistant_id]');
  await expect(assistant.locator('.reference')).not.toHaveText(UUID);
  const { rows } = await central.query<{ name: string }>(
    `SELECT a.name FROM work_items w JOIN assistants a ON a.id = w.assistant_id WHERE w.title = $1`,
    [title],
  );
  await expect(assistant).toContainText(rows[0]?.name ?? 'missing');
  // Money with its currency, a local time with a relative hint.
  await expect(detail.locator('[data-column=estimated_cost]')).toContainText('$1,234.50');
  const due = detail.locator('[data-column=due_at] time');
  await expect(due).toHaveText(/\d{4}.*· in (2|3) days/);
  await expect(due).not.toHaveText(/T\d{2}:\d{2}:\d{2}/);
  await shot(page, testInfo, 'row-detail-work-item');

  // The grid names references too: no column of references shows an id.
  await page.keyboard.press('Escape');
  const assistants = await columnTexts(page, 'Assistant');
  expect(assistants.length).toBeGreaterThan(0);
  for (const text of assistants) expect(text).not.toMatch(UUID);

  // An approval: requester, approvers and work item by name.
  await page.goto('/#/explorer/approvals');
  await expect(page.getByRole('heading', { level: 1, name: 'Approvals' })).toBeVisible();
  expect(await gridTotal(page)).toBeGreaterThan(0);
  for (const column of ['Work item', 'Requested by', 'Approvers'])
    for (const text of await columnTexts(page, column)) expect(text, column).not.toMatch(UUID);
  await page.locator('.grid-body [role=row]').first().click();
  const approval = page.getByTestId('row-detail');
  await expect(approval.locator('[data-column=approver_ids] li').first()).not.toHaveText(UUID);
  await shot(page, testInfo, 'row-detail');
});

test('a refused write shows a sentence naming the field and the rule, not a database message', async () => {
  test.setTimeout(120_000);
  const { page } = acme;
  const title = `Rank the vendors ${Date.now()}`;
  await acmeWorkItem(title, 'backlog');
  const detail = await openRow(page, 'work_items', 'title', title);
  await detail.getByRole('button', { name: 'Edit', exact: true }).click();
  await detail.getByLabel('Priority', { exact: true }).fill('9');
  await detail.getByRole('button', { name: 'Save changes' }).click();
  const problem = detail.locator('[data-column=priority] .field-problem');
  await expect(problem).toHaveText('Priority must be between 1 and 5.');
  await expect(detail).not.toContainText('violates');
  await expect(detail).not.toContainText('constraint');
  // Nothing was queued, and what was typed is still there.
  await expect(page.getByTestId('pending-count')).toBeHidden();
  await expect(detail.getByLabel('Priority', { exact: true })).toHaveValue('9');
});

test('a holding user sees the rows of both subsidiaries and can narrow to one tenant', async () => {
  const testInfo = test.info();
  test.setTimeout(300_000);
  const holding = await tenant('northwind');
  const retail = await tenant('northwind-retail');
  const labs = await tenant('northwind-labs');
  // An approval in each subsidiary waits for the holding's admin (asked by the subsidiary's admin).
  const tag = `Holding ${Date.now().toString(36)}`;
  await central.query(
    `WITH wi AS (
       INSERT INTO work_items (tenant_id, assistant_id, title, status, priority, risk_level, created_by)
       SELECT t.id, (SELECT a.id FROM assistants a WHERE a.tenant_id = t.id ORDER BY a.name LIMIT 1),
              $1 || ' ' || t.slug || ' (work)', 'awaiting_approval', 2, 2,
              (SELECT id FROM users WHERE email = 'admin@' || t.slug || '.test')
         FROM tenants t WHERE t.id = ANY ($2::uuid[])
       RETURNING id, tenant_id, created_by)
     INSERT INTO approvals (tenant_id, work_item_id, title, risk_level, requested_by, approver_ids, expires_at)
     SELECT wi.tenant_id, wi.id, $1 || ' ' || t.slug, 2, wi.created_by,
            ARRAY[(SELECT id FROM users WHERE email = 'admin@northwind.test')], now() + interval '2 days'
       FROM wi JOIN tenants t ON t.id = wi.tenant_id`,
    [tag, [retail.id, labs.id]],
  );
  const { page } = await newDevice();
  await signIn(page, 'admin@northwind.test', 'northwind');
  await waitUpToDate(page);

  await page.goto('/#/explorer/workflows');
  await expect(page.getByRole('heading', { level: 1, name: 'Workflows' })).toBeVisible();
  const all = [holding.id, retail.id, labs.id];
  expect(await gridTotal(page)).toBe(await workflowCount(all));
  // The tenant column comes first and names the tenants.
  expect((await page.getByRole('columnheader').first().textContent())?.trim()).toBe('Tenant');
  const shown = new Set(await columnTexts(page, 'Tenant'));
  for (const sub of [retail, labs])
    if ((await workflowCount([sub.id])) > 0) expect([...shown]).toContain(sub.name);
  await shot(page, testInfo, 'holding-explorer');

  const switcher = page.getByTestId('tenant-switcher');
  await expect(switcher.locator('option')).toHaveCount(4);
  await switcher.selectOption({ label: retail.name });
  await expect
    .poll(async () => Number((await page.getByTestId('row-total').textContent())?.replace(/[^\d]/g, '')))
    .toBe(await workflowCount([retail.id]));
  expect(new Set(await columnTexts(page, 'Tenant'))).toEqual(new Set([retail.name]));
  await shot(page, testInfo, 'tenant-switcher');

  // Home follows the switcher: the chosen tenant by name, and what waits there.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await expect(page.getByTestId('home-title')).toHaveText(retail.name);
  await expect(page.getByTestId('home-scope')).toContainText(`Showing ${retail.name}, one of the 3 tenants`);
  await expect(page.getByTestId('home-waiting')).toBeVisible();
  await shot(page, testInfo, 'holding-home-scoped');
  await switcher.selectOption({ index: 0 });
  await expect(page.getByTestId('home-title')).toHaveText(holding.name);
  for (const sub of [retail, labs]) await expect(page.getByTestId('home-scope')).toContainText(sub.name);
  await expect(page.getByTestId('home-scope')).not.toHaveText(UUID);
  await shot(page, testInfo, 'holding-home');

  // The inbox lists the subsidiaries' items with their tenants' names.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: /^Inbox/ })
    .click();
  const waiting = page.getByTestId('inbox-item').filter({ hasText: tag });
  await expect(waiting).toHaveCount(2);
  await expect(waiting.filter({ hasText: 'northwind-retail' })).toContainText(retail.name);
  await expect(waiting.filter({ hasText: 'northwind-labs' })).toContainText(labs.name);
  await expect(page.getByTestId('inbox-list')).not.toContainText(UUID);
  await shot(page, testInfo, 'holding-inbox');
  // The inbox's tenant filter is the same scope as the title bar's switcher.
  await page.getByTestId('inbox-tenant').selectOption({ label: labs.name });
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText(labs.name);
  await expect(switcher).toHaveValue(labs.id);
  await page.getByTestId('inbox-tenant').selectOption({ index: 0 });
  await expect(waiting).toHaveCount(2);
});

test('offline: shows it, reloads with the data, and uploads a change made offline when back online', async () => {
  const testInfo = test.info();
  test.setTimeout(300_000);
  const { context, page } = acme;
  await page.goto('/#/explorer/workflows');
  await waitUpToDate(page, 60_000);
  const total = await gridTotal(page);

  await context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: 60_000 });
  await shot(page, testInfo, 'offline');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Workflows' })).toBeVisible({ timeout: 60_000 });
  expect(await gridTotal(page)).toBe(total);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: 60_000 });
  await shot(page, testInfo, 'offline-after-reload');

  // Edit the first row's name offline.
  await page.locator('.grid-body [role=row]').first().click();
  const detail = page.getByTestId('row-detail');
  await expect(detail).toBeVisible();
  await detail.getByRole('button', { name: 'Edit', exact: true }).click();
  const name = detail.getByLabel('Name', { exact: true });
  await expect(name).toBeVisible();
  await expect(detail.locator('#field-id')).toHaveText(/^[0-9a-f-]{36}$/);
  const id = (await detail.locator('#field-id').textContent())?.trim() ?? '';
  const renamed = `renamed offline ${Date.now()}`;
  await name.fill(renamed);
  await detail.getByRole('button', { name: 'Save changes' }).click();
  await expect(detail.getByTestId('write-state')).toHaveAttribute('data-status', 'pending');
  await expect(page.getByTestId('pending-count')).toHaveText('1 pending change');
  const before = await central.query<{ name: string }>(`SELECT name FROM workflows WHERE id = $1`, [id]);
  expect(before.rows[0]?.name).not.toBe(renamed);
  await shot(page, testInfo, 'pending-change');

  await context.setOffline(false);
  await expect(detail.getByTestId('write-state')).toHaveAttribute('data-status', 'synced', {
    timeout: 90_000,
  });
  await expect(page.getByTestId('pending-count')).toBeHidden();
  const after = await central.query<{ name: string }>(`SELECT name FROM workflows WHERE id = $1`, [id]);
  expect(after.rows[0]?.name).toBe(renamed);
  await waitUpToDate(page, 60_000);
});

test('a change the server refuses is rolled back and stays on screen with its reason until dismissed', async () => {
  test.setTimeout(180_000);
  const testInfo = test.info();
  const { context, page } = acme;
  const acmeTenant = await tenant('acme');
  const title = `to be refused ${Date.now()}`;
  const { rows } = await central.query<{ id: string }>(
    `INSERT INTO workflows (tenant_id, name) VALUES ($1, $2) RETURNING id`,
    [acmeTenant.id, title],
  );
  const id = rows[0]?.id ?? '';
  await page.goto('/#/explorer/workflows');
  await page.getByLabel('Filter column').selectOption('name');
  await page.getByLabel('Filter operator').selectOption('eq');
  await page.getByLabel('Filter value').fill(title);
  await page.getByRole('button', { name: 'Add filter' }).click();
  await expect.poll(() => gridTotal(page), { timeout: 30_000 }).toBe(1);
  await page.locator('.grid-body [role=row]').first().click();
  const detail = page.getByTestId('row-detail');
  await expect(detail.locator('#field-id')).toHaveText(id);

  await context.setOffline(true);
  await detail.getByRole('button', { name: 'Edit', exact: true }).click();
  await detail.getByLabel('Name', { exact: true }).fill(`${title} (edited)`);
  await detail.getByRole('button', { name: 'Save changes' }).click();
  await expect(detail.getByTestId('write-state')).toHaveAttribute('data-status', 'pending');
  await central.query(`DELETE FROM workflows WHERE id = $1`, [id]);
  await context.setOffline(false);

  const notice = page.getByTestId('rejected-notice');
  await expect(notice).toBeVisible({ timeout: 90_000 });
  // The reason is a sentence about the record, not a database message.
  await expect(notice).toContainText('Your change to a workflow was refused by the server');
  await expect(notice).toContainText('This workflow no longer exists, or you can no longer see it');
  await expect(notice).not.toContainText('row with id');
  await expect(detail.getByTestId('write-state')).toHaveAttribute('data-status', 'rejected');
  await shot(page, testInfo, 'rejected-change');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
  await expect.poll(() => gridTotal(page), { timeout: 30_000 }).toBe(0);
});

test('keyboard only: the palette navigates and runs actions, `?` lists the shortcuts', async () => {
  const testInfo = test.info();
  test.setTimeout(120_000);
  const { page } = acme;
  await page.goto('/#/');
  await expect(page.getByRole('heading', { level: 1, name: 'Acme' })).toBeVisible();

  await page.keyboard.press('Control+K');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await expect(palette.getByRole('combobox')).toBeFocused();
  await page.keyboard.type('workfl');
  await shot(page, testInfo, 'palette');
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Workflows' })).toBeVisible();
  await expect(page.getByRole('grid')).toBeFocused();
  expect(await gridTotal(page)).toBeGreaterThanOrEqual(3); // rows loaded: the arrows have rows to move over

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#grid-row-2')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('row-detail')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('row-detail')).toBeHidden();
  await expect(page.getByRole('grid')).toBeFocused();

  // The focus ring is visible where the keyboard is.
  const outline = await page
    .getByRole('grid')
    .evaluate(
      (el) =>
        (
          globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }
        ).getComputedStyle(el).outlineStyle,
    );
  expect(outline).not.toBe('none');

  await page.keyboard.press('Control+K');
  await page.keyboard.type('settings');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await shot(page, testInfo, 'settings');

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Open the command palette');
  await shot(page, testInfo, 'shortcuts');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.keyboard.press('g');
  await page.keyboard.press('h');
  await expect(page.getByRole('heading', { level: 1, name: 'Acme' })).toBeVisible();
});

/** The little of a DOM element these tests read in the page (e2e/ type-checks without the DOM library). */
interface ElementLike {
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { bottom: number };
  querySelector(selector: string): { scrollHeight: number; clientHeight: number } | null;
}

/** What the app exposes of its registry (renderer/app/expose-registry.ts), as plain data. */
interface ExposedRegistry {
  commands: { id: string; palette: boolean }[];
  keybindings: { keys: string; command: string }[];
  elementKeys: { keys: string[]; title: string }[];
  paletteEntryIds: string[];
}

async function exposedRegistry(page: Page): Promise<ExposedRegistry> {
  return page.evaluate(() => {
    type Exposed = Omit<ExposedRegistry, 'paletteEntryIds'> & { paletteEntryIds(): string[] };
    const registry = (globalThis as unknown as { __outpostRegistry?: Exposed }).__outpostRegistry;
    if (!registry) throw new Error('the app does not expose its registry');
    return {
      commands: registry.commands.map((c) => ({ id: c.id, palette: c.palette })),
      keybindings: registry.keybindings.map((k) => ({ keys: k.keys, command: k.command })),
      elementKeys: registry.elementKeys.map((e) => ({ keys: [...e.keys], title: e.title })),
      paletteEntryIds: registry.paletteEntryIds(),
    };
  });
}

test('the palette and the `?` sheet list exactly the registry, and single keys wait while typing', async () => {
  const testInfo = test.info();
  test.setTimeout(120_000);
  const { page } = acme;
  await page.goto('/#/explorer/workflows');
  await expect(page.getByRole('heading', { level: 1, name: 'Workflows' })).toBeVisible();
  await expect(page.getByRole('grid')).toBeFocused();
  await gridTotal(page);
  const registry = await exposedRegistry(page);
  const registered = new Map(registry.commands.map((c) => [c.id, c]));

  // The palette, opened from the grid: what the registry says is available there, in its order.
  await page.keyboard.press('Control+K');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette.getByRole('combobox')).toBeFocused();
  const listed = await palette
    .getByRole('option')
    .evaluateAll((options) =>
      options.map((o) => (o as unknown as ElementLike).getAttribute('data-command-id') ?? ''),
    );
  expect(listed).toEqual(registry.paletteEntryIds);
  for (const id of listed)
    if (!/^(explorer\.table|shell\.scope)\./.test(id))
      expect(registered.get(id)?.palette, `${id} is a registered palette command`).toBe(true);
  for (const id of ['home.open', 'explorer.open', 'settings.open', 'explorer.filter', 'explorer.newRow'])
    expect(listed).toContain(id);
  expect(listed).toContain('explorer.table.workflows');
  for (const id of ['sign-in.open', 'shell.palette', 'shell.closeOverlay', 'explorer.closeDetail'])
    expect(listed).not.toContain(id);
  await expect(palette.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await shot(page, testInfo, 'palette-1440x900');
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('grid')).toBeFocused();

  // The sheet: every keybinding and every element key of the registry, once.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByRole('button', { name: 'Close shortcuts' })).toBeFocused();
  const rows = await help.locator('tr[data-shortcut-kind]').evaluateAll((trs) =>
    trs.map((tr) => ({
      kind: (tr as unknown as ElementLike).getAttribute('data-shortcut-kind'),
      command: (tr as unknown as ElementLike).getAttribute('data-command'),
      keys: (tr as unknown as ElementLike).getAttribute('data-keys') ?? '',
    })),
  );
  expect(
    rows
      .filter((r) => r.kind === 'keybinding')
      .map((r) => `${r.keys} ${r.command}`)
      .sort(),
  ).toEqual(registry.keybindings.map((k) => `${k.keys} ${k.command}`).sort());
  expect(
    rows
      .filter((r) => r.kind === 'element')
      .map((r) => r.keys)
      .sort(),
  ).toEqual(registry.elementKeys.map((e) => e.keys.join(' | ')).sort());
  for (const text of ['Everywhere', 'Command palette', 'Explorer · when the list has focus', 'Ctrl+K'])
    await expect(help).toContainText(text);
  // Nothing cut off at 1440×900: the sheet fits the window without scrolling.
  const fits = await help.evaluate((element) => {
    const dialog = element as unknown as ElementLike;
    const box = dialog.getBoundingClientRect();
    const groups = dialog.querySelector('.help-groups');
    const inner = (globalThis as unknown as { innerHeight: number }).innerHeight;
    return box.bottom <= inner && !!groups && groups.scrollHeight <= groups.clientHeight;
  });
  expect(fits).toBe(true);
  await shot(page, testInfo, 'shortcuts-1440x900');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(page.getByRole('grid')).toBeFocused();

  // `/` filters; typed single keys stay in the field; Mod+K still works there.
  await page.keyboard.press('/');
  const value = page.getByLabel('Filter value');
  await expect(value).toBeFocused();
  await page.keyboard.type('ng?');
  await expect(value).toHaveValue('ng?');
  await expect(page.getByTestId('row-detail')).toBeHidden();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await page.keyboard.press('Control+K');
  await expect(palette).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(value).toBeFocused();
  await value.fill('');

  // `n` starts a new row from the grid; Escape closes it and gives the grid the keys back.
  await page.getByRole('grid').focus();
  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { name: 'New workflow' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('row-detail')).toBeHidden();
  await expect(page.getByRole('grid')).toBeFocused();

  // The chords to every view.
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('e');
  await expect(page.getByRole('heading', { level: 1, name: 'Data explorer' })).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('h');
  await expect(page.getByRole('heading', { level: 1, name: 'Acme' })).toBeVisible();
});

test('a second tab of the same browser is told that Outpost is already open', async () => {
  test.setTimeout(60_000);
  const second = await acme.context.newPage();
  await second.goto('/');
  await expect(second.getByRole('heading', { name: 'Outpost could not start' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(second.getByRole('alert')).toContainText('already open in another tab');
  await second.close();
});

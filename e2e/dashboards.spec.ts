/**
 * The dashboards as acme's admin meets them, in Chromium against the real sync server and the seeded
 * central Postgres (e2e/global-setup.ts, seed scale 1: 90 days of daily financials per client, leads,
 * custom metrics, AI spend and credit pools):
 *
 *   sign in, sync ─► offline (the page reloaded from the device's data)
 *   the nav opens the dashboards: the last 30 days' revenue, the funnel's won leads and the credit pools
 *   are the seed's own figures (summed here from the central database), charts drawn by uPlot
 *   2 switches to 90 days: the figures follow; c hides the previous period; custom days are checked
 *
 * The browser runs in UTC with the en-US locale, so its calendar days are the central database's.
 * Screenshots at 1440×900 are attached to the run (test-results/e2e/).
 */
import { expect, test, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import pg from 'pg';
import { signInThenGoOffline } from './offline-session.ts';

const serverUrl = process.env['OUTPOST_E2E_SYNC_URL'] ?? '';
const centralUrl = process.env['OUTPOST_E2E_CENTRAL_URL'] ?? '';

let context: BrowserContext;
let page: Page;
let central: pg.Client;

async function shot(testInfo: TestInfo, name: string, fullPage = false): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

const usd = (n: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(n);

/** acme's revenue over the last `days` days up to today (UTC), from the central database. */
async function revenue(days: number): Promise<number> {
  const { rows } = await central.query<{ total: number }>(
    `SELECT coalesce(sum(f.revenue), 0)::float8 AS total FROM financials f JOIN tenants t ON t.id = f.tenant_id
      WHERE t.slug = 'acme' AND f.record_date BETWEEN current_date - ($1::int - 1) AND current_date`,
    [days],
  );
  return rows[0]?.total ?? 0;
}

/** acme's leads that reached `stage` in the last `days` days. */
async function leadsAt(stage: string, days: number): Promise<number> {
  const { rows } = await central.query<{ n: number }>(
    `SELECT count(DISTINCT l.lead_id)::int AS n FROM lead_events l JOIN tenants t ON t.id = l.tenant_id
      WHERE t.slug = 'acme' AND l.stage = $1
        AND l.event_date >= current_date - ($2::int - 1) AND l.event_date < current_date + 1`,
    [stage, days],
  );
  return rows[0]?.n ?? 0;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  expect(serverUrl, 'e2e/global-setup.ts sets OUTPOST_E2E_SYNC_URL').toMatch(/^https:\/\//);
  central = new pg.Client({ connectionString: centralUrl });
  await central.connect();
  await central.query(`SET TIME ZONE 'UTC'`);
  context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close().catch(() => undefined);
  await central?.end().catch(() => undefined);
});

test('offline, the dashboards chart the seeded KPIs and spend, and follow the range', async () => {
  const testInfo = test.info();
  test.setTimeout(1_200_000);
  // Signed in and synced, then offline with the page reloaded: below reads this device's data only.
  await signInThenGoOffline(context, page, {
    serverUrl,
    tenant: 'acme',
    email: 'admin@acme.test',
    home: 'Acme',
  });

  // The nav opens the dashboards (g k too; a chord's two strokes can stall apart on a loaded machine):
  // the last 30 days, compared with the 30 before.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboards' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboards' })).toBeVisible();
  await expect(page.getByTestId('dashboard-scope')).toContainText('Acme Outdoor Co.');
  const revenueFigure = page.locator('[data-testid="dashboard-figure"][data-label="Revenue"] strong');
  // The first local queries after a reload wait behind the engine's start of sync: long on a loaded machine.
  await expect(page.getByTestId('dashboard-problem')).toHaveCount(0);
  await expect(revenueFigure).toHaveText(usd(await revenue(30)), { timeout: 180_000 });
  await expect(page.getByTestId('chart-revenue').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-revenue')).toContainText('Revenue, previous period');
  await expect(page.getByTestId('chart-costs').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-metric').first()).toContainText('(average,');

  const won = await leadsAt('won', 30);
  await expect(
    page.locator('[data-testid="funnel-stage"][data-stage="won"] [data-testid="funnel-count"]'),
  ).toHaveText(`${won} ${won === 1 ? 'lead' : 'leads'}`);
  // The credit pools of the seed (openai and anthropic for acme), by provider name, and the limit.
  const budgets = page.getByTestId('budget');
  await expect(budgets.filter({ hasText: 'Monthly cost limit' })).toHaveCount(1);
  await expect(budgets.filter({ hasText: 'OpenAI credit pool' })).toHaveCount(1);
  await expect(budgets.filter({ hasText: 'Anthropic credit pool' })).toHaveCount(1);

  const opened = await page.evaluate(
    () => performance.getEntriesByName('dashboards:open-to-first-chart')[0]?.duration ?? null,
  );
  expect(opened, 'the view measured the time to its first chart').not.toBeNull();
  testInfo.annotations.push({ type: 'open-to-first-chart-ms', description: String(opened) });
  await shot(testInfo, 'dashboards-30-days');
  // The funnel and the budgets, below the charts (the view scrolls inside the shell, not the page).
  await page.getByTestId('budgets').scrollIntoViewIfNeeded();
  await shot(testInfo, 'dashboards-30-days-funnel-budgets');

  // 2: the last 90 days (all of the seed's daily figures).
  await page.locator('body').press('2');
  await expect(page.getByTestId('dashboard-preset-90d')).toHaveAttribute('aria-checked', 'true');
  await expect(revenueFigure).toHaveText(usd(await revenue(90)));
  // c: the previous period goes from the charts.
  await page.locator('body').press('c');
  await expect(page.getByTestId('dashboard-compare')).not.toBeChecked();
  await expect(page.getByTestId('chart-revenue')).not.toContainText('previous period');
  await shot(testInfo, 'dashboards-90-days');

  // 3: a year, in weekly points.
  await page.locator('body').press('3');
  await expect(page.getByTestId('dashboard-bucket')).toContainText('Auto (weekly)');
  await expect(revenueFigure).toHaveText(usd(await revenue(365)));
  await shot(testInfo, 'dashboards-365-days');

  // Custom days: a backwards range is refused with a sentence, a right one is shown.
  await page.getByTestId('dashboard-preset-custom').click();
  await page.locator('#dashboard-from').fill('2026-03-10');
  await page.locator('#dashboard-to').fill('2026-03-01');
  await expect(page.getByTestId('dashboard-range-error')).toHaveText(
    'The end date is before the start date.',
  );
  await shot(testInfo, 'dashboards-custom-error');
});

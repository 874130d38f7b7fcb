/**
 * Search as acme's admin meets it, in Chromium against the real sync server and the seeded central
 * Postgres (e2e/global-setup.ts; the seed's handbook documents are chunked and embedded by the
 * deterministic embedder, tagged with its model, the same embedder the app searches with):
 *
 *   sign in, sync ─► offline (the network cut, the page reloaded from the device's data)
 *   g f opens search ─► "refund photo": the refund policy, found by its words (highlighted)
 *   "dispute handlng" (misspelled: no full-text match): the dispute handbook, found by meaning
 *   ↓ moves, Enter opens the document at the matched passage, Esc returns to the field
 *   the document filter narrows the hits; Tab reaches it from the field
 *
 * Screenshots at 1440×900 are attached to the run (test-results/e2e/).
 */
import { expect, test, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { signInThenGoOffline } from './offline-session.ts';

const serverUrl = process.env['OUTPOST_E2E_SYNC_URL'] ?? '';

let context: BrowserContext;
let page: Page;

async function shot(testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function searchFor(text: string): Promise<void> {
  const field = page.getByTestId('search-query');
  await field.fill(text);
  await expect(page.getByTestId('search-status')).toContainText(`for “${text}”`);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  expect(serverUrl, 'e2e/global-setup.ts sets OUTPOST_E2E_SYNC_URL').toMatch(/^https:\/\//);
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close().catch(() => undefined);
});

test('offline, search finds a seeded document by its words and by its meaning', async () => {
  const testInfo = test.info();
  test.setTimeout(1_200_000);
  // Signed in and synced, then offline with the page reloaded: below reads this device's data only.
  await signInThenGoOffline(context, page, {
    serverUrl,
    tenant: 'acme',
    email: 'admin@acme.test',
    home: 'Acme',
  });

  // g f opens search with the field focused.
  await page.locator('body').press('g');
  await page.locator('body').press('f');
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  const field = page.getByTestId('search-query');
  await expect(field).toBeFocused();
  await shot(testInfo, 'search-empty');

  // By words: both words are in one passage of the refund policy; the words are highlighted.
  await field.pressSequentially('refund photo');
  await expect(page.getByTestId('search-status')).toContainText('for “refund photo”');
  const first = page.getByTestId('search-hit').first();
  await expect(first).toContainText('Refund and returns policy');
  await expect(first).toHaveAttribute('data-match', /^(text|both)$/);
  await expect(first.locator('.search-snippet mark').first()).toBeVisible();
  await expect(first.locator('.search-snippet mark', { hasText: /^photo$/i })).toHaveCount(1);
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await shot(testInfo, 'search-by-words');

  // Enter opens the document at the matched passage; Esc returns to the field.
  await field.press('Enter');
  const documentPane = page.getByTestId('search-document');
  await expect(documentPane).toBeFocused();
  await expect(page.getByTestId('search-document-title')).toHaveText('Refund and returns policy');
  await expect(page.getByTestId('search-document-hit')).toContainText('photo');
  await expect(page).toHaveURL(/#\/search\/[0-9a-f-]{36}$/);
  await shot(testInfo, 'search-document-open');
  await documentPane.press('Escape');
  await expect(field).toBeFocused();

  // By meaning: misspelled words that full-text search cannot match; the dispute handbook is found by
  // its embedding alone, and says so.
  await searchFor('dispute handlng');
  const meaning = page.getByTestId('search-hit').first();
  await expect(meaning).toContainText('Dispute handling');
  await expect(meaning).toHaveAttribute('data-match', 'meaning');
  await expect(meaning.getByTestId('search-match')).toHaveText('Meaning');
  await expect(page.locator('[data-testid=search-hit][data-match=text]')).toHaveCount(0);
  await shot(testInfo, 'search-by-meaning');

  // ↓ moves the active hit; Enter opens that one.
  const hits = page.getByTestId('search-hit');
  expect(await hits.count()).toBeGreaterThan(1);
  await field.press('ArrowDown');
  await expect(hits.nth(1)).toHaveAttribute('aria-selected', 'true');
  await field.press('ArrowUp');
  await expect(hits.nth(0)).toHaveAttribute('aria-selected', 'true');
  await field.press('Enter');
  await expect(page.getByTestId('search-document-title')).toHaveText('Dispute handling');
  await page.getByTestId('search-document').press('Escape');

  // The filters are reachable by keyboard: Tab from the field lands on the document filter.
  await field.press('Tab');
  await expect(page.locator('#search-filter-document')).toBeFocused();
  await page.locator('#search-filter-document').selectOption({ label: 'Refund and returns policy' });
  await searchFor('refund');
  const narrowed = await page.getByTestId('search-hit').allTextContents();
  expect(narrowed.length).toBeGreaterThan(0);
  for (const text of narrowed) expect(text).toContain('Refund and returns policy');
  await expect(page.getByTestId('search-filter-document')).toHaveValue(/^[0-9a-f-]{36}$/);
  await shot(testInfo, 'search-filtered');
});

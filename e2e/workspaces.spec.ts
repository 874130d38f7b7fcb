/**
 * The workspace editor (issue 16, editing) as acme's admin meets it, in Chromium against the real sync
 * server and the seeded central Postgres (e2e/global-setup.ts):
 *
 *   g w ─► the workspaces by name ─► one seeded workspace: its file tree, moved through by keyboard
 *   ─► a SuiteScript file opens in Monaco (bundled, its workers under the app's CSP)
 *   ─► typing makes the tab dirty and, once typing pauses, the local draft holds the text (tree: M)
 *   ─► reload: the same file comes back with the unsaved text (the draft, not the server)
 *   ─► Validate: the syntax error typed is a Monaco marker and a line in the problems panel
 *   ─► offline: Create changeset: an empty title is refused next to its field; with a title the
 *      changeset is made of the draft (one patch) and listed in the workspace; its review shows the
 *      diff and submits it (Pending review) ─► online: both reach the central database
 *
 * Screenshots at 1440×900 (tree and editor, the changeset form, the problems panel) are attached to the
 * run (test-results/e2e/).
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import pg from 'pg';

const serverUrl = process.env['OUTPOST_E2E_SYNC_URL'] ?? '';
const centralUrl = process.env['OUTPOST_E2E_CENTRAL_URL'] ?? '';
const PASSWORD = 'outpost-demo';
const TAG = `IDE ${Date.now().toString(36)}`;
/** Not JavaScript: acorn refuses it (js.syntax). */
const BROKEN = 'const = 1;';

let central: pg.Client;

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** A seeded acme workspace and one of its SuiteScript files. */
async function seededFile(): Promise<{ workspaceId: string; workspace: string; path: string }> {
  const { rows } = await central.query<{ workspace_id: string; workspace: string; path: string }>(
    `SELECT w.id::text AS workspace_id, w.name AS workspace, f.path
       FROM workspaces w
       JOIN tenants t ON t.id = w.tenant_id AND t.slug = 'acme'
       JOIN workspace_files f ON f.workspace_id = w.id
      WHERE f.path LIKE 'src/FileCabinet/SuiteScripts/%.js' AND f.path NOT LIKE '%/lib/%'
        AND f.path NOT LIKE '%/legacy/%'
      ORDER BY w.name, f.path
      LIMIT 1`,
  );
  const row = rows[0];
  if (!row) throw new Error('the seed has no SuiteScript file in an acme workspace');
  return { workspaceId: row.workspace_id, workspace: row.workspace, path: row.path };
}

test.beforeAll(async () => {
  expect(serverUrl, 'e2e/global-setup.ts sets OUTPOST_E2E_SYNC_URL').toMatch(/^https:\/\//);
  central = new pg.Client({ connectionString: centralUrl });
  await central.connect();
});

test.afterAll(async () => {
  await central?.end().catch(() => undefined);
});

const treeRow = (page: Page, path: string) => page.locator(`.ws-tree-row[data-path="${path}"]`);
const editorText = (page: Page) => page.locator('[data-testid="workspace-editor"] .view-lines');

test('edit a workspace file into a local draft, keep it across a reload, validate it, and propose it as a changeset', async ({
  browser,
}) => {
  const testInfo = test.info();
  test.setTimeout(1_500_000);
  const { workspaceId, workspace, path } = await seededFile();
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Outpost' })).toBeVisible();
  await page.getByLabel('Server').fill(serverUrl);
  await page.getByLabel('Tenant').fill('acme');
  await page.getByLabel('Email').fill('admin@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // A first sign-in syncs everything acme's admin may read, which takes many minutes on a loaded 2-core
  // machine; this test needs only the workspaces' tables, so it waits for the workspace to arrive.
  await expect(page.getByTestId('app-shell')).toBeVisible({ timeout: 120_000 });

  // g w: the workspaces, by name; open the seeded one once it has synced. (While the first sync runs,
  // a token refresh can bring the app back to Home: g w again then.)
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

  // The tree by keyboard: Home, then Right opens a folder and Right again enters it, down to the file.
  const tree = page.getByTestId('workspace-tree');
  await tree.focus();
  const folders = path.split('/').slice(0, -1);
  await expect(treeRow(page, `${folders[0]}/`)).toBeVisible({ timeout: 300_000 });
  await page.keyboard.press('Home');
  for (const [i] of folders.entries()) {
    const folder = `${folders.slice(0, i + 1).join('/')}/`;
    // Down to the folder (folders come first, by name), then open it.
    for (let step = 0; step < 50; step++) {
      if (
        (await tree.getAttribute('aria-activedescendant')) ===
        (await treeRow(page, folder).getAttribute('id'))
      )
        break;
      await page.keyboard.press('ArrowDown');
    }
    await expect(treeRow(page, folder)).toHaveClass(/focused/);
    await page.keyboard.press('ArrowRight');
    await expect(treeRow(page, folder)).toHaveAttribute('aria-expanded', 'true');
  }
  for (let step = 0; step < 50; step++) {
    if ((await tree.getAttribute('aria-activedescendant')) === (await treeRow(page, path).getAttribute('id')))
      break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(treeRow(page, path)).toHaveClass(/focused/);
  await page.keyboard.press('Enter');

  // Monaco shows the file: its tab, its text, the address follows.
  const tab = page.getByTestId('workspace-tab').filter({ hasText: fileName });
  await expect(tab).toBeVisible();
  await expect(page.locator('[data-testid="workspace-editor"] .monaco-editor')).toBeVisible({
    timeout: 60_000,
  });
  await expect(editorText(page)).toContainText('@NApiVersion', { timeout: 60_000 });
  await expect(page).toHaveURL(new RegExp(`#/workspaces/${workspaceId}/${encodeURIComponent(path)}$`));

  // Type at the end: the tab turns dirty; once typing pauses the draft holds it (M in the tree).
  await page.locator('[data-testid="workspace-editor"] .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(BROKEN);
  await expect(tab.getByTestId('dirty-marker')).toBeVisible();
  await expect(editorText(page)).toContainText(BROKEN);
  await expect(treeRow(page, path).locator('.ws-mark')).toHaveText('M', { timeout: 30_000 });
  await shot(page, testInfo, 'workspace-tree-and-editor');

  // Reload: the same file, with the text typed (the unsaved buffer of the local draft), still dirty.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: workspace })).toBeVisible({ timeout: 300_000 });
  await expect(
    page.getByTestId('workspace-tab').filter({ hasText: fileName }).getByTestId('dirty-marker'),
  ).toBeVisible({ timeout: 60_000 });
  await page.locator('[data-testid="workspace-editor"] .view-lines').click();
  await page.keyboard.press('Control+End');
  await expect(editorText(page)).toContainText(BROKEN);
  await expect(treeRow(page, path)).toHaveClass(/active/);

  // Mod+S saves the draft: the dirty mark goes, the change stays.
  await page.locator('[data-testid="workspace-editor"] .view-lines').click();
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('workspace-tab').getByTestId('dirty-marker')).toHaveCount(0);
  await expect(page.getByTestId('workspace-notice')).toContainText(`Saved ${fileName}`);

  // Validate: the syntax error is a marker in the editor and a line of the problems panel.
  await page.getByRole('button', { name: 'Validate', exact: true }).click();
  const problem = page.getByTestId('problem').filter({ hasText: path }).filter({ hasText: 'js.syntax' });
  await expect(problem).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('problems-summary')).toContainText(/\d+ errors?/);
  // Choosing the problem reveals its line in the editor, underlined by the marker.
  await problem.click();
  await expect(page.locator('[data-testid="workspace-editor"] .monaco-editor')).toHaveClass(/focused/);
  await expect(page.locator('[data-testid="workspace-editor"] .squiggly-error').first()).toBeVisible();
  await shot(page, testInfo, 'workspace-problems');

  // Offline from here: the changeset is made and submitted on the device, and sent once back online.
  await context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: 60_000 });

  // Create changeset: an empty title is refused next to its field; the file is listed.
  await page.getByRole('button', { name: 'Create changeset…' }).click();
  const form = page.getByTestId('changeset-form');
  await expect(form.getByLabel('Title')).toBeFocused();
  await expect(form.getByTestId('changeset-files')).toContainText(path);
  await form.getByRole('button', { name: 'Create changeset' }).click();
  await expect(form.getByRole('alert')).toContainText('Give the changeset a title');
  await expect(form.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await shot(page, testInfo, 'workspace-changeset-form');
  const title = `${TAG} round payouts`;
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description').fill('Made by the e2e run: one file, a deliberate syntax error.');
  await form.getByRole('button', { name: 'Create changeset' }).click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('workspace-notice')).toContainText(
    `Changeset “${title}” created with 1 file`,
  );
  const listed = page.getByTestId('workspace-changeset').filter({ hasText: title });
  await expect(listed).toContainText('Draft');
  await expect(listed).toContainText('1 file');
  const { rows: admin } = await central.query<{ name: string }>(
    `SELECT coalesce(nullif(btrim(full_name), ''), email) AS name FROM users WHERE email = 'admin@acme.test'`,
  );
  await expect(listed).toContainText(admin[0]?.name ?? 'admin@acme.test');
  // The draft became the changeset: the tree no longer marks the file.
  await expect(treeRow(page, path).locator('.ws-mark')).toHaveCount(0);
  await shot(page, testInfo, 'workspace-changeset-created');

  // Still offline: its review (the title links there) shows the diff and submits it for review.
  await listed.getByRole('link', { name: title }).click();
  await expect(page.getByTestId('review-state')).toHaveText('Draft');
  await expect(page.getByTestId('review-file')).toHaveCount(1);
  await expect(page.locator('[data-testid="review-diff"] .modified .view-lines')).toContainText(BROKEN, {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByTestId('review-state')).toHaveText('Pending review');
  await expect(page.getByTestId('review-actions')).toContainText('nobody reviews their own changeset');
  await shot(page, testInfo, 'review-submitted-offline');
  const { rows: early } = await central.query(`SELECT 1 FROM workspace_changesets WHERE title = $1`, [title]);
  expect(early, 'nothing reaches the server while offline').toEqual([]);
  await context.setOffline(false);

  // Online again, it reaches the server: one patch of that file against the seeded content's hash.
  await expect
    .poll(
      async () => {
        const { rows } = await central.query<{ status: string; file_path: string; hashes: number }>(
          `SELECT c.status, p.file_path,
                  (SELECT count(*)::int FROM workspace_patch_bases b WHERE b.patch_id = p.id) AS hashes
             FROM workspace_changesets c JOIN workspace_patches p ON p.changeset_id = c.id
            WHERE c.title = $1`,
          [title],
        );
        return rows;
      },
      { timeout: 300_000 },
    )
    .toEqual([{ status: 'pending_review', file_path: path, hashes: 1 }]);
  expect(cspViolations).toEqual([]);
  await context.close();
});

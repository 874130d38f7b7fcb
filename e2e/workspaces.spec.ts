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
 * and, in a second test, finding files (issue 16, "Files"):
 *
 *   Mod+P ─► Quick open: a few letters of a file's words rank it first (letters marked) ─► Enter opens
 *   it in a tab with the keyboard in the editor; again: it is listed first, recently opened; Escape
 *   gives focus back ─► Mod+Shift+F ─► the Search panel: a word's results counted as the seeded files
 *   have them, an invalid regular expression said in words, ↓ Enter opens a result at its line with
 *   the match selected, a click opens another ─► the `?` sheet lists both keys and fits 1440×900
 *
 * and, in a third, SuiteScript completion and hover (issue 16, the `N/*` typings):
 *
 *   a seeded file whose define() lists N/record ─► a line typed in its callback: `record.` ─► the
 *   suggest widget lists N/record's members (load), with its type ─► hover on `load` shows its type
 *   and docs; the typings' load and the first completion are timed (suitescript-timings.json)
 *
 * Screenshots at 1440×900 (tree and editor, the changeset form, the problems panel; Quick open, the
 * search, the shortcut sheet; the completion list and the hover) are attached to the run
 * (test-results/e2e/).
 */
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { centralUrl, serverUrl, shot, signInAndOpen } from './workspace-session.ts';

const TAG = `IDE ${Date.now().toString(36)}`;
/** Not JavaScript: acorn refuses it (js.syntax). */
const BROKEN = 'const = 1;';

let central: pg.Client;

/** A seeded acme workspace and one of its SuiteScript files (never a workspace another spec made). */
async function seededFile(): Promise<{ workspaceId: string; workspace: string; path: string }> {
  const { rows } = await central.query<{ workspace_id: string; workspace: string; path: string }>(
    `SELECT w.id::text AS workspace_id, w.name AS workspace, f.path
       FROM workspaces w
       JOIN tenants t ON t.id = w.tenant_id AND t.slug = 'acme'
       JOIN workspace_files f ON f.workspace_id = w.id
      WHERE f.path LIKE 'src/FileCabinet/SuiteScripts/%.js' AND f.path NOT LIKE '%/lib/%'
        AND f.path NOT LIKE '%/legacy/%'
        -- a seeded script, not a file another spec made (e2e/review.spec.ts adds a workspace whose
        -- name sorts first and whose files are no SuiteScript)
        AND f.content LIKE '%@NApiVersion%'
        AND NOT EXISTS (SELECT 1 FROM workspace_changesets c WHERE c.workspace_id = w.id
                         AND c.description = 'Made by the e2e run.')
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

  await signInAndOpen(page, workspace, workspaceId);

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
  // The change is at the end of a long file: its hunk's range reveals it in the diff.
  await expect(page.locator('[data-testid="review-diff"] .modified .view-lines')).toContainText(
    '@NApiVersion',
    {
      timeout: 60_000,
    },
  );
  await page.getByTestId('review-hunk').last().getByRole('button', { name: /^Hunk/ }).click();
  await expect(page.locator('[data-testid="review-diff"] .modified .view-lines')).toContainText(BROKEN);
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

  // The author takes it back: a draft again, here and on the server.
  await page.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await expect(page.getByTestId('review-state')).toHaveText('Draft');
  await expect(page.getByRole('button', { name: 'Submit for review' })).toBeVisible();
  await expect
    .poll(
      async () => {
        const { rows } = await central.query<{ status: string }>(
          `SELECT status FROM workspace_changesets WHERE title = $1`,
          [title],
        );
        return rows[0]?.status;
      },
      { timeout: 120_000 },
    )
    .toBe('draft');
  await shot(page, testInfo, 'review-withdrawn');
  expect(cspViolations).toEqual([]);
  await context.close();
});

/** What the `?` sheet's fit check reads of the dialog (e2e code has no DOM types). */
interface SheetLike {
  getBoundingClientRect(): { bottom: number };
  querySelector(selector: string): { scrollHeight: number; clientHeight: number } | null;
}

/** Whether `query`'s characters occur in `text` in order, case-insensitively (Quick open's match). */
const fuzzyIn = (query: string, text: string): boolean => {
  let at = 0;
  for (const ch of query.toLowerCase()) {
    at = text.toLowerCase().indexOf(ch, at) + 1;
    if (at === 0) return false;
  }
  return true;
};

/** Occurrences of `word` in `content`, case-insensitively, line by line (the search's default). */
const occurrences = (word: string, content: string): number =>
  content.split(/\r\n|\r|\n/).reduce((n, line) => n + (line.match(new RegExp(word, 'gi'))?.length ?? 0), 0);

test('Quick open (Mod+P) opens a file by a few letters of its name; search across files (Mod+Shift+F) lists a word and opens a result at its line', async ({
  browser,
}) => {
  const testInfo = test.info();
  test.setTimeout(1_500_000);
  const { workspaceId, workspace } = await seededFile();
  const { rows: files } = await central.query<{ path: string; content: string }>(
    `SELECT path, coalesce(content, '') AS content FROM workspace_files WHERE workspace_id = $1 ORDER BY path`,
    [workspaceId],
  );
  // A file and a fuzzy query of its words' first letters that no other file's name matches.
  const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const target = files
    .map(({ path }) => {
      const words = nameOf(path)
        .replace(/\.[^.]+$/, '')
        .split(/[_.-]/);
      return { path, query: words.length > 1 ? words.map((w) => w.slice(0, 3)).join('') : (words[0] ?? '') };
    })
    .find(
      ({ path, query }) =>
        query.length >= 4 && files.every((f) => f.path === path || !fuzzyIn(query, nameOf(f.path))),
    );
  if (!target) throw new Error(`no file of ${workspace} has a name only it matches`);
  const WORD = 'runtime';
  const counts = files.map((f) => occurrences(WORD, f.content));
  const results = counts.reduce((a, b) => a + b, 0);
  const inFiles = counts.filter((n) => n > 0).length;
  expect(results, `the seeded files of ${workspace} mention ${WORD}`).toBeGreaterThan(1);

  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await signInAndOpen(page, workspace, workspaceId);
  const tree = page.getByTestId('workspace-tree');
  await expect(tree.locator('.ws-tree-row').first()).toBeVisible({ timeout: 300_000 });
  await tree.focus();

  // Mod+P: the files, recent first (none yet); a few letters rank the target first, letters marked.
  await page.keyboard.press('Control+p');
  const quickOpen = page.getByRole('dialog', { name: 'Go to a file' });
  const input = quickOpen.getByTestId('quick-open-input');
  await expect(input).toBeFocused();
  await expect(quickOpen.getByTestId('quick-open-item').first()).toBeVisible();
  // Three letters: every file they match, file name matches first, the letters marked.
  await input.pressSequentially(target.query.slice(0, 3));
  await expect(quickOpen.getByTestId('quick-open-item').first().locator('mark').first()).toBeVisible();
  await shot(page, testInfo, 'workspace-quick-open');
  await input.pressSequentially(target.query.slice(3));
  const first = quickOpen.getByTestId('quick-open-item').first();
  await expect(first).toHaveAttribute('data-path', target.path);
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(first.locator('mark').first()).toBeVisible();
  await shot(page, testInfo, 'workspace-quick-open-chosen');
  // Enter opens it in a tab, the keyboard in the editor.
  await page.keyboard.press('Enter');
  await expect(quickOpen).toHaveCount(0);
  await expect(page.getByTestId('workspace-tab').filter({ hasText: nameOf(target.path) })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/workspaces/${workspaceId}/${encodeURIComponent(target.path)}$`));
  const editor = page.locator('[data-testid="workspace-editor"] .monaco-editor');
  await expect(editor).toHaveClass(/focused/, { timeout: 60_000 });
  // Again: the file just opened is listed first as recently opened; Escape gives focus back.
  await page.keyboard.press('Control+p');
  await expect(quickOpen.getByTestId('quick-open-item').first()).toHaveAttribute('data-path', target.path);
  await expect(quickOpen.getByTestId('quick-open-item').first()).toContainText('recently opened');
  await input.pressSequentially('zzqqxxj');
  await expect(quickOpen).toContainText('No file matches “zzqqxxj”.');
  await page.keyboard.press('Escape');
  await expect(quickOpen).toHaveCount(0);
  await expect(editor).toHaveClass(/focused/);

  // Mod+Shift+F: the Search panel, its field focused; the word's results by file, counted.
  await page.keyboard.press('Control+Shift+F');
  const search = page.getByTestId('search-panel');
  const field = search.getByTestId('search-input');
  await expect(field).toBeFocused();
  await field.pressSequentially(WORD);
  await expect(search.getByTestId('search-summary')).toHaveText(
    `${results} results in ${inFiles} ${inFiles === 1 ? 'file' : 'files'}.`,
  );
  await expect(search.getByTestId('search-result')).toHaveCount(results);
  await expect(search.getByTestId('search-result').first().locator('mark')).toHaveText(new RegExp(WORD, 'i'));
  // A regular expression that is none is said in words; fixed, the results come back.
  await search.getByRole('button', { name: 'Use regular expression' }).click();
  await expect(search.getByRole('button', { name: 'Use regular expression' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await field.press('End');
  await field.pressSequentially('(');
  await expect(search.getByTestId('search-summary')).toHaveText(
    'This is not a valid regular expression: Unterminated group.',
  );
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await field.press('Backspace');
  await expect(search.getByTestId('search-summary')).toContainText(`${results} results`);
  // ↓ from the field to the results, ↓ once more, Enter: the file opens at that line.
  await field.press('ArrowDown');
  const list = search.getByTestId('search-results');
  await expect(list).toBeFocused();
  await page.keyboard.press('ArrowDown');
  const chosen = search.locator('[data-testid="search-result"][aria-selected="true"]');
  const chosenPath = (await chosen.getAttribute('data-path')) ?? '';
  const chosenLine = (await chosen.getAttribute('data-line')) ?? '';
  await shot(page, testInfo, 'workspace-search');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('workspace-tab').filter({ hasText: nameOf(chosenPath) })).toBeVisible();
  await expect(editor).toHaveClass(/focused/, { timeout: 60_000 });
  await expect(page.locator('[data-testid="workspace-editor"] .active-line-number')).toHaveText(chosenLine);
  await expect(page.locator('[data-testid="workspace-editor"] .selected-text').first()).toBeVisible();
  // A click on a result in another file opens that one.
  const elsewhere = search.locator(`[data-testid="search-result"]:not([data-path="${chosenPath}"])`).last();
  await expect(elsewhere).toBeVisible();
  const elsewherePath = (await elsewhere.getAttribute('data-path')) ?? '';
  await elsewhere.click();
  await expect(page.getByTestId('workspace-tab').filter({ hasText: nameOf(elsewherePath) })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${encodeURIComponent(elsewherePath)}$`));
  await shot(page, testInfo, 'workspace-search-opened');

  // Files by keyboard, as drafts: n in the tree makes a new file (a taken path is refused in words),
  // F2 renames it, Delete marks a seeded file deleted; nothing reaches the server until a changeset.
  const fresh = `src/e2e_${Date.now().toString(36)}.js`;
  const renamed = fresh.replace('.js', '_renamed.js');
  await tree.focus();
  await page.keyboard.press('n');
  const fileDialog = page.getByTestId('file-dialog');
  const pathField = fileDialog.getByLabel('Path in the workspace');
  await expect(pathField).toBeFocused();
  await pathField.fill(target.path);
  await expect(fileDialog.getByRole('alert')).toHaveText(
    `${target.path} already exists; choose another name.`,
  );
  await pathField.fill(fresh);
  await expect(fileDialog.getByRole('alert')).toHaveCount(0);
  await shot(page, testInfo, 'workspace-new-file');
  await pathField.press('Enter');
  await expect(fileDialog).toHaveCount(0);
  await expect(page.getByTestId('workspace-tab').filter({ hasText: nameOf(fresh) })).toBeVisible();
  await expect(treeRow(page, fresh).locator('.ws-mark')).toHaveText('A');
  await tree.focus();
  await expect(treeRow(page, fresh)).toHaveClass(/focused/);
  await page.keyboard.press('F2');
  await expect(pathField).toHaveValue(fresh);
  await pathField.fill(renamed);
  await pathField.press('Enter');
  await expect(fileDialog).toHaveCount(0);
  await expect(treeRow(page, renamed).locator('.ws-mark')).toHaveText('A');
  await expect(treeRow(page, fresh)).toHaveCount(0);
  await expect(page.getByTestId('workspace-tab').filter({ hasText: nameOf(renamed) })).toBeVisible();
  await treeRow(page, target.path).click();
  await tree.focus();
  await expect(treeRow(page, target.path)).toHaveClass(/focused/);
  await page.keyboard.press('Delete');
  await expect(fileDialog).toContainText(`Delete ${target.path}?`);
  await fileDialog.getByRole('button', { name: 'Delete' }).click();
  await expect(treeRow(page, target.path).locator('.ws-mark')).toHaveText('D');
  await expect(page.getByTestId('workspace-tab').filter({ hasText: nameOf(target.path) })).toHaveCount(0);
  const { rows: onServer } = await central.query(
    `SELECT 1 FROM workspace_files WHERE workspace_id = $1 AND path = ANY ($2::text[])`,
    [workspaceId, [fresh, renamed]],
  );
  expect(onServer, 'drafts stay on the device').toEqual([]);

  // The `?` sheet lists the new keys and still fits 1440×900.
  await tree.focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help.locator('tr[data-command="workspaces.quickOpen"]')).toContainText('Ctrl+P');
  await expect(help.locator('tr[data-command="workspaces.searchFiles"]')).toContainText('Ctrl+Shift+F');
  await expect(help.locator('tr[data-command="workspaces.renameFile"]')).toContainText('F2');
  const fits = await help.evaluate((element) => {
    const dialog = element as unknown as SheetLike;
    const groups = dialog.querySelector('.help-groups');
    const inner = (globalThis as unknown as { innerHeight: number }).innerHeight;
    return (
      dialog.getBoundingClientRect().bottom <= inner && !!groups && groups.scrollHeight <= groups.clientHeight
    );
  });
  expect(fits).toBe(true);
  await shot(page, testInfo, 'workspace-shortcuts');
  await page.keyboard.press('Escape');
  await context.close();
});

test('SuiteScript: record. in a define callback completes N/record (load) and hover shows its type', async ({
  browser,
}) => {
  const testInfo = test.info();
  test.setTimeout(1_500_000);
  // A seeded acme file whose define() lists N/record; the callback's first line is after that line.
  const { rows } = await central.query<{
    workspace_id: string;
    workspace: string;
    path: string;
    content: string;
  }>(
    `SELECT w.id::text AS workspace_id, w.name AS workspace, f.path, f.content
       FROM workspaces w
       JOIN tenants t ON t.id = w.tenant_id AND t.slug = 'acme'
       JOIN workspace_files f ON f.workspace_id = w.id
      WHERE f.path LIKE '%.js' AND f.content LIKE '%define([%''N/record''%'
      ORDER BY w.name, f.path`,
  );
  const DEFINE = /define\(\[[^\]]*'N\/record'.*\{\s*$/;
  const lineOf = (content: string) => content.split(/\r\n|\r|\n/).findIndex((line) => DEFINE.test(line)) + 1;
  const file = rows.find((row) => lineOf(row.content) > 0);
  if (!file) throw new Error('the seed has no acme SuiteScript file whose define() lists N/record');
  const defineLine = lineOf(file.content);
  expect(defineLine).toBeGreaterThan(0);

  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await signInAndOpen(page, file.workspace, file.workspace_id);
  await page.evaluate(
    `location.hash = ${JSON.stringify(`#/workspaces/${file.workspace_id}/${encodeURIComponent(file.path)}`)}`,
  );
  const fileName = file.path.slice(file.path.lastIndexOf('/') + 1);
  await expect(page.getByTestId('workspace-tab').filter({ hasText: fileName })).toBeVisible({
    timeout: 300_000,
  });
  await expect(editorText(page)).toContainText('N/record', { timeout: 60_000 });

  // The typings arrive after the file is shown (a performance measure says when).
  const measure = (name: string) =>
    page.evaluate(`performance.getEntriesByName(${JSON.stringify(name)}).map((e) => e.duration)[0] ?? null`);
  await expect.poll(() => measure('outpost:suitescript-typings:add'), { timeout: 60_000 }).not.toBeNull();

  // A new first line in the callback: `record.` lists N/record's members.
  await page.locator('[data-testid="workspace-editor"] .view-lines').click();
  await page.keyboard.press('Control+Home');
  for (let line = 1; line < defineLine; line++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('record');
  await page.keyboard.press('Escape');
  const typed = Date.now();
  await page.keyboard.type('.');
  const suggest = page.locator('[data-testid="workspace-editor"] .suggest-widget');
  await expect(suggest.getByRole('option', { name: /^load\b/ })).toBeVisible({ timeout: 120_000 });
  const firstCompletionMs = Date.now() - typed;
  await expect(suggest.getByRole('option', { name: /^create\b/ })).toBeVisible();
  await expect(suggest.getByRole('option', { name: /^Type\b/ })).toHaveCount(1);
  await shot(page, testInfo, 'suitescript-completion');
  // `lo` narrows the list to load, selected, its type beside it.
  await page.keyboard.type('lo');
  const chosen = suggest.locator('.monaco-list-row.focused');
  await expect(chosen).toHaveAttribute('aria-label', /^load\b/);
  await expect(chosen).toContainText('const load: RecordLoadFunction');
  await shot(page, testInfo, 'suitescript-completion-load');

  // Hover on `load`: its type (N/record's RecordLoadFunction) and its docs.
  await page.keyboard.type('ad');
  await page.keyboard.press('Escape');
  await expect(suggest).toBeHidden();
  const line = page
    .locator('[data-testid="workspace-editor"] .view-line')
    .filter({ hasText: /^\s*record\.load$/ });
  // Monaco may render `record.load` as one span: the pointer goes to the end of its text.
  const text = await line.locator('span').first().boundingBox();
  if (!text) throw new Error('the typed line is not on screen');
  await page.mouse.move(text.x + text.width - 6, text.y + text.height / 2);
  const hover = page
    .locator('[data-testid="workspace-editor"] .monaco-hover')
    .filter({ hasText: 'RecordLoadFunction' });
  await expect(hover).toBeVisible({ timeout: 60_000 });
  await expect(hover).toContainText('const load: RecordLoadFunction');
  await expect(hover).toContainText('Loads an existing');
  await shot(page, testInfo, 'suitescript-hover');

  const timings = {
    typingsImportMs: await measure('outpost:suitescript-typings:import'),
    typingsAddMs: await measure('outpost:suitescript-typings:add'),
    firstCompletionMs,
  };
  console.log(`suitescript-timings ${JSON.stringify(timings)}`);
  await testInfo.attach('suitescript-timings.json', {
    body: JSON.stringify(timings, null, 2),
    contentType: 'application/json',
  });
  await context.close();
});

/**
 * The changeset review (issue 16, review and apply) as acme's admin meets it, in Chromium against the
 * real sync server and the seeded central Postgres (e2e/global-setup.ts). Changesets are made on the
 * server the way changeset.create makes them (a patch per file with the SHA-256 of its base):
 *
 *   a changeset the approver proposed, pending review: two files changed, Monaco's diff of each
 *   ─► j / k between files, v marks a file viewed, t switches side by side / inline
 *   ─► per-hunk decisions: the first hunk accepted, the second rejected
 *   ─► a comment on a line the cursor is on ─► Approve: the server keeps only the accepted hunk
 *   ─► Apply: the workspace's file on the server holds the accepted change and nothing else
 *   a changeset of the admin's, approved, whose file changed on the server since it was made
 *   ─► Apply: a conflict, shown with its file; the changeset is back with its author (rejected)
 *   ─► Resolve in the editor: the merged text with its conflict markers is the admin's draft
 *
 * Screenshots at 1440×900 (the review, inline with a comment, the conflict, the draft) are attached.
 */
import { createHash } from 'node:crypto';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { createPatch } from 'diff';
import pg from 'pg';
import { BrowserConsole } from './browser-console.ts';

const serverUrl = process.env['OUTPOST_E2E_SYNC_URL'] ?? '';
const centralUrl = process.env['OUTPOST_E2E_CENTRAL_URL'] ?? '';
const PASSWORD = 'outpost-demo';
const TAG = `Review ${Date.now().toString(36)}`;
const DIR = 'src/FileCabinet/SuiteScripts';

const lines = (n: number, f: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => f(i + 1)).join('\n') + '\n';
const PAYOUT = lines(40, (i) => `const step${i} = ${i};`);
/** Two hunks: line 3 changed, line 35 removed. */
const PAYOUT_NEXT = PAYOUT.replace('const step3 = 3;', 'const step3 = 3 * 2; // doubled').replace(
  'const step35 = 35;\n',
  '',
);
const ONLY_FIRST = PAYOUT.replace('const step3 = 3;', 'const step3 = 3 * 2; // doubled');
const HELPER = 'export const round = (n) => Math.round(n * 100) / 100;\n';
const LEDGER = lines(12, (i) => `const entry${i} = '${i}';`);

let central: pg.Client;
const consoleLog = new BrowserConsole();

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function one<T>(text: string, params: unknown[]): Promise<T> {
  const { rows } = await central.query(text, params);
  if (!rows[0]) throw new Error(`no row from: ${text}`);
  return rows[0] as T;
}

interface PatchSpec {
  readonly path: string;
  readonly operation: 'create' | 'modify';
  readonly base: string;
  readonly next: string;
}

/** A changeset on the server with one patch (and base hash) per file, in `status`. */
async function changeset(
  spec: { tenant: string; workspace: string; title: string; by: string; status: string; reviewer?: string },
  patches: readonly PatchSpec[],
): Promise<string> {
  const { id } = await one<{ id: string }>(
    `INSERT INTO workspace_changesets (tenant_id, workspace_id, title, description, status, proposed_by)
     VALUES ($1, $2, $3, 'Made by the e2e run.', 'draft', $4) RETURNING id`,
    [spec.tenant, spec.workspace, spec.title, spec.by],
  );
  for (const [position, p] of patches.entries()) {
    const patch = await one<{ id: string }>(
      `INSERT INTO workspace_patches (tenant_id, changeset_id, file_path, operation, unified_diff, new_content, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [spec.tenant, id, p.path, p.operation, createPatch(p.path, p.base, p.next), p.next, position],
    );
    await central.query(
      `INSERT INTO workspace_patch_bases (tenant_id, changeset_id, patch_id, base_sha256) VALUES ($1, $2, $3, $4)`,
      [spec.tenant, id, patch.id, sha256(p.base)],
    );
  }
  await central.query(`UPDATE workspace_changesets SET status = 'pending_review' WHERE id = $1`, [id]);
  if (spec.status === 'approved')
    await central.query(
      `UPDATE workspace_changesets SET status = 'approved', reviewed_by = $2, reviewed_at = now() WHERE id = $1`,
      [id, spec.reviewer],
    );
  return id;
}

test.beforeAll(async () => {
  expect(serverUrl, 'e2e/global-setup.ts sets OUTPOST_E2E_SYNC_URL').toMatch(/^https:\/\//);
  central = new pg.Client({ connectionString: centralUrl });
  await central.connect();
});

test.afterEach(() => consoleLog.attachIfFailed());

test.afterAll(async () => {
  await central?.end().catch(() => undefined);
});

const hunk = (page: Page) => page.getByTestId('review-hunk');
const state = (page: Page) => page.getByTestId('review-state');

test('a reviewer decides hunks, comments on a line, approves and applies; a stale changeset comes back as a conflict to resolve in the editor', async ({
  browser,
}) => {
  const testInfo = test.info();
  test.setTimeout(1_200_000);
  const admin = await one<{ id: string; tenant_id: string; name: string }>(
    `SELECT id, tenant_id, coalesce(nullif(btrim(full_name), ''), email) AS name
       FROM users WHERE email = 'admin@acme.test'`,
    [],
  );
  const approver = await one<{ id: string; name: string }>(
    `SELECT id, coalesce(nullif(btrim(full_name), ''), email) AS name FROM users WHERE email = 'approver@acme.test'`,
    [],
  );
  const ws = await one<{ id: string }>(
    `INSERT INTO workspaces (tenant_id, name, created_by) VALUES ($1, $2, $3) RETURNING id`,
    [admin.tenant_id, `${TAG} payouts`, admin.id],
  );
  await central.query(
    `INSERT INTO workspace_files (tenant_id, workspace_id, path, content) VALUES ($1, $2, $3, $4), ($1, $2, $5, $6)`,
    [admin.tenant_id, ws.id, `${DIR}/payout.js`, PAYOUT, `${DIR}/ledger.js`, LEDGER],
  );
  const base = { tenant: admin.tenant_id, workspace: ws.id };
  const reviewed = await changeset(
    { ...base, title: `${TAG} double step three`, by: approver.id, status: 'pending_review' },
    [
      { path: `${DIR}/payout.js`, operation: 'modify', base: PAYOUT, next: PAYOUT_NEXT },
      { path: `${DIR}/round.js`, operation: 'create', base: '', next: HELPER },
    ],
  );
  const LEDGER_OURS = LEDGER.replace("const entry5 = '5';", "const entry5 = 'five';");
  const stale = await changeset(
    {
      ...base,
      title: `${TAG} rename entry five`,
      by: admin.id,
      status: 'approved',
      reviewer: approver.id,
    },
    [{ path: `${DIR}/ledger.js`, operation: 'modify', base: LEDGER, next: LEDGER_OURS }],
  );
  // Someone changed the same line on the server since: the stale changeset's apply must conflict.
  await central.query(`UPDATE workspace_files SET content = $3 WHERE workspace_id = $1 AND path = $2`, [
    ws.id,
    `${DIR}/ledger.js`,
    LEDGER.replace("const entry5 = '5';", "const entry5 = 'FIVE';"),
  ]);

  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  consoleLog.follow(page);
  await page.goto('/');
  await page.getByLabel('Server').fill(serverUrl);
  await page.getByLabel('Tenant').fill('acme');
  await page.getByLabel('Email').fill('admin@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date', {
    timeout: 600_000,
  });

  // The review: title, state and people by name, the files changed, the diff in Monaco.
  await page.goto(`/#/changesets/${reviewed}`);
  const review = page.getByTestId('changeset-review');
  await expect(review.getByRole('heading', { level: 1 })).toHaveText(`${TAG} double step three`, {
    timeout: 120_000,
  });
  await expect(state(page)).toHaveText('Pending review');
  await expect(review.locator('.review-byline')).toContainText(`${approver.name} proposed it`);
  await expect(page.getByTestId('review-file')).toHaveCount(2);
  await expect(page.getByTestId('review-viewed-count')).toHaveText('0 of 2 viewed');
  const diff = page.getByTestId('review-diff');
  await expect(diff.locator('.modified .view-lines')).toContainText('doubled', { timeout: 60_000 });
  await expect(diff.locator('.original .view-lines')).toContainText('const step3 = 3;');
  await expect(hunk(page)).toHaveCount(2);

  // j / k move between files (the address follows); v marks the file viewed.
  await page.locator('body').focus();
  await page.keyboard.press('j');
  await expect(page).toHaveURL(
    new RegExp(`#/changesets/${reviewed}/${encodeURIComponent(`${DIR}/round.js`)}$`),
  );
  await expect(diff.locator('.modified .view-lines')).toContainText('Math.round');
  await page.keyboard.press('v');
  await expect(page.getByTestId('review-viewed-count')).toHaveText('1 of 2 viewed');
  await page.keyboard.press('k');
  await expect(page).toHaveURL(
    new RegExp(`#/changesets/${reviewed}/${encodeURIComponent(`${DIR}/payout.js`)}$`),
  );
  await expect(hunk(page)).toHaveCount(2);

  // Per-hunk decisions: the first accepted, the second (the removal) rejected.
  await hunk(page).nth(0).getByRole('button', { name: 'Accept' }).click();
  await expect(hunk(page).nth(0)).toHaveAttribute('data-decision', 'accept');
  await hunk(page).nth(1).getByRole('button', { name: 'Reject' }).click();
  await expect(hunk(page).nth(1)).toHaveAttribute('data-decision', 'reject');
  await expect(hunk(page).nth(1)).toContainText('left out on approval');

  // A comment on the line the cursor is on (the changed line, right side).
  await diff.locator('.modified .view-line').filter({ hasText: 'doubled' }).click();
  const form = page.getByTestId('review-comment-form');
  await expect(form.getByLabel('About')).toHaveValue('line');
  await expect(form.getByLabel('About').locator('option:checked')).toHaveText(/^Line 3 of payout\.js$/);
  await form.getByLabel('Comment').fill('Doubling matches the new payout policy.');
  await form.getByLabel('Comment').press('Control+Enter');
  const thread = page.getByTestId('review-thread').filter({ hasText: 'Line 3' });
  await expect(thread).toContainText('Doubling matches the new payout policy.');
  await expect(thread).toContainText(admin.name);
  await shot(page, testInfo, 'review-side-by-side');

  // Escape leaves the comment field; t: inline, the diff editor is no longer side by side.
  await form.getByLabel('Comment').press('Escape');
  await expect(form.getByLabel('Comment')).not.toBeFocused();
  await page.keyboard.press('t');
  await expect(diff.locator('.monaco-diff-editor')).not.toHaveClass(/side-by-side/);
  await shot(page, testInfo, 'review-inline');
  await page.keyboard.press('t');
  await expect(diff.locator('.monaco-diff-editor')).toHaveClass(/side-by-side/);

  // a approves: only the accepted hunk stays, on this device and then on the server.
  await page.keyboard.press('a');
  await expect(state(page)).toHaveText('Approved');
  await expect(page.getByTestId('review-notice')).toContainText('without the rejected hunks');
  await expect
    .poll(
      async () =>
        (
          await central.query<{ status: string }>(`SELECT status FROM workspace_changesets WHERE id = $1`, [
            reviewed,
          ])
        ).rows[0]?.status,
      { timeout: 120_000 },
    )
    .toBe('approved');
  const narrowed = await one<{ new_content: string }>(
    `SELECT new_content FROM workspace_patches WHERE changeset_id = $1 AND file_path = $2`,
    [reviewed, `${DIR}/payout.js`],
  );
  expect(narrowed.new_content).toBe(ONLY_FIRST);
  const comment = await one<{ line: number; side: string }>(
    `SELECT line, side FROM workspace_changeset_comments WHERE changeset_id = $1`,
    [reviewed],
  );
  expect(comment).toEqual({ line: 3, side: 'new' });

  // Apply: the server's files hold the accepted change and the new file.
  await page.getByRole('button', { name: 'Apply to the workspace' }).click();
  await expect(state(page)).toHaveText('Applied');
  await expect
    .poll(
      async () =>
        (
          await central.query<{ path: string; content: string }>(
            `SELECT path, content FROM workspace_files WHERE workspace_id = $1 AND path IN ($2, $3) ORDER BY path`,
            [ws.id, `${DIR}/payout.js`, `${DIR}/round.js`],
          )
        ).rows,
      { timeout: 120_000 },
    )
    .toEqual([
      { path: `${DIR}/payout.js`, content: ONLY_FIRST },
      { path: `${DIR}/round.js`, content: HELPER },
    ]);

  // The stale changeset: apply finds the file changed since, on the same line: a conflict, back to
  // its author with the file named; nothing is written.
  await page.goto(`/#/changesets/${stale}`);
  await expect(state(page)).toHaveText('Approved', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Apply to the workspace' }).click();
  await expect(state(page)).toHaveText('Rejected');
  const conflicts = page.getByTestId('review-conflicts');
  await expect(conflicts).toContainText(`${DIR}/ledger.js`);
  await expect(conflicts).toContainText('1 conflict');
  await expect(page.getByTestId('review-reason')).toContainText('ledger.js');
  await shot(page, testInfo, 'review-conflict');
  await expect
    .poll(
      async () =>
        (
          await central.query<{ status: string; conflicts: number }>(
            `SELECT c.status, (SELECT count(*)::int FROM workspace_patch_conflicts x WHERE x.changeset_id = c.id) AS conflicts
               FROM workspace_changesets c WHERE c.id = $1`,
            [stale],
          )
        ).rows[0],
      { timeout: 120_000 },
    )
    .toEqual({ status: 'rejected', conflicts: 1 });
  expect(
    (
      await one<{ content: string }>(
        `SELECT content FROM workspace_files WHERE workspace_id = $1 AND path = $2`,
        [ws.id, `${DIR}/ledger.js`],
      )
    ).content,
  ).toContain("'FIVE'");

  // Resolve in the editor: the merged text with its markers is the admin's draft of the file.
  await conflicts.getByRole('button', { name: 'Resolve in the editor' }).click();
  await expect(page).toHaveURL(
    new RegExp(`#/workspaces/${ws.id}/${encodeURIComponent(`${DIR}/ledger.js`)}$`),
  );
  const editor = page.locator('[data-testid="workspace-editor"] .view-lines');
  await expect(editor).toContainText('<<<<<<< changeset', { timeout: 60_000 });
  await expect(editor).toContainText('>>>>>>> workspace');
  await shot(page, testInfo, 'review-conflict-draft');

  await context.close();
});

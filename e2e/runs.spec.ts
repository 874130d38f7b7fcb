/**
 * Runs of record (issue 16, "Runs") as acme's admin meets them, in Chromium against the real sync
 * server with its jobs (e2e/global-setup.ts) and the seeded central Postgres:
 *
 *   a seeded workspace with a Jest test ─► the Runs panel ─► offline: Run tests is queued on this
 *   device and says it waits for the network; nothing reaches the server ─► online: the request is
 *   sent, the server's runner runs the Jest tests in its sandbox, and the run reaches Passed live
 *   (its state and artifacts come back by sync) ─► the run opens: its Output (stdout) lists the
 *   tests, its Report is the JSON report ─► SuiteQL assertions end as "Could not run", with the reason
 *
 * Screenshots at 1440×900: the runs panel offline (waiting), with the passed run, the stdout
 * artifact, the report.
 */
import { expect, test } from '@playwright/test';
import { centralConnection, shot, signInAndOpen } from './workspace-session.ts';

const central = centralConnection();

/** A seeded acme workspace with the seed's Jest test (never a workspace another spec made). */
async function workspaceWithTests(): Promise<{ workspaceId: string; workspace: string }> {
  const { rows } = await central().query<{ workspace_id: string; workspace: string }>(
    `SELECT w.id::text AS workspace_id, w.name AS workspace
       FROM workspaces w
       JOIN tenants t ON t.id = w.tenant_id AND t.slug = 'acme'
      WHERE EXISTS (SELECT 1 FROM workspace_files f WHERE f.workspace_id = w.id
                     AND f.path = '__tests__/ue_salesorder_validation.test.js')
        AND EXISTS (SELECT 1 FROM workspace_files f WHERE f.workspace_id = w.id AND f.path = '__tests__/stubs.js')
      ORDER BY w.name
      LIMIT 1`,
  );
  const row = rows[0];
  if (!row) throw new Error('the seed has no acme workspace with a Jest test');
  return { workspaceId: row.workspace_id, workspace: row.workspace };
}

test('request a Jest run offline, see it wait, then pass live on the server, and open its output', async ({
  browser,
}) => {
  const testInfo = test.info();
  test.setTimeout(1_500_000);
  const { workspaceId, workspace } = await workspaceWithTests();
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await signInAndOpen(page, workspace, workspaceId);
  const before = await central().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM workspace_runs WHERE workspace_id = $1`,
    [workspaceId],
  );

  await page.getByRole('tab', { name: 'Runs' }).click();
  const panel = page.getByTestId('runs-panel');
  await expect(panel).toBeVisible();

  // Offline: the request runs on this device and waits in the outbox.
  await context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: 60_000 });
  await panel.getByRole('button', { name: 'Run tests' }).click();
  const run = panel.getByTestId('workspace-run').first();
  await expect(run).toHaveAttribute('data-state', 'queued');
  await expect(run).toContainText('Jest tests');
  await expect(run).toContainText('Queued · waits for the network');
  await expect(panel.getByTestId('runs-waiting')).toHaveText('One run request waits for the network.');
  await shot(page, testInfo, 'runs-panel-offline');
  const offline = await central().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM workspace_runs WHERE workspace_id = $1`,
    [workspaceId],
  );
  expect(offline.rows[0]?.n, 'nothing reaches the server while offline').toBe(before.rows[0]?.n);

  // Online: the server runs it in its sandbox; the state comes back live.
  await context.setOffline(false);
  await expect(run).toHaveAttribute('data-state', 'passed', { timeout: 600_000 });
  await expect(run).toContainText('Passed');
  await expect(run).toContainText(/ms|s$/);
  await shot(page, testInfo, 'runs-panel-passed');

  await run.getByRole('button').first().click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByRole('tab', { name: /Output/ })).toHaveAttribute('aria-selected', 'true', {
    timeout: 120_000,
  });
  await expect(detail.getByTestId('run-artifact')).toContainText('PASS ue_salesorder_validation accepts');
  await expect(detail.getByTestId('run-artifact')).toContainText(/Tests: \d+ passed, 0 failed/);
  await shot(page, testInfo, 'run-stdout');
  await detail.getByRole('tab', { name: /Report/ }).click();
  await expect(detail.getByTestId('run-artifact')).toContainText('"state": "passed"');
  await shot(page, testInfo, 'run-report');

  // SuiteQL assertions cannot run here: an error with its reason, never a pass.
  await detail.getByRole('button', { name: '← All runs' }).click();
  await panel.getByRole('button', { name: 'SuiteQL assertions', exact: true }).click();
  const suiteql = panel.getByTestId('workspace-run').filter({ hasText: 'SuiteQL assertions' }).first();
  await expect(suiteql).toHaveAttribute('data-state', 'error', { timeout: 300_000 });
  await expect(suiteql).toContainText('Could not run');
  await context.close();
});

/**
 * Runs of record on PostgreSQL 15 through pg-boss: a queued sdf_validate run of a workspace with a
 * syntax error fails with the problem in its stdout and report; a suiteql_assertion run ends as
 * error (no NetSuite), never passed; a Jest run passes in the sandbox; every artifact carries its
 * sha256 and size; a second delivery of a finished run changes nothing; a run cancelled before it
 * was claimed stays cancelled without artifacts; runs of another tenant stay invisible to the
 * tenant's own context (row-level security).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import { eventually } from '../../scripts/testing/eventually.ts';
import type { TestDatabase } from '../../scripts/testing/postgres.ts';
import { inTenantTransaction } from '../db/tenant-transaction.ts';
import { WorkspaceRunRunner } from './run-runner.ts';
import { processRun } from './run-worker.ts';
import { sandboxAvailable } from './sandbox.ts';

const id = (n: number) => `d0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const T = id(1);
const OTHER = id(2);
const USER = id(3);
const WS = id(10);
const OTHER_WS = id(11);

const FIXTURES = `
  INSERT INTO tenants (id, name, slug) VALUES ('${T}', 'Runs', 'runs'), ('${OTHER}', 'Other', 'runs-other');
  INSERT INTO users (id, tenant_id, email, role) VALUES ('${USER}', '${T}', 'dev@runs.test', 'admin');
  INSERT INTO workspaces (id, tenant_id, name) VALUES ('${WS}', '${T}', 'Scripts'), ('${OTHER_WS}', '${OTHER}', 'Theirs');
  INSERT INTO workspace_files (tenant_id, workspace_id, path, content) VALUES
    ('${T}', '${WS}', 'src/broken.js', 'define([], () => { return {; });'),
    ('${T}', '${WS}', 'src/sum.js', 'define([], () => ({ sum: (a, b) => a + b }));'),
    ('${T}', '${WS}', '__tests__/sum.test.js', 'const { sum } = require("../src/sum.js");\ntest("adds", () => expect(sum(2, 3)).toBe(5));\n');
`;

let database: TestDatabase;
let admin: pg.Client;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createMigratedTestDatabase('workspace_runs');
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(FIXTURES);
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await admin?.end();
  await database?.drop();
});

let seq = 100;
async function queue(runType: string, workspace = WS, tenant = T): Promise<string> {
  const run = id(++seq);
  await admin.query(
    `INSERT INTO workspace_runs (id, tenant_id, workspace_id, run_type, status, started_by) VALUES ($1, $2, $3, $4, 'queued', $5)`,
    [run, tenant, workspace, runType, tenant === T ? USER : null],
  );
  return run;
}
const stateOf = async (run: string) =>
  (await admin.query<{ status: string }>(`SELECT status FROM workspace_runs WHERE id = $1`, [run])).rows[0]
    ?.status;
const artifactsOf = async (run: string) =>
  (
    await admin.query<{ artifact_type: string; content: string; size_bytes: string; sha256: string }>(
      `SELECT artifact_type, content, size_bytes, sha256 FROM workspace_artifacts WHERE run_id = $1 ORDER BY artifact_type`,
      [run],
    )
  ).rows;

describe('runs of record', { timeout: 120_000 }, () => {
  it('validates on the server: a syntax error fails the run, with the problem in stdout and the report', async () => {
    const run = await queue('sdf_validate');
    expect(await processRun(pool, { run_id: run, tenant_id: T })).toBe('failed');
    const artifacts = await artifactsOf(run);
    expect(artifacts.map((a) => a.artifact_type)).toEqual(['report', 'stderr', 'stdout']);
    for (const a of artifacts) {
      expect(Number(a.size_bytes)).toBe(Buffer.byteLength(a.content));
      expect(a.sha256).toBe(createHash('sha256').update(a.content).digest('hex'));
    }
    expect(artifacts.find((a) => a.artifact_type === 'stdout')?.content).toMatch(
      /^src\/broken\.js:1:\d+ error/,
    );
    const report = JSON.parse(artifacts.find((a) => a.artifact_type === 'report')?.content ?? '{}') as Record<
      string,
      unknown
    >;
    expect(report).toMatchObject({ state: 'failed', files: 3, errors: 1 });
    const { rows } = await admin.query(
      `SELECT started_at IS NOT NULL AS s, finished_at IS NOT NULL AS f, summary FROM workspace_runs WHERE id = $1`,
      [run],
    );
    expect(rows[0]).toMatchObject({ s: true, f: true, summary: { errors: 1 } });
  });

  it('ends a SuiteQL assertion as error with the reason, never as passed', async () => {
    const run = await queue('suiteql_assertion');
    expect(await processRun(pool, { run_id: run, tenant_id: T })).toBe('error');
    const stderr = (await artifactsOf(run)).find((a) => a.artifact_type === 'stderr');
    expect(stderr?.content).toContain('live NetSuite connection');
  });

  it('never runs a finished run again, and keeps a run cancelled before its claim cancelled', async () => {
    const run = await queue('suiteql_assertion');
    await processRun(pool, { run_id: run, tenant_id: T });
    expect(await processRun(pool, { run_id: run, tenant_id: T })).toBe('skipped');
    expect(await artifactsOf(run)).toHaveLength(3);
    const cancelled = await queue('sdf_validate');
    await admin.query(`UPDATE workspace_runs SET status = 'cancelled' WHERE id = $1`, [cancelled]);
    expect(await processRun(pool, { run_id: cancelled, tenant_id: T })).toBe('skipped');
    expect(await stateOf(cancelled)).toBe('cancelled');
    expect(await artifactsOf(cancelled)).toHaveLength(0);
  });

  it('does not see another tenant’s run from the wrong tenant', async () => {
    const theirs = await queue('sdf_validate', OTHER_WS, OTHER);
    expect(await processRun(pool, { run_id: theirs, tenant_id: T })).toBe('skipped');
    expect(await stateOf(theirs)).toBe('queued');
    const visible = await inTenantTransaction(
      pool,
      { tenantId: T, userId: USER },
      async (c) => (await c.query(`SELECT id FROM workspace_runs WHERE id = $1`, [theirs])).rows.length,
    );
    expect(visible).toBe(0);
    await admin.query(`UPDATE workspace_runs SET status = 'cancelled' WHERE id = $1`, [theirs]);
  });

  it.runIf(sandboxAvailable())(
    'dispatches queued runs as pg-boss jobs: a Jest run passes in the sandbox',
    async () => {
      const run = await queue('jest_test');
      const runner = await WorkspaceRunRunner.start({
        connectionString: database.url,
        pool,
        dispatchMs: 300,
        pollingIntervalSeconds: 0.5,
        log: () => undefined,
      });
      try {
        await eventually(async () => (await stateOf(run)) === 'passed', 'the Jest run to pass', 90_000);
        expect(await runner.runNow()).toBe(0);
      } finally {
        await runner.stop();
      }
      const stdout = (await artifactsOf(run)).find((a) => a.artifact_type === 'stdout');
      expect(stdout?.content).toContain('PASS adds');
    },
  );
});

/**
 * scripts/testing/pg-global-setup.ts: vitest global setup for `*.pg.test.ts`.
 *
 * Starts one throwaway PostgreSQL cluster for the whole run (or uses DATABASE_URL when the caller
 * sets it) and provides its admin URL to the tests (`inject('pgAdminUrl')`). Tests then create their
 * own databases with `createTestDatabase()` from ./postgres.ts. The cluster and its directory are
 * removed at teardown.
 */
import type { TestProject } from 'vitest/node';
import { PostgresCluster } from '../postgres/cluster.ts';
import { assertReachable } from './pg-admin.ts';
import './postgres.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['DATABASE_URL'];
  if (external) {
    await assertReachable(external);
    project.provide('pgAdminUrl', external);
    return async () => {};
  }
  const cluster = await PostgresCluster.start();
  project.provide('pgAdminUrl', cluster.url());
  return () => cluster.stop();
}

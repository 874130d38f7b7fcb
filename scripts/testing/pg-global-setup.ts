/**
 * scripts/testing/pg-global-setup.ts: vitest global setup for `*.pg.test.ts`.
 *
 * Starts one throwaway PostgreSQL cluster for the whole run (or uses DATABASE_URL when the caller
 * sets it) and provides its admin URL to the tests (`inject('pgAdminUrl')`). Tests then create their
 * own databases with `createTestDatabase()` from ./postgres.ts. The cluster and its directory are
 * removed at teardown.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { PostgresCluster } from '../postgres/cluster.ts';
import './postgres.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['DATABASE_URL'];
  if (external) {
    const client = new pg.Client({ connectionString: external });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(`DATABASE_URL is set but its server cannot be reached: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      await client.end().catch(() => undefined);
    }
    project.provide('pgAdminUrl', external);
    return async () => {};
  }
  const cluster = await PostgresCluster.start();
  project.provide('pgAdminUrl', cluster.url());
  return () => cluster.stop();
}

/**
 * scripts/testing/pg-admin.ts: small administrative steps on a test PostgreSQL server, shared by the
 * vitest and Playwright global setups and the test database helpers (no vitest import here).
 */
import pg from 'pg';

/** Fails with a clear message when the PostgreSQL at `url` (DATABASE_URL) cannot be reached. */
export async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
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
}

/** Runs `fn` with a connection to `adminUrl`, closed afterwards. */
export async function asAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops a test database and the replication slots in it (terminating their walsenders first). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await asAdmin(adminUrl, async (c) => {
    await c.query(
      `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL`,
      [name],
    );
    await c.query(
      `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1`,
      [name],
    );
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

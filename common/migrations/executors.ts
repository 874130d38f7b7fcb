/**
 * common/migrations/executors.ts: SqlExecutor adapters for the two databases Outpost runs on.
 *
 * Typed structurally, so `common/` depends on neither driver: anything shaped like a connected
 * `pg.Client` or a PGlite instance works. A pg executor needs one dedicated connection (not a pool),
 * because its transactions are BEGIN/COMMIT on that connection.
 */
import type { SqlExecutor } from './runner.ts';

interface PgLikeClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

interface PGliteLikeQueryable {
  exec(sql: string): Promise<unknown>;
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

interface PGliteLike extends PGliteLikeQueryable {
  transaction<T>(fn: (tx: PGliteLikeQueryable) => Promise<T>): Promise<T>;
}

export function pgExecutor(client: PgLikeClient): SqlExecutor {
  const executor: SqlExecutor = {
    async exec(sql) {
      await client.query(sql);
    },
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params]);
      return { rows: result.rows as Row[] };
    },
    async transaction(fn) {
      await client.query('BEGIN');
      try {
        const result = await fn(executor);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
  return executor;
}

function pgliteQueryable(db: PGliteLikeQueryable, transaction: SqlExecutor['transaction']): SqlExecutor {
  return {
    async exec(sql) {
      await db.exec(sql);
    },
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query(sql, [...params]);
      return { rows: result.rows as Row[] };
    },
    transaction,
  };
}

export function pgliteExecutor(db: PGliteLike): SqlExecutor {
  const executor = pgliteQueryable(db, (fn) =>
    db.transaction((tx) =>
      fn(
        pgliteQueryable(tx, () => {
          throw new Error('nested transactions are not supported by the migration executor');
        }),
      ),
    ),
  );
  return executor;
}

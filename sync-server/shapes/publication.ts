/**
 * sync-server/shapes/publication.ts: what must hold in PostgreSQL before a new shape's snapshot, so
 * that the replication stream and the snapshot meet with nothing lost: the table is in the
 * publication with REPLICA IDENTITY FULL (whole old rows on update and delete), and every transaction
 * that was running when it joined has ended (it would be decoded without the table).
 */
import type pg from 'pg';
import type { TableSchema } from './table-schema.ts';
import { quoteIdent } from './where/to-sql.ts';

/**
 * Waits until every transaction running now has ended. A transaction that wrote the table before
 * it joined the publication is decoded without it, so its changes never reach us; such a
 * transaction must be over (and so visible to our snapshot) before the snapshot is taken.
 */
export async function awaitTransactionsRunningNow(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ xmax: string }>(
    `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`,
  );
  const horizon = BigInt(rows[0]?.xmax ?? '0');
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    const now = await pool.query<{ xmin: string }>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
    );
    if (BigInt(now.rows[0]?.xmin ?? '0') >= horizon) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Adds the table to the publication (with REPLICA IDENTITY FULL) before its first snapshot. */
export async function ensurePublished(pool: pg.Pool, publication: string, table: TableSchema): Promise<void> {
  const { rows } = await pool.query(
    `SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3`,
    [publication, table.schema, table.name],
  );
  if (rows.length > 0) return;
  const qualified = `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`ALTER TABLE ${qualified} REPLICA IDENTITY FULL`);
    const parts = await client.query<{ part: string }>(
      `SELECT inhrelid::regclass::text AS part FROM pg_inherits WHERE inhparent = $1::oid`,
      [table.oid],
    );
    for (const { part } of parts.rows) await client.query(`ALTER TABLE ${part} REPLICA IDENTITY FULL`);
    await client.query(`ALTER PUBLICATION ${quoteIdent(publication)} ADD TABLE ${qualified}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // A concurrent request may have added it first.
    const again = await pool.query(
      `SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3`,
      [publication, table.schema, table.name],
    );
    if (again.rows.length === 0) throw error;
  } finally {
    client.release();
  }
}

/**
 * scripts/testing/event-writer.ts: a writer that keeps committing small multi-statement
 * transactions to an `events (id int PRIMARY KEY, batch int NOT NULL, note text)` table until told to
 * stop, and survives the database going away (it reconnects and carries on).
 *
 * Each transaction inserts `rowsPerTransaction` new rows, updates an earlier row and, every third
 * transaction, deletes one, so a stream of it has inserts, updates and deletes interleaved in
 * transactions of several operations. The outcome of a transaction whose COMMIT was cut off is
 * unknown to the writer: compare a client with the table itself, never with the writer's counts.
 */
import pg from 'pg';

export const EVENTS_DDL = `CREATE TABLE events (id int PRIMARY KEY, batch int NOT NULL, note text)`;

export interface EventWriter {
  /** Transactions committed so far (COMMIT acknowledged). */
  readonly committed: number;
  /** Transactions that failed (connection lost, database restarting). */
  readonly failed: number;
  /** The last error a transaction failed with. */
  readonly lastError: string | null;
  /** Resolves once `n` more transactions have committed after this call (rejects after `timeoutMs`). */
  commits(n: number, timeoutMs?: number): Promise<void>;
  /** Stops after the current transaction; resolves when the writer's connection is closed. */
  stop(): Promise<void>;
}

export function startEventWriter(
  databaseUrl: string,
  options: { firstId?: number; rowsPerTransaction?: number; pauseMs?: number } = {},
): EventWriter {
  const perTx = options.rowsPerTransaction ?? 5;
  let nextId = options.firstId ?? 1_000;
  let batch = 0;
  let committed = 0;
  let failed = 0;
  let lastError: string | null = null;
  let stopping = false;
  const waiters: { target: number; resolve: () => void }[] = [];
  const loop = (async () => {
    let client: pg.Client | null = null;
    while (!stopping) {
      try {
        if (!client) {
          const fresh = new pg.Client({ connectionString: databaseUrl });
          fresh.on('error', () => undefined); // a dying connection; the next query fails and we reconnect
          client = fresh;
          await fresh.connect();
          // The PostgreSQL default (the throwaway test cluster turns it off, and then a commit reaches
          // the walsender only when the WAL writer flushes, up to 200 ms later).
          await fresh.query('SET synchronous_commit = on');
        }
        const first = nextId;
        nextId += perTx;
        batch++;
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO events SELECT g, $3::int, 'new' FROM generate_series($1::int, $2::int) g`,
          [first, first + perTx - 1, batch],
        );
        await client.query(
          `UPDATE events SET note = 'updated in ' || $2::int, batch = $2::int WHERE id = $1`,
          [first - 3 * perTx + 1, batch],
        );
        if (batch % 3 === 0) await client.query(`DELETE FROM events WHERE id = $1`, [first - 5 * perTx + 2]);
        await client.query('COMMIT');
        committed++;
        for (const w of waiters.filter((x) => committed >= x.target)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
      } catch (error) {
        failed++;
        lastError = (error as Error).message;
        await client?.end().catch(() => undefined);
        client = null;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await client?.end().catch(() => undefined);
  })();
  return {
    get committed() {
      return committed;
    },
    get failed() {
      return failed;
    },
    get lastError() {
      return lastError;
    },
    commits: (n, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`the writer did not commit ${n} transactions in ${timeoutMs} ms: ${lastError}`));
        }, timeoutMs);
        waiters.push({
          target: committed + n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    async stop() {
      stopping = true;
      await loop;
      for (const w of waiters.splice(0)) w.resolve();
    },
  };
}

/**
 * bench/engine-open.ts: a cold open of an existing engine data directory, in a fresh process (run by
 * bench/engine.ts): start the Node host (lock, engine), resume the saved account (opens and checks
 * the account's PGlite database), and answer a first explorer query. Prints JSON timings in ms.
 *
 *   npx tsx bench/engine-open.ts <dataDir>
 */
import { startNodeHost } from '../core/host/node-host.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: engine-open.ts <dataDir>');
const t0 = performance.now();
const migrations = await loadMigrationFiles();
const t1 = performance.now();
// Offline: the numbers are about opening local data, not about reaching the server.
const host = await startNodeHost({
  dataDir,
  migrations,
  fetch: () => Promise.reject(new TypeError('fetch failed: offline')),
});
const client = host.connect();
const t2 = performance.now();
await client.call('session.resume', undefined);
const t3 = performance.now();
const page = await client.call('table.query', { table: 'workflows', limit: 50 });
const t4 = performance.now();
await host.close();
console.log(
  JSON.stringify({
    read_migrations_ms: +(t1 - t0).toFixed(1),
    host_start_ms: +(t2 - t1).toFixed(1),
    resume_and_open_database_ms: +(t3 - t2).toFixed(1),
    first_query_ms: +(t4 - t3).toFixed(1),
    total_ms: +(t4 - t0).toFixed(1),
    first_query_rows: page.rows.length,
  }),
);

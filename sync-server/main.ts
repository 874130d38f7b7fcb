/**
 * sync-server/main.ts: `npm run sync-server`, the sync server as a process.
 *
 * Environment: DATABASE_URL (required; a role that may create the replication slot and alter the
 * publication), PORT (default 3010), HOST (default 127.0.0.1), OUTPOST_SYNC_DATA_DIR (default
 * .outpost/sync-server), OUTPOST_SYNC_SLOT and OUTPOST_SYNC_PUBLICATION (default outpost_sync).
 *
 * Security: until the tenant gate exists this server has no authentication at all, so it refuses
 * to start unless given `--insecure-dev`, and then listens on loopback only.
 */
import path from 'node:path';
import { DEFAULT_PUBLICATION, DEFAULT_SLOT, SyncServer } from './server.ts';

function fail(message: string): never {
  console.error(`sync-server: ${message}`);
  process.exit(2);
}

const insecure = process.argv.includes('--insecure-dev');
if (!insecure) {
  fail(
    'refusing to start: this build has no authentication gate yet. For local development only, run with --insecure-dev ' +
      '(npm run sync-server -- --insecure-dev); it then serves every table to anyone who can reach 127.0.0.1.',
  );
}
const databaseUrl =
  process.env['DATABASE_URL'] ??
  fail('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/outpost).');
const port = Number(process.env['PORT'] ?? 3010);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`PORT must be a port number, got ${process.env['PORT']}.`);
const host = process.env['HOST'] ?? '127.0.0.1';
if (insecure && !['127.0.0.1', '::1', 'localhost'].includes(host))
  fail('--insecure-dev only listens on loopback; unset HOST.');

const server = await SyncServer.start({
  databaseUrl,
  dataDir: path.resolve(process.env['OUTPOST_SYNC_DATA_DIR'] ?? '.outpost/sync-server'),
  host,
  port,
  slotName: process.env['OUTPOST_SYNC_SLOT'] ?? DEFAULT_SLOT,
  publication: process.env['OUTPOST_SYNC_PUBLICATION'] ?? DEFAULT_PUBLICATION,
});
console.error(`sync-server: listening on ${server.url} (INSECURE development mode: no authentication)`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`sync-server: ${signal}, stopping`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

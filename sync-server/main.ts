/**
 * sync-server/main.ts: `npm run sync-server`, the sync server as a process.
 *
 * Environment:
 *   DATABASE_URL               required; a role that may create the replication slot and alter the
 *                              publication, and may SET ROLE outpost_app (docs/security.md)
 *   AUTH_SECRET                required (at least 32 bytes of random text): signs access tokens
 *   PORT                       default 3010
 *   HOST                       default 127.0.0.1
 *   OUTPOST_SYNC_DATA_DIR      shape logs; default .outpost/sync-server
 *   OUTPOST_SYNC_SLOT          replication slot; default outpost_sync
 *   OUTPOST_SYNC_PUBLICATION   publication; default outpost_sync
 *   ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD  most bytes of log entries one shape response carries
 *                              (a log chunk, the unit a cache keeps); default 4 MiB (Electric's name)
 *   UPSTREAM_SHAPE_URL         proxy mode: forward gated shape requests to this Shape API (Electric)
 *                              instead of running the engine here (docs/scaling.md)
 *   UPSTREAM_SECRET            proxy mode: Electric's API secret, sent upstream as `secret`
 *   TLS_CERT, TLS_KEY          PEM files: serve HTTPS with HTTP/2 (browsers need it for many live shapes)
 *   OUTPOST_SYNC_DEV_TLS=1     instead, a self-signed certificate for localhost, generated and kept in
 *                              the data directory (development and tests only)
 *   OUTPOST_JOBS=off           do not run the server's jobs (approval expiry, workspace runs; pg-boss); by
 *                              default every sync server runs them (pg-boss shares the work out)
 *
 * Security: the server always runs the gate (sign-in, tenant scope, sync rules). `--insecure-dev`
 * runs the bare engine without any authentication for local development: it must be asked for
 * explicitly and then listens on loopback only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadOrCreateDevCertificate } from './http/dev-certificate.ts';
import { createMutationService } from './mutations/mutation-service.ts';
import { DEFAULT_PUBLICATION, DEFAULT_SLOT, SyncServer } from './server.ts';

function fail(message: string): never {
  console.error(`sync-server: ${message}`);
  process.exit(2);
}

const insecure = process.argv.includes('--insecure-dev');
const databaseUrl =
  process.env['DATABASE_URL'] ??
  fail('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/outpost).');
const port = Number(process.env['PORT'] ?? 3010);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`PORT must be a port number, got ${process.env['PORT']}.`);
const host = process.env['HOST'] ?? '127.0.0.1';
if (insecure && !['127.0.0.1', '::1', 'localhost'].includes(host))
  fail('--insecure-dev only listens on loopback; unset HOST.');
const secret = process.env['AUTH_SECRET'];
if (!insecure && (!secret || Buffer.byteLength(secret) < 32))
  fail('AUTH_SECRET must be set to at least 32 bytes of random text (e.g. `openssl rand -base64 48`).');
const upstreamUrl = process.env['UPSTREAM_SHAPE_URL'];
if (insecure && upstreamUrl)
  fail('--insecure-dev cannot be combined with UPSTREAM_SHAPE_URL (proxy mode is gated).');

const dataDir = path.resolve(process.env['OUTPOST_SYNC_DATA_DIR'] ?? '.outpost/sync-server');
let tls: { cert: string; key: string } | null = null;
const certFile = process.env['TLS_CERT'];
const keyFile = process.env['TLS_KEY'];
if (certFile || keyFile) {
  if (!certFile || !keyFile) fail('TLS_CERT and TLS_KEY must be set together.');
  try {
    tls = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } catch (error) {
    fail(`cannot read the TLS certificate or key: ${(error as Error).message}`);
  }
} else if (process.env['OUTPOST_SYNC_DEV_TLS'] === '1') {
  const dev = await loadOrCreateDevCertificate(path.join(dataDir, 'tls'));
  console.error(`sync-server: development certificate for localhost, SHA-256 ${dev.fingerprint256}`);
  tls = dev;
}

// Electric's name for the same setting: the most bytes of log entries one response carries.
const chunkText = process.env['ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD'];
const chunkBytes = chunkText === undefined ? undefined : Number(chunkText);
if (chunkBytes !== undefined && (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1024))
  fail(`ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD must be a number of bytes (at least 1024), got ${chunkText}.`);

const server = await SyncServer.start({
  databaseUrl,
  dataDir,
  tls,
  host,
  port,
  jobs: process.env['OUTPOST_JOBS'] === 'off' ? null : {},
  ...(chunkBytes === undefined ? {} : { chunkBytes }),
  slotName: process.env['OUTPOST_SYNC_SLOT'] ?? DEFAULT_SLOT,
  publication: process.env['OUTPOST_SYNC_PUBLICATION'] ?? DEFAULT_PUBLICATION,
  auth: insecure || !secret ? null : { secret, mutations: (pool) => createMutationService(pool) },
  upstream: upstreamUrl
    ? {
        url: upstreamUrl,
        ...(process.env['UPSTREAM_SECRET'] ? { secret: process.env['UPSTREAM_SECRET'] } : {}),
      }
    : null,
});
console.error(
  insecure
    ? `sync-server: listening on ${server.url} (INSECURE development mode: no authentication)`
    : `sync-server: listening on ${server.url}${upstreamUrl ? ` (proxy mode, upstream ${upstreamUrl})` : ''}`,
);

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

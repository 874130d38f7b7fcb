/**
 * scripts/start.ts: `npm start`, the one command a newcomer runs after `npm install`.
 *
 * Brings up the whole local stack (scripts/dev-stack/stack.ts): a project-local PostgreSQL 15 kept in
 * `.outpost/postgres/` (migrated and seeded with the demo data on first run), or DATABASE_URL when
 * set; the sync server on https://localhost:3010; and the app: Electron where its binary is
 * installed, otherwise the browser host at https://localhost:5173, with the demo sign-ins printed.
 * Ctrl+C stops everything in order (app, sync server, PostgreSQL); the exit code is 0 then.
 *
 * Environment: DATABASE_URL, AUTH_SECRET (default: generated once into .outpost/auth-secret),
 * OUTPOST_STATE_DIR (default .outpost), OUTPOST_SYNC_PORT (3010), OUTPOST_WEB_PORT (5173),
 * OUTPOST_PG_BIN (PostgreSQL's bin directory), ELECTRON_OVERRIDE_DIST_PATH.
 */
import { runDevStack } from './dev-stack/stack.ts';

process.exit(await runDevStack(process.env));

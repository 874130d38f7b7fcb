/**
 * bench/audit-verify.ts: how long the device takes to verify a tenant's audit hash chain (issue 18:
 * 100,000 events in ≤ 2 s), in Node with WebCrypto over rows held in a real PGlite with the app's local
 * schema.
 *
 *   npx tsx bench/audit-verify.ts [--events 100000] [--runs 3] [--page 5000]
 *
 *   openLocalDatabase(temp directory) ─► one tenant ─► `--events` audit events with varied content
 *   (actors, actions, entities, before/after/changes JSON, every 7th with a null), chained by the
 *   shared 0051 trigger in transactions of 2,000 (enabled for the load only: on a device the server's
 *   hashes arrive by sync)
 *   ─► ANALYZE ─► `--runs` × verifyAuditChain (common/audit/chain-verification.ts: pages of `--page`
 *   rows read from PGlite, hashed concurrently by crypto.subtle, checked in order, then the head)
 *
 * Prints JSON: load time, each run's milliseconds, the best and median, events per second, and that
 * every run found the chain intact. The temp data directory is removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyAuditChain } from '../common/audit/chain-verification.ts';
import { openLocalDatabase, type LocalDatabase } from '../core/database/local-database.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';
import { arg } from './browser-stack.ts';

const events = Number(arg('events', '100000'));
const runs = Number(arg('runs', '3'));
const pageSize = Number(arg('page', '5000'));
const TENANT = '10000000-0000-4000-8000-000000000001';

/** Events per load transaction: the chain head row is updated once per event, and in one long
 * transaction its dead versions pile up, making every later lookup slower (quadratic in all). */
const LOAD_BATCH = 2000;

async function load(db: LocalDatabase): Promise<number> {
  const t0 = performance.now();
  await db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL electric.syncing = true`);
    await tx.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Acme', 'acme')`, [TENANT]);
  });
  await db.exec(`ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_chain`);
  for (let start = 1; start <= events; start += LOAD_BATCH)
    await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL electric.syncing = true`);
      await tx.query(
        `INSERT INTO audit_logs (tenant_id, created_at, actor_type, actor_id, category, action, entity_type,
                                 entity_id, before_state, after_state, changes, metadata, status, ip_address)
         SELECT $1, timestamptz '2026-01-01 00:00:00+00' + g * interval '1.234567 second',
                (ARRAY['user', 'assistant', 'system'])[1 + g % 3],
                CASE WHEN g % 3 = 0 THEN ('40000000-0000-4000-8000-' || lpad((g % 50)::text, 12, '0'))::uuid END,
                'data', (ARRAY['work_item.created', 'work_item.updated', 'approval.decided'])[1 + g % 3],
                (ARRAY['work_item', 'approval_request'])[1 + g % 2], 'E-' || (g % 5000),
                CASE WHEN g % 7 <> 0 THEN jsonb_build_object('status', 'open', 'amount', (g % 997) * 1.25, 'title', 'Item ' || g) END,
                jsonb_build_object('status', 'done', 'amount', (g % 991) * 1.5, 'title', 'Item ' || g || ' ✓'),
                jsonb_build_object('status', jsonb_build_array('open', 'done')),
                jsonb_build_object('source', 'bench', 'n', g),
                'success', '10.0.' || (g % 255) || '.1'
           FROM generate_series($2::int, $3::int) g`,
        [TENANT, start, Math.min(events, start + LOAD_BATCH - 1)],
      );
    });
  await db.exec(`ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_chain`);
  await db.exec('ANALYZE audit_logs');
  return Math.round(performance.now() - t0);
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-audit-'));
  let db: LocalDatabase | null = null;
  try {
    db = (await openLocalDatabase({ dataDir, migrations: await loadMigrationFiles() })).db;
    const loadMs = await load(db);
    const timings: number[] = [];
    let allOk = true;
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      const verdict = await verifyAuditChain(db, TENANT, { pageSize });
      timings.push(Math.round(performance.now() - t0));
      if (!verdict?.ok || verdict.checked !== events) {
        allOk = false;
        console.error('verification did not pass:', JSON.stringify(verdict));
      }
    }
    const sorted = timings.toSorted((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    console.log(
      JSON.stringify(
        {
          bench: 'audit-verify',
          events,
          pageSize,
          loadMs,
          runsMs: timings,
          bestMs: sorted[0],
          medianMs: median,
          eventsPerSecond: Math.round((events / median) * 1000),
          targetMs: 2000,
          allOk,
        },
        null,
        2,
      ),
    );
    if (!allOk) process.exitCode = 1;
  } finally {
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();

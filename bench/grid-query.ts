/**
 * bench/grid-query.ts: what one page of the explorer grid costs the local engine over 100k rows: the
 * real TableService (core/tables/table-service.ts) on a real PGlite with the app's local schema.
 *
 *   npx tsx bench/grid-query.ts [--rows 100000] [--samples 30] [--live-samples 10]
 *
 *   openLocalDatabase(temp data directory, loadMigrationFiles(): shared + client migrations)
 *   ─► `--rows` approvals inserted as server state (synced.approvals, electric.syncing = true, as the
 *      sync applier writes them; statuses cycle pending, pending, approved, rejected, expired) ─► ANALYZE
 *   ─► TableService.query, as the grid asks (limit 200): the first, middle and last page of
 *        unsorted        (the primary key order)
 *        sorted          title asc
 *        filtered        status eq 'pending' (primary key order)
 *      each `--samples` times after 3 warm-up runs: p50/p99 in ms; each page twice, side by side: as the
 *      app reads it (every row named, and the work item, requester, decider, approvers and tenant each
 *      row refers to), and without names (`labels: false`), with the ratio of the two
 *   ─► the total alone (the count(*) every page statement carries): SELECT count(*) with the same filter
 *   ─► TableService.liveQuery: from the call to its first page emitted (`--live-samples` subscriptions,
 *      each stopped after), first and middle page; the grid makes three of these per page boundary
 *
 * Prints JSON; exits 1 if a step fails. The temp data directory is removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TableQuery } from '../common/rpc/contract.ts';
import { openLocalDatabase, type LocalDatabase } from '../core/database/local-database.ts';
import { TableService } from '../core/tables/table-service.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const rows = Number(arg('rows', '100000'));
const samples = Number(arg('samples', '30'));
const liveSamples = Number(arg('live-samples', '10'));
const PAGE = 200;
const WARMUP = 3;
const PERMISSIONS = new Set(['approvals:read']);
const TENANT = '10000000-0000-4000-8000-000000000001';
const USER = '40000000-0000-4000-8000-000000000001';
const ASSISTANT = '60000000-0000-4000-8000-000000000001';
const ASSISTANT_TYPE = 'shared_finance';

const round = (n: number) => +n.toFixed(2);
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);
};

async function timed(runs: number, run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** `rows` approvals as server state, one tenant, 20 work items. */
async function seed(db: LocalDatabase): Promise<number> {
  const t0 = performance.now();
  await db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL electric.syncing = true`);
    // What the approvals' foreign keys need: the tenant, the requester, an assistant, 20 work items.
    await tx.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Acme', 'acme')`, [TENANT]);
    await tx.query(`INSERT INTO users (id, tenant_id, email) VALUES ($1, $2, 'bench@acme.test')`, [
      USER,
      TENANT,
    ]);
    await tx.query(
      `INSERT INTO assistants (id, tenant_id, name, slug, type) VALUES ($1, $2, 'Bench', 'bench', $3)`,
      [ASSISTANT, TENANT, ASSISTANT_TYPE],
    );
    await tx.query(
      `INSERT INTO work_items (id, tenant_id, assistant_id, title)
       SELECT ('50000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, $1, $2, 'bench work ' || g
         FROM generate_series(0, 19) g`,
      [TENANT, ASSISTANT],
    );
    await tx.query(
      `INSERT INTO synced.approvals (id, tenant_id, work_item_id, title, risk_level, status, requested_by,
                                     approver_ids, approved_by, approved_at, rejected_reason, expires_at,
                                     context, created_at, updated_at)
       SELECT gen_random_uuid(), $1, ('50000000-0000-4000-8000-' || lpad((g % 20)::text, 12, '0'))::uuid,
              'bench approval ' || ((g * 7919) % $3), g % 6, s.status, $2, ARRAY[$2::uuid],
              CASE WHEN s.status IN ('approved', 'rejected') THEN $2::uuid END,
              CASE WHEN s.status IN ('approved', 'rejected') THEN now() END,
              CASE WHEN s.status = 'rejected' THEN 'bench' END,
              now() + make_interval(mins => (g * 7919) % 100000),
              jsonb_build_object('source', 'bench', 'line', g), now(), now()
         FROM generate_series(1, $3) g
         CROSS JOIN LATERAL (SELECT (ARRAY['pending', 'pending', 'approved', 'rejected', 'expired'])[1 + g % 5]
                               AS status) s`,
      [TENANT, USER, rows],
    );
  });
  await db.exec('ANALYZE');
  return round((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = { rows, samples, live_samples: liveSamples, page: PAGE };
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-grid-query-'));
  let db: LocalDatabase | null = null;
  try {
    const t0 = performance.now();
    db = (await openLocalDatabase({ dataDir, migrations: await loadMigrationFiles() })).db;
    result['open_and_migrate_s'] = round((performance.now() - t0) / 1000);
    result['seed_s'] = await seed(db);
    const service = new TableService({ db });
    const plain = new TableService({ db, labels: false });

    const variants: Record<string, Omit<TableQuery, 'offset' | 'limit'>> = {
      unsorted: { table: 'approvals' },
      sorted_title_asc: { table: 'approvals', sort: [{ column: 'title', direction: 'asc' }] },
      filtered_pending: { table: 'approvals', filters: [{ column: 'status', op: 'eq', value: 'pending' }] },
    };
    const queries: Record<string, unknown> = {};
    for (const [name, base] of Object.entries(variants)) {
      const { total } = await service.query(PERMISSIONS, { ...base, offset: 0, limit: 1 });
      const lastPage = Math.max(0, Math.ceil(total / PAGE) - 1) * PAGE;
      const offsets = { first: 0, middle: Math.floor(total / 2 / PAGE) * PAGE, last: lastPage };
      const byOffset: Record<string, unknown> = { total };
      for (const [where, offset] of Object.entries(offsets)) {
        let returned = 0;
        let named = 0;
        const times = await timed(samples, async () => {
          const page = await service.query(PERMISSIONS, { ...base, offset, limit: PAGE });
          returned = page.rows.length;
          named = Object.keys(page.labels).length;
        });
        const without = await timed(samples, async () => {
          await plain.query(PERMISSIONS, { ...base, offset, limit: PAGE });
        });
        byOffset[`${where}_offset_${offset}`] = {
          ...times,
          rows: returned,
          reference_columns_named: named,
          without_labels: without,
          labels_ratio_p50: round(times.p50 / without.p50),
        };
      }
      queries[name] = byOffset;
    }
    result['query_ms'] = queries;

    result['count_only_ms'] = {
      all: await timed(samples, () => db!.query(`SELECT count(*) FROM public.approvals`)),
      pending: await timed(samples, () =>
        db!.query(`SELECT count(*) FROM public.approvals WHERE status = $1`, ['pending']),
      ),
    };

    const live: Record<string, unknown> = {};
    for (const [where, offset] of Object.entries({ first: 0, middle: Math.floor(rows / 2 / PAGE) * PAGE })) {
      let emitted = 0;
      const times = await timed(liveSamples, async () => {
        const stop = await service.liveQuery(
          PERMISSIONS,
          { table: 'approvals', offset, limit: PAGE },
          (page) => (emitted = page.rows.length),
          (error) => {
            throw error;
          },
        );
        stop();
      });
      live[`${where}_offset_${offset}`] = { ...times, rows: emitted };
    }
    result['live_query_first_page_ms'] = live;
    result['ok'] = true;
  } catch (error) {
    result['ok'] = false;
    result['error'] = (error as Error).stack ?? String(error);
  } finally {
    await db?.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result, null, 2));
  if (!result['ok']) process.exitCode = 1;
}

await main();

/**
 * bench/inbox-query.ts: what the inbox's named queries (three lists, two counts) cost the local engine at the size of
 * issue 15 (bench/inbox.ts measures the page): the real QueryService on a real PGlite with the app's
 * local schema, in Node.
 *
 *   npx tsx bench/inbox-query.ts [--approvals 100000] [--changesets 20000] [--samples 10] [--explain]
 *
 *   openLocalDatabase(temp directory, shared + client migrations) ─► server state as the sync applier
 *   writes it (electric.syncing = true): a tenant, the approver and a requester, an assistant, 1,000
 *   work items awaiting approval, `--approvals` pending approvals for the approver, 3 workspaces and
 *   `--changesets` changesets pending review ─► ANALYZE
 *   ─► each query as the inbox asks it (limit 1000), `--samples` times after 2 warm-up runs: p50 / max ms
 *   ─► `--explain`: EXPLAIN ANALYZE of each, printed to stderr
 *
 * Prints JSON; the temp data directory is removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareQuery, type QueryReader } from '../common/queries/query.ts';
import { NAMED_QUERIES } from '../common/queries/registry.ts';
import { openLocalDatabase, type LocalDatabase } from '../core/database/local-database.ts';
import { QueryService } from '../core/queries/query-service.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';
import { arg, percentiles } from './browser-stack.ts';

const approvals = Number(arg('approvals', '100000'));
const changesets = Number(arg('changesets', '20000'));
const samples = Number(arg('samples', '10'));
const explain = process.argv.includes('--explain');
const TENANT = '10000000-0000-4000-8000-000000000001';
const APPROVER = '40000000-0000-4000-8000-000000000001';
const REQUESTER = '40000000-0000-4000-8000-000000000002';
const ASSISTANT = '60000000-0000-4000-8000-000000000001';

const reader: QueryReader = {
  userId: APPROVER,
  tenantId: TENANT,
  visibleTenantIds: [TENANT],
  permissions: new Set(['approvals:read', 'changesets:review', 'work_items:read']),
};

const REQUESTS = [
  { name: 'approvals.waitingForMe', params: { tenantId: TENANT, limit: 1000 } },
  { name: 'changesets.awaitingMyReview', params: { tenantId: TENANT, limit: 1000 } },
  // Followed only while its list is full (renderer/inbox/inbox-store.ts): the nav counts them all.
  { name: 'approvals.waitingForMeCount', params: { tenantId: TENANT } },
  { name: 'changesets.awaitingMyReviewCount', params: { tenantId: TENANT } },
  {
    name: 'workItems.byStatus',
    params: { status: 'awaiting_approval', mine: true, tenantId: TENANT, limit: 1000 },
  },
] as const;

async function seed(db: LocalDatabase): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL electric.syncing = true`);
    await tx.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Acme', 'acme')`, [TENANT]);
    await tx.query(
      `INSERT INTO users (id, tenant_id, email, full_name)
       VALUES ($1, $3, 'approver@acme.test', 'Ann Approver'), ($2, $3, 'admin@acme.test', 'Ari Admin')`,
      [APPROVER, REQUESTER, TENANT],
    );
    await tx.query(
      `INSERT INTO assistants (id, tenant_id, name, slug, type) VALUES ($1, $2, 'Bench', 'bench', 'shared_finance')`,
      [ASSISTANT, TENANT],
    );
    await tx.query(
      `INSERT INTO work_items (id, tenant_id, assistant_id, title, status, created_by)
       SELECT ('50000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, $1, $2, 'bench work ' || g,
              'awaiting_approval', $3
         FROM generate_series(0, 999) g`,
      [TENANT, ASSISTANT, REQUESTER],
    );
    await tx.query(
      `INSERT INTO synced.approvals (id, tenant_id, work_item_id, title, description, risk_level, status,
                                     requested_by, approver_ids, expires_at, context, created_at, updated_at)
       SELECT gen_random_uuid(), $1, ('50000000-0000-4000-8000-' || lpad((g % 1000)::text, 12, '0'))::uuid,
              'Bench approval ' || g, 'Asked for by the bench, number ' || g, g % 6, 'pending', $2,
              ARRAY[$3::uuid], now() + interval '2 hours' + (g * 47 % 86400) * interval '1 minute', '{}',
              now() - (g * 31 % 43200) * interval '1 minute', now()
         FROM generate_series(1, $4::int) g`,
      [TENANT, REQUESTER, APPROVER, approvals],
    );
    await tx.query(
      `INSERT INTO workspaces (id, tenant_id, name)
       SELECT ('70000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, $1, 'Workspace ' || g
         FROM generate_series(0, 2) g`,
      [TENANT],
    );
    await tx.query(
      `INSERT INTO synced.workspace_changesets (id, tenant_id, workspace_id, title, description, status,
                                                proposed_by, created_at, updated_at)
       SELECT gen_random_uuid(), $1, ('70000000-0000-4000-8000-' || lpad((g % 3)::text, 12, '0'))::uuid,
              'Bench changeset ' || g, 'Proposed by the bench', 'pending_review', $2,
              now() - (g * 37 % 43200) * interval '1 minute', now() - (g * 37 % 43200) * interval '1 minute'
         FROM generate_series(1, $3::int) g`,
      [TENANT, REQUESTER, changesets],
    );
  });
  await db.exec('ANALYZE');
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-inbox-query-'));
  let db: LocalDatabase | null = null;
  try {
    db = (await openLocalDatabase({ dataDir, migrations: await loadMigrationFiles() })).db;
    await seed(db);
    const service = new QueryService(db);
    const result: Record<string, unknown> = { approvals, changesets, samples };
    for (const request of REQUESTS) {
      let rows = 0;
      const times: number[] = [];
      for (let i = 0; i < samples + 2; i++) {
        const t0 = performance.now();
        rows = (await service.run(reader, request)).rows.length;
        if (i >= 2) times.push(performance.now() - t0);
      }
      result[request.name] = { ...percentiles(times), rows };
      if (explain) {
        const query = NAMED_QUERIES.get(request.name);
        if (!query) throw new Error(`no query ${request.name}`);
        const statement = prepareQuery(query, request.params, reader);
        const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${statement.text}`, [
          ...statement.params,
        ]);
        console.error(`--- ${request.name}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
    }
    console.log(JSON.stringify(result));
  } finally {
    await db?.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();

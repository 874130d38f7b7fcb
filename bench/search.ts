/**
 * bench/search.ts: what search costs the local engine (issue 18): top-10 vector and hybrid search over
 * generated knowledge chunks in a real PGlite with the app's local schema, in Node, and the recall of
 * the HNSW index against exact search.
 *
 *   npx tsx bench/search.ts [--chunks 20000] [--queries 50] [--ef 40] [--m 16] [--ef-construction 64] [--explain]
 *
 *   openLocalDatabase(temp directory) ─► the HNSW index dropped ─► `--chunks` chunks of generated
 *   finance text (a seeded vocabulary, 8–30 words each, in 200 documents), each embedded by the
 *   deterministic embedder (1,024 dimensions) and tagged with its model, inserted as server state
 *   (electric.syncing = true) ─► the HNSW index built again after the load (m 16, ef_construction 64,
 *   as 0014) ─► ANALYZE
 *   ─► `--queries` queries (2–4 words of the vocabulary), 2 warm-up runs, then for each:
 *        vector   SELECT … ORDER BY embedding <=> q LIMIT 10 (hnsw.ef_search = --ef)      latency
 *        exact    the same with index scans off (a sequential scan): the true top 10       recall@10
 *        hybrid   search.hybrid through the real QueryService, limit 10                    latency
 *   ─► `--explain`: the plans of one vector and one hybrid query, on stderr
 *
 * Prints JSON (load, index build, p50/p95/p99/max per kind, recall@10 mean and min); the temp data
 * directory is removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { embedText, toVectorLiteral } from '../common/embeddings/deterministic-embedder.ts';
import { DETERMINISTIC_EMBEDDING_MODEL } from '../common/embeddings/provider.ts';
import { prepareQuery, type QueryReader } from '../common/queries/query.ts';
import { searchHybrid } from '../common/queries/search.ts';
import { openLocalDatabase, type LocalDatabase } from '../core/database/local-database.ts';
import { QueryService } from '../core/queries/query-service.ts';
import { loadMigrationFiles } from '../scripts/db/migration-files.ts';
import { seededRandom } from '../scripts/testing/seeded-random.ts';
import { arg } from './browser-stack.ts';

const chunks = Number(arg('chunks', '20000'));
const queryCount = Number(arg('queries', '50'));
const ef = Number(arg('ef', '40'));
const m = Number(arg('m', '16'));
const efConstruction = Number(arg('ef-construction', '64'));
const explain = process.argv.includes('--explain');
const TENANT = '10000000-0000-4000-8000-000000000001';
const DOCUMENTS = 200;
const BATCH = 250;

const reader: QueryReader = {
  userId: '40000000-0000-4000-8000-000000000001',
  tenantId: TENANT,
  visibleTenantIds: [TENANT],
  permissions: new Set(['knowledge:read']),
};

const VOCABULARY = (
  'refund payout dispute invoice ledger journal posting reconcile deposit bank stripe shopify netsuite ' +
  'approval approver delegate budget credit pool cost alert threshold tenant subsidiary holding customer ' +
  'order return damaged photo warehouse shipment carrier tracking tax rate currency exchange rounding ' +
  'accrual close period trial balance assertion workspace changeset patch review merge conflict audit ' +
  'chain hash evidence pack auditor export import cursor connection token expiry webhook retry backoff ' +
  'schedule workflow assistant agent prompt model embedding chunk document policy handbook runbook ' +
  'vendor supplier onboarding contract renewal discount coupon catalogue price stock sku variant ' +
  'subscription plan usage meter overage fee chargeback fraud evidence response deadline escalation'
).split(' ');

function words(random: () => number, n: number): string {
  return Array.from({ length: n }, () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]).join(' ');
}

const uuid = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function load(db: LocalDatabase): Promise<{ loadMs: number; indexMs: number }> {
  const random = seededRandom(18);
  await db.exec(`DROP INDEX IF EXISTS idx_knowledge_chunks_embedding`);
  const t0 = performance.now();
  await db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL electric.syncing = true`);
    await tx.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Acme', 'acme')`, [TENANT]);
    await tx.query(
      `INSERT INTO knowledge_documents (id, tenant_id, title, content_type, status)
       SELECT ('20000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, $1, 'Document ' || g,
              CASE WHEN g % 3 = 0 THEN 'application/pdf' ELSE 'text/markdown' END, 'ready'
         FROM generate_series(0, $2::int - 1) g`,
      [TENANT, DOCUMENTS],
    );
    for (let start = 0; start < chunks; start += BATCH) {
      const ids: string[] = [];
      const docs: string[] = [];
      const contents: string[] = [];
      const vectors: string[] = [];
      for (let i = start; i < Math.min(chunks, start + BATCH); i++) {
        const content = words(random, 8 + Math.floor(random() * 23));
        ids.push(uuid('30000000', i));
        docs.push(uuid('20000000', i % DOCUMENTS));
        contents.push(content);
        vectors.push(toVectorLiteral(embedText(content)));
      }
      await tx.query(
        `INSERT INTO knowledge_chunks (id, tenant_id, document_id, position, content, embedding, embedding_model)
         SELECT c.id, $1, c.doc, c.n, c.content, c.vector::vector, $6
           FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[]) WITH ORDINALITY
                AS c(id, doc, content, vector, n)`,
        [TENANT, ids, docs, contents, vectors, DETERMINISTIC_EMBEDDING_MODEL],
      );
    }
  });
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  await db.exec(
    `CREATE INDEX idx_knowledge_chunks_embedding ON knowledge_chunks
       USING hnsw (embedding vector_cosine_ops) WITH (m = ${m}, ef_construction = ${efConstruction})`,
  );
  const indexMs = performance.now() - t1;
  await db.exec('ANALYZE');
  return { loadMs: Math.round(loadMs), indexMs: Math.round(indexMs) };
}

function stats(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

const VECTOR_TOP10 = `SELECT id::text AS id FROM knowledge_chunks
   WHERE embedding_model = $2 AND tenant_id = $3::uuid
   ORDER BY embedding <=> $1::vector LIMIT 10`;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-search-'));
  let db: LocalDatabase | null = null;
  try {
    db = (await openLocalDatabase({ dataDir, migrations: await loadMigrationFiles() })).db;
    const loaded = await load(db);
    const service = new QueryService(db);
    await db.exec(`SET hnsw.ef_search = ${ef}`);
    const random = seededRandom(2026);
    const texts = Array.from({ length: queryCount + 2 }, () => words(random, 2 + Math.floor(random() * 3)));
    const vector: number[] = [];
    const exact: number[] = [];
    const hybrid: number[] = [];
    const recalls: number[] = [];
    for (const [i, text] of texts.entries()) {
      const embedding = Array.from(embedText(text));
      const literal = toVectorLiteral(embedding);
      const params = [literal, DETERMINISTIC_EMBEDDING_MODEL, TENANT];
      let t = performance.now();
      const approximate = (await db.query<{ id: string }>(VECTOR_TOP10, params)).rows.map((r) => r.id);
      const vectorMs = performance.now() - t;
      t = performance.now();
      const truth = await db.transaction(async (tx) => {
        await tx.exec(`SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off`);
        return (await tx.query<{ id: string }>(VECTOR_TOP10, params)).rows.map((r) => r.id);
      });
      const exactMs = performance.now() - t;
      t = performance.now();
      await service.run(reader, {
        name: 'search.hybrid',
        params: { text, embedding: { model: DETERMINISTIC_EMBEDDING_MODEL, vector: embedding }, limit: 10 },
      });
      const hybridMs = performance.now() - t;
      if (i < 2) continue; // warm-up
      vector.push(vectorMs);
      exact.push(exactMs);
      hybrid.push(hybridMs);
      const found = new Set(approximate);
      recalls.push(truth.length === 0 ? 1 : truth.filter((id) => found.has(id)).length / truth.length);
    }
    if (explain) {
      const text = texts[0] ?? 'refund';
      const embedding = Array.from(embedText(text));
      const plan = async (sql: string, params: readonly unknown[]) =>
        (await db!.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${sql}`, [...params])).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      console.error(
        `--- vector\n${await plan(VECTOR_TOP10, [toVectorLiteral(embedding), DETERMINISTIC_EMBEDDING_MODEL, TENANT])}`,
      );
      const statement = prepareQuery(
        searchHybrid,
        { text, embedding: { model: DETERMINISTIC_EMBEDDING_MODEL, vector: embedding }, limit: 10 },
        reader,
      );
      console.error(`--- hybrid\n${await plan(statement.text, statement.params)}`);
    }
    const mean = recalls.reduce((s, r) => s + r, 0) / Math.max(1, recalls.length);
    console.log(
      JSON.stringify({
        chunks,
        dimension: 1024,
        queries: recalls.length,
        efSearch: ef,
        m,
        efConstruction,
        ...loaded,
        vectorTop10Ms: stats(vector),
        exactTop10Ms: stats(exact),
        hybridTop10Ms: stats(hybrid),
        recallAt10: { mean: Math.round(mean * 1000) / 1000, min: Math.min(...recalls) },
      }),
    );
  } finally {
    await db?.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();

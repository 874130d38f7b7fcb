/**
 * search.hybrid, search.chunkContext and search.filterOptions (common/queries/search*.ts) on a client's
 * local database: chunks embedded by the deterministic embedder and stored as server state, as the
 * sync applier stores them. A document is found by its words, by its meaning (misspelled words the
 * full-text arm cannot match), and by both; the SQL fusion is the pure RRF function's; a query embedded
 * by another model never meets the stored vectors and gets full-text results with a notice; filters
 * and the tenant scope narrow.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedText, toVectorLiteral } from '../../common/embeddings/deterministic-embedder.ts';
import { deterministicEmbeddings } from '../../common/embeddings/provider.ts';
import { isOutpostError } from '../../common/errors.ts';
import type { QueryReader } from '../../common/queries/query.ts';
import type { SearchHitRow, SearchHybridRow } from '../../common/queries/search.ts';
import { MIN_SIMILARITY, SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../common/queries/search.ts';
import { reciprocalRankFusion } from '../../common/search/rrf.ts';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { QueryService } from './query-service.ts';

const ACME = '5ea4c000-0000-4000-8000-000000000001';
const GLOBEX = '5ea4c000-0000-4000-8000-000000000002';
const MODEL = deterministicEmbeddings.model;

interface DocumentFixture {
  readonly id: string;
  readonly tenant: string;
  readonly title: string;
  readonly type: string;
  readonly created: string;
  readonly paragraphs: readonly string[];
  readonly model?: string;
}

const doc = (n: number) => `5ea4c000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;
const chunk = (d: number, p: number) => `5ea4c000-0000-4000-8000-0000000${String(d).padStart(2, '0')}${p}00`;

const DOCUMENTS: readonly DocumentFixture[] = [
  {
    id: doc(1),
    tenant: ACME,
    title: 'Refund and returns policy',
    type: 'text/markdown',
    created: '2026-03-02T09:00:00Z',
    paragraphs: [
      'Customers may return unused items within 30 days of delivery for a full refund to the original payment method.',
      'Damaged-on-arrival items are refunded without a return once the customer sends a photo.',
      'Refunds are booked to account 4900 Sales Returns and Refunds in the next daily journal entry.',
    ],
  },
  {
    id: doc(2),
    tenant: ACME,
    title: 'Dispute handling',
    type: 'application/pdf',
    created: '2026-05-10T09:00:00Z',
    paragraphs: [
      'Respond to a dispute within seven days: attach the delivery scan and the customer emails.',
      'The dispute amount plus the dispute fee is debited from the next Stripe payout.',
    ],
  },
  {
    id: doc(3),
    tenant: ACME,
    title: 'Stripe payout reconciliation',
    type: 'text/markdown',
    created: '2026-06-20T09:00:00Z',
    paragraphs: [
      'Match each payout to a NetSuite deposit by amount and arrival date.',
      'Unmatched payouts older than five days open a work item for the Finance Close assistant.',
    ],
  },
  {
    id: doc(4),
    tenant: GLOBEX,
    title: 'Globex dispute handling',
    type: 'text/markdown',
    created: '2026-05-11T09:00:00Z',
    paragraphs: ['Respond to a dispute within five days; Globex attaches the signed delivery note.'],
  },
];

const reader = (visible = [ACME], permissions = ['knowledge:read']): QueryReader => ({
  userId: '5ea4c000-0000-4000-8000-0000000000ff',
  tenantId: visible[0] ?? ACME,
  visibleTenantIds: visible,
  permissions: new Set(permissions),
});

async function embedded(text: string, model = MODEL) {
  const [vector] = await deterministicEmbeddings.embed([text]);
  return { model, vector: Array.from(vector ?? []) };
}

const hits = (rows: readonly SearchHybridRow[]): SearchHitRow[] =>
  rows.filter((r): r is SearchHitRow => r.kind === 'hit');

describe('search queries', () => {
  let db: PGlite & { live: LiveNamespace };
  let queries: QueryService;

  async function search(params: Record<string, unknown>, who = reader()): Promise<SearchHybridRow[]> {
    const { rows } = await queries.run(who, { name: 'search.hybrid', params });
    return rows as unknown as SearchHybridRow[];
  }

  beforeAll(async () => {
    db = (await createLocalPGlite()) as PGlite & { live: LiveNamespace };
    await asServerState(db, async (tx) => {
      await tx.query(
        `INSERT INTO tenants (id, name, slug) VALUES ($1, 'Acme Retail', 'acme'), ($2, 'Globex', 'globex')`,
        [ACME, GLOBEX],
      );
      for (const [d, f] of DOCUMENTS.entries()) {
        await tx.query(
          `INSERT INTO knowledge_documents (id, tenant_id, title, content, content_type, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 'ready', $6, $6)`,
          [f.id, f.tenant, f.title, f.paragraphs.join('\n\n'), f.type, f.created],
        );
        for (const [p, text] of f.paragraphs.entries()) {
          await tx.query(
            `INSERT INTO knowledge_chunks (id, tenant_id, document_id, title, position, content, embedding,
                                           embedding_model, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7::vector, $8, $9, $9)`,
            [
              chunk(d + 1, p),
              f.tenant,
              f.id,
              f.title,
              p,
              text,
              toVectorLiteral(embedText(`${f.title}\n${text}`)),
              f.model ?? MODEL,
              f.created,
            ],
          );
        }
      }
    });
    queries = new QueryService(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('finds a document by its words, with the words highlighted in the snippet', async () => {
    const rows = await search({ text: 'refund photo', embedding: await embedded('refund photo') });
    const [top] = hits(rows);
    expect(rows[0]?.kind).toBe('hit');
    expect(top).toMatchObject({
      chunk_id: chunk(1, 1),
      document_id: doc(1),
      title: 'Refund and returns policy',
      tenant_name: 'Acme Retail',
      match: 'both',
      text_rank: 1,
    });
    expect(top?.snippet).toContain(`${SNIPPET_MARK_START}photo${SNIPPET_MARK_END}`);
    expect(top?.snippet).toContain(`${SNIPPET_MARK_START}refunded${SNIPPET_MARK_END}`);
    expect(typeof top?.document_date).toBe('string');
  });

  it('finds a document by meaning when its words are misspelled, and says so', async () => {
    const rows = hits(
      await search({ text: 'dispute handlng', embedding: await embedded('dispute handlng') }),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.match === 'meaning' && r.text_rank === null)).toBe(true);
    expect(rows[0]).toMatchObject({ document_id: doc(2), title: 'Dispute handling', vector_rank: 1 });
    expect(rows[0]?.similarity).toBeGreaterThanOrEqual(MIN_SIMILARITY);
    // Another tenant's document about the same thing is not in scope.
    expect(rows.some((r) => r.document_id === doc(4))).toBe(false);
  });

  it('orders hits exactly as the pure reciprocal rank fusion (k = 60) does', async () => {
    const text = 'dispute payout';
    const rows = hits(
      await search({ text: 'dispute OR payout OR refund', embedding: await embedded(text), limit: 100 }),
    );
    const list = (key: 'text_rank' | 'vector_rank') =>
      rows
        .filter((r) => r[key] !== null)
        .sort((a, b) => (a[key] ?? 0) - (b[key] ?? 0))
        .map((r) => r.chunk_id);
    const textList = list('text_rank');
    const vectorList = list('vector_rank');
    expect(textList.length).toBeGreaterThan(1);
    expect(vectorList.length).toBeGreaterThan(1);
    expect(rows.some((r) => r.match === 'both')).toBe(true);
    const fused = reciprocalRankFusion([textList, vectorList]);
    expect(rows.map((r) => r.chunk_id)).toEqual(fused.map((f) => f.id));
    expect(rows.map((r) => r.score)).toEqual(fused.map((f) => f.score));
  });

  it('never compares a query of another model with the stored vectors: full-text only, with a notice', async () => {
    const rows = await search({
      text: 'refund photo',
      embedding: await embedded('refund photo', 'other-model/1024'),
    });
    expect(rows[0]).toMatchObject({
      kind: 'notice',
      notice_code: 'embedding_model_mismatch',
      query_model: 'other-model/1024',
      stored_models: [MODEL],
    });
    const found = hits(rows);
    expect(found.map((r) => r.chunk_id)).toEqual([chunk(1, 1)]);
    expect(found.every((r) => r.match === 'text' && r.vector_rank === null)).toBe(true);
    // What only meaning finds is then not found at all, and the notice says why.
    const misspelled = await search({
      text: 'dispute handlng',
      embedding: await embedded('x', 'other-model/1024'),
    });
    expect(misspelled.map((r) => r.kind)).toEqual(['notice']);
    // A vector of another dimension never reaches SQL (it would fail there).
    const tiny = await search({
      text: 'refund photo',
      embedding: { model: 'tiny/3', vector: [0.1, 0.2, 0.3] },
    });
    expect(tiny[0]?.kind).toBe('notice');
    expect(hits(tiny)).toHaveLength(1);
  });

  it('searches by words only when the caller sends no embedding, without a notice', async () => {
    const rows = await search({ text: 'refund photo' });
    expect(rows.map((r) => [r.kind, r.match])).toEqual([['hit', 'text']]);
  });

  it('narrows to a document, a content type, a date range and a holding user’s tenant', async () => {
    const embedding = await embedded('dispute within days');
    const all = hits(await search({ text: 'dispute within days', embedding }, reader([ACME, GLOBEX])));
    expect(new Set(all.map((r) => r.document_id))).toContain(doc(4));
    const scoped = hits(
      await search({ text: 'dispute within days', embedding, tenantId: GLOBEX }, reader([ACME, GLOBEX])),
    );
    expect(new Set(scoped.map((r) => r.tenant_name))).toEqual(new Set(['Globex']));
    const oneDoc = hits(
      await search({ text: 'refund', embedding, documentId: doc(2) }, reader([ACME, GLOBEX])),
    );
    expect(new Set(oneDoc.map((r) => r.document_id))).toEqual(new Set([doc(2)]));
    const pdf = hits(
      await search({ text: 'dispute', embedding, contentType: 'application/pdf' }, reader([ACME, GLOBEX])),
    );
    expect(new Set(pdf.map((r) => r.document_id))).toEqual(new Set([doc(2)]));
    const may = hits(
      await search(
        { text: 'dispute', embedding, from: '2026-05-11T00:00:00Z', to: '2026-06-01T00:00:00Z' },
        reader([ACME, GLOBEX]),
      ),
    );
    expect(new Set(may.map((r) => r.document_id))).toEqual(new Set([doc(4)]));
    // A scope outside the visible tenants matches nothing.
    expect(await search({ text: 'dispute', embedding, tenantId: GLOBEX })).toEqual([]);
  });

  it('needs knowledge:read and refuses unknown parameters', async () => {
    for (const [params, who, code] of [
      [{ text: 'refund' }, reader([ACME], []), 'forbidden'],
      [{ text: 'refund', sql: 'x' }, reader(), 'validation'],
      [{ text: '   ' }, reader(), 'validation'],
    ] as const) {
      const error = await search(params, who).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isOutpostError(error) ? error.code : error).toBe(code);
    }
  });

  it('shows a hit’s chunk in its document, and the filter choices in scope', async () => {
    const { rows } = await queries.run(reader(), {
      name: 'search.chunkContext',
      params: { chunkId: chunk(1, 1) },
    });
    expect(rows.map((r) => [r['position'], r['is_hit']])).toEqual([
      [0, false],
      [1, true],
      [2, false],
    ]);
    expect(rows[0]).toMatchObject({
      title: 'Refund and returns policy',
      tenant_name: 'Acme Retail',
      embedding_model: MODEL,
    });
    const other = await queries.run(reader(), {
      name: 'search.chunkContext',
      params: { chunkId: chunk(4, 0) },
    });
    expect(other.rows).toEqual([]);
    const options = await queries.run(reader(), { name: 'search.filterOptions', params: {} });
    expect(options.rows.map((r) => `${String(r['kind'])}:${String(r['label'])}`)).toEqual([
      'document:Dispute handling',
      'document:Refund and returns policy',
      'document:Stripe payout reconciliation',
      'type:application/pdf',
      'type:text/markdown',
    ]);
  });
});

/**
 * common/queries/search.ts: hybrid search over the tenant's knowledge on the device (issue 18).
 *
 *   search.hybrid { text, embedding?: { model, vector }, tenantId?, documentId?, contentType?,
 *                   from?, to?, limit? }
 *
 *     text ──websearch_to_tsquery──► full-text arm: chunks whose content or document title match,
 *                                     by ts_rank_cd (title weighted A), top CANDIDATES
 *     embedding ──────────────────► vector arm: chunks of the SAME model tag, by cosine distance
 *                                     (pgvector <=>, the HNSW index of 0014), top CANDIDATES with
 *                                     similarity ≥ MIN_SIMILARITY (0.15)
 *                         both ─────► reciprocal rank fusion, k = 60 (common/search/rrf.ts):
 *                                     score = 1/(60 + text rank) + 1/(60 + vector rank), in float8,
 *                                     ties by best single rank, then chunk id
 *
 * Each hit: the document's title (highlighted), a snippet of the chunk with the query's words
 * highlighted (ts_headline; highlights between SNIPPET_MARK_START and SNIPPET_MARK_END, never HTML),
 * why it matched ('text', 'meaning' or 'both'), its ranks and score, the chunk id and document id for a
 * link, the tenant's name and the document's date.
 *
 * Model tags (migration 0340): a vector is compared only with vectors stored under the query's model
 * tag. When the scope holds vectors but none of the query's model, the query returns a `notice` row
 * first (code 'embedding_model_mismatch', the models found) and the hits are full-text only. A query
 * vector whose length is not the column's (KNOWLEDGE_EMBEDDING_DIMENSION) is never sent to SQL.
 *
 * Filters: a document, a content type, a date range over the document's creation time (from inclusive,
 * to exclusive), and the holding user's tenant scope (tenantCondition, as every query). Needs
 * knowledge:read, the permission that syncs the knowledge tables at all.
 */
import { z } from 'zod';
import { toVectorLiteral } from '../embeddings/deterministic-embedder.ts';
import { RRF_K } from '../search/rrf.ts';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { defineQuery, limitParam, tenantCondition, tenantScopeParam, uuidParam } from './query.ts';

/** The dimension of knowledge_chunks.embedding (vector(1024), migration 0014). */
export const KNOWLEDGE_EMBEDDING_DIMENSION = 1024;
/** How many candidates each arm contributes to the fusion. */
export const SEARCH_CANDIDATES = 50;
/** Below this cosine similarity a chunk is not a match by meaning. The deterministic embedder gives
 * unrelated texts 0 to about 0.12 (shared trigrams of unrelated words), texts sharing a word or a
 * misspelling of it 0.15 and more. */
export const MIN_SIMILARITY = 0.15;
/** Highlight delimiters in `snippet` and `title_highlighted` (Unicode private use: never in text). */
export const SNIPPET_MARK_START = '\uE000';
export const SNIPPET_MARK_END = '\uE001';

// One window of 30–60 words around the best cover of the query's words (no fragments: chunks are
// paragraphs, most shorter than that, so they show whole; a cut mid-sentence reads worse).
const HEADLINE = `StartSel=${SNIPPET_MARK_START}, StopSel=${SNIPPET_MARK_END}, MaxWords=60, MinWords=30`;
const TITLE_HEADLINE = `StartSel=${SNIPPET_MARK_START}, StopSel=${SNIPPET_MARK_END}, HighlightAll=true`;

export type SearchMatch = 'text' | 'meaning' | 'both';

export interface SearchHitRow {
  readonly kind: 'hit';
  readonly chunk_id: string;
  readonly document_id: string | null;
  readonly tenant_id: string;
  readonly tenant_name: string | null;
  readonly title: string;
  readonly title_highlighted: string;
  readonly snippet: string;
  readonly content_type: string | null;
  readonly source_path: string | null;
  readonly position: number;
  readonly document_date: string;
  readonly match: SearchMatch;
  readonly text_rank: number | null;
  readonly vector_rank: number | null;
  /** Cosine similarity to the query (null when the vector arm did not list the chunk). */
  readonly similarity: number | null;
  readonly score: number;
  readonly notice_code: null;
  readonly query_model: null;
  readonly stored_models: null;
}

type Nulls<T> = { readonly [K in keyof T]: null };

export interface SearchNoticeRow extends Nulls<
  Omit<SearchHitRow, 'kind' | 'notice_code' | 'query_model' | 'stored_models'>
> {
  readonly kind: 'notice';
  readonly notice_code: 'embedding_model_mismatch';
  readonly query_model: string;
  /** The model tags of the vectors in scope ('unknown' for untagged ones). */
  readonly stored_models: string[];
}

export type SearchHybridRow = SearchHitRow | SearchNoticeRow;

const isoTime = z.iso.datetime({ offset: true }).nullable().default(null);

const FILTERS = `${tenantCondition('c', 1)}
         AND ($6::uuid IS NULL OR c.document_id = $6::uuid)
         AND ($7::text IS NULL OR d.content_type = $7::text)
         AND ($8::timestamptz IS NULL OR coalesce(d.created_at, c.created_at) >= $8::timestamptz)
         AND ($9::timestamptz IS NULL OR coalesce(d.created_at, c.created_at) < $9::timestamptz)`;

export const searchHybrid = defineQuery<SearchHybridRow>()({
  name: 'search.hybrid',
  permission: 'knowledge:read',
  params: z.strictObject({
    text: z.string().trim().min(1).max(500),
    embedding: z
      .strictObject({
        model: z.string().min(1).max(100),
        vector: z.array(z.number().finite()).min(1).max(4096),
      })
      .nullable()
      .default(null),
    tenantId: tenantScopeParam,
    documentId: uuidParam.nullable().default(null),
    contentType: z.string().min(1).max(255).nullable().default(null),
    from: isoTime,
    to: isoTime,
    limit: limitParam(100, 20),
  }),
  reads: ['knowledge_chunks', 'knowledge_documents', 'tenants'],
  statement: (p, reader) => {
    const vector =
      p.embedding && p.embedding.vector.length === KNOWLEDGE_EMBEDDING_DIMENSION
        ? toVectorLiteral(p.embedding.vector)
        : null;
    return {
      text: `
      WITH q AS (SELECT websearch_to_tsquery('english', $3::text) AS q),
      text_matches AS (
        -- Three index-friendly ways in: the content (the GIN index of 0014), the document's title (few
        -- documents, then their chunks by idx_knowledge_chunks_document), a document-less chunk's title.
        SELECT c.id FROM knowledge_chunks c
         WHERE to_tsvector('english', c.content) @@ websearch_to_tsquery('english', $3::text)
        UNION
        SELECT c.id FROM knowledge_documents d JOIN knowledge_chunks c ON c.document_id = d.id
         WHERE to_tsvector('english', coalesce(d.title, '')) @@ websearch_to_tsquery('english', $3::text)
        UNION
        SELECT c.id FROM knowledge_chunks c
         WHERE c.document_id IS NULL
           AND to_tsvector('english', coalesce(c.title, '')) @@ websearch_to_tsquery('english', $3::text)),
      text_hits AS (
        SELECT c.id, row_number() OVER (ORDER BY x.rank DESC, c.id) AS rank
          FROM text_matches m
          JOIN knowledge_chunks c ON c.id = m.id
          LEFT JOIN knowledge_documents d ON d.id = c.document_id
          CROSS JOIN q
          CROSS JOIN LATERAL (
               SELECT ts_rank_cd(setweight(to_tsvector('english', coalesce(d.title, c.title, '')), 'A')
                                 || to_tsvector('english', c.content), q.q) AS rank) x
         WHERE ${FILTERS}
         ORDER BY x.rank DESC, c.id
         LIMIT $10),
      vector_candidates AS (
        SELECT c.id, c.embedding <=> $4::vector AS distance
          FROM knowledge_chunks c
          LEFT JOIN knowledge_documents d ON d.id = c.document_id
         WHERE $4::text IS NOT NULL AND c.embedding IS NOT NULL AND c.embedding_model = $5::text
           AND ${FILTERS}
         ORDER BY c.embedding <=> $4::vector
         LIMIT $10),
      vector_hits AS (
        SELECT id, distance, row_number() OVER (ORDER BY distance, id) AS rank
          FROM vector_candidates WHERE 1 - distance >= $11::float8),
      fused AS (
        SELECT coalesce(t.id, v.id) AS id, t.rank AS text_rank, v.rank AS vector_rank, v.distance,
               coalesce(1::float8 / (${RRF_K} + t.rank), 0) + coalesce(1::float8 / (${RRF_K} + v.rank), 0) AS score
          FROM text_hits t FULL JOIN vector_hits v ON v.id = t.id),
      notice AS (
        SELECT 'notice'::text AS kind, $5::text AS query_model,
               (SELECT array_agg(DISTINCT coalesce(c.embedding_model, 'unknown') ORDER BY coalesce(c.embedding_model, 'unknown'))::text[]
                  FROM knowledge_chunks c LEFT JOIN knowledge_documents d ON d.id = c.document_id
                 WHERE c.embedding IS NOT NULL AND ${FILTERS}) AS stored_models
         WHERE $5::text IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM knowledge_chunks c LEFT JOIN knowledge_documents d ON d.id = c.document_id
                            WHERE c.embedding IS NOT NULL AND c.embedding_model = $5::text AND ${FILTERS})
           AND EXISTS (SELECT 1 FROM knowledge_chunks c LEFT JOIN knowledge_documents d ON d.id = c.document_id
                        WHERE c.embedding IS NOT NULL AND ${FILTERS})),
      results AS (
      SELECT n.kind, NULL::text AS chunk_id, NULL::text AS document_id, NULL::text AS tenant_id,
             NULL::text AS tenant_name, NULL::text AS title, NULL::text AS title_highlighted, NULL::text AS snippet,
             NULL::text AS content_type, NULL::text AS source_path, NULL::int AS position,
             NULL::timestamptz AS document_date, NULL::text AS match, NULL::int AS text_rank,
             NULL::int AS vector_rank, NULL::float8 AS similarity, NULL::float8 AS score,
             'embedding_model_mismatch'::text AS notice_code, n.query_model, n.stored_models,
             0 AS section, NULL::int AS best_rank
        FROM notice n
      UNION ALL
      SELECT * FROM (
        SELECT 'hit', c.id::text, c.document_id::text, c.tenant_id::text, tn.name,
               coalesce(d.title, c.title, c.source_path, 'Untitled'),
               ts_headline('english', coalesce(d.title, c.title, c.source_path, 'Untitled'), q.q, $13),
               ts_headline('english', c.content, q.q, $12),
               d.content_type, c.source_path, c.position, coalesce(d.created_at, c.created_at),
               CASE WHEN f.text_rank IS NOT NULL AND f.vector_rank IS NOT NULL THEN 'both'
                    WHEN f.text_rank IS NOT NULL THEN 'text' ELSE 'meaning' END,
               f.text_rank::int, f.vector_rank::int, 1 - f.distance, f.score,
               NULL::text, NULL::text, NULL::text[], 1, least(coalesce(f.text_rank, 2147483647), coalesce(f.vector_rank, 2147483647))::int
          FROM fused f
          JOIN knowledge_chunks c ON c.id = f.id
          LEFT JOIN knowledge_documents d ON d.id = c.document_id
          LEFT JOIN tenants tn ON tn.id = c.tenant_id
          CROSS JOIN q
         ORDER BY f.score DESC, 22, c.id
         LIMIT $14) hits)
      SELECT kind, chunk_id, document_id, tenant_id, tenant_name, title, title_highlighted, snippet, content_type,
             source_path, position, document_date, match, text_rank, vector_rank, similarity, score, notice_code,
             query_model, stored_models
        FROM results
       ORDER BY section, score DESC, best_rank, chunk_id`,
      params: [
        toPgArrayLiteral(reader.visibleTenantIds),
        p.tenantId,
        p.text,
        vector,
        p.embedding?.model ?? null,
        p.documentId,
        p.contentType,
        p.from,
        p.to,
        SEARCH_CANDIDATES,
        MIN_SIMILARITY,
        HEADLINE,
        TITLE_HEADLINE,
        p.limit,
      ],
    };
  },
});

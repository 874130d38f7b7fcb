/**
 * common/queries/search-documents.ts: what the search view shows beside its hits.
 *
 *   search.chunkContext { chunkId }
 *     the chunk a hit points to, in its document: every chunk of the same document (or, for shared
 *     documentation without a document row, of the same source path and tenant) in position order,
 *     with the document's title, type, tags, date and tenant name; `is_hit` marks the chunk asked for.
 *   search.filterOptions { tenantId? }
 *     the choices of the search filters: the documents that have chunks (by title) and their content
 *     types, in the reader's scope.
 *
 * Both scope rows to the reader's visible tenants (and the holding user's tenant scope), as every query.
 */
import { z } from 'zod';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { defineQuery, tenantCondition, tenantScopeParam, uuidParam } from './query.ts';

export interface ChunkContextRow {
  readonly chunk_id: string;
  readonly document_id: string | null;
  readonly tenant_id: string;
  readonly tenant_name: string | null;
  readonly title: string;
  readonly content_type: string | null;
  readonly tags: string[] | null;
  readonly url: string | null;
  readonly document_date: string;
  readonly position: number;
  readonly content: string;
  readonly embedding_model: string | null;
  readonly is_hit: boolean;
}

export const searchChunkContext = defineQuery<ChunkContextRow>()({
  name: 'search.chunkContext',
  permission: 'knowledge:read',
  params: z.strictObject({ chunkId: uuidParam }),
  reads: ['knowledge_chunks', 'knowledge_documents', 'tenants'],
  statement: ({ chunkId }, reader) => ({
    text: `
      WITH hit AS (
        SELECT c.id, c.tenant_id, c.document_id, c.source_path FROM knowledge_chunks c
         WHERE c.id = $3::uuid AND ${tenantCondition('c', 1)})
      SELECT c.id::text AS chunk_id, c.document_id::text AS document_id, c.tenant_id::text AS tenant_id,
             tn.name AS tenant_name, coalesce(d.title, c.title, c.source_path, 'Untitled') AS title,
             d.content_type, d.tags::text[] AS tags, d.url, coalesce(d.created_at, c.created_at) AS document_date,
             c.position, c.content, c.embedding_model, c.id = hit.id AS is_hit
        FROM hit
        JOIN knowledge_chunks c ON c.tenant_id = hit.tenant_id
             AND (c.document_id = hit.document_id
                  OR (hit.document_id IS NULL AND c.document_id IS NULL AND c.source_path = hit.source_path))
        LEFT JOIN knowledge_documents d ON d.id = c.document_id
        LEFT JOIN tenants tn ON tn.id = c.tenant_id
       ORDER BY c.position, c.id
       LIMIT 500`,
    params: [toPgArrayLiteral(reader.visibleTenantIds), null, chunkId],
  }),
});

export interface SearchFilterOptionRow {
  readonly kind: 'document' | 'type';
  /** The document id, or the content type. */
  readonly value: string;
  /** The document's title (with its tenant for a holding user's view), or the content type. */
  readonly label: string;
  readonly tenant_name: string | null;
}

export const searchFilterOptions = defineQuery<SearchFilterOptionRow>()({
  name: 'search.filterOptions',
  permission: 'knowledge:read',
  params: z.strictObject({ tenantId: tenantScopeParam }),
  reads: ['knowledge_chunks', 'knowledge_documents', 'tenants'],
  statement: ({ tenantId }, reader) => ({
    text: `
      SELECT * FROM (
        SELECT 'document' AS kind, d.id::text AS value, coalesce(d.title, 'Untitled') AS label, tn.name AS tenant_name
          FROM knowledge_documents d
          LEFT JOIN tenants tn ON tn.id = d.tenant_id
         WHERE ${tenantCondition('d', 1)}
           AND EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.document_id = d.id)
        UNION ALL
        SELECT DISTINCT 'type', d.content_type, d.content_type, NULL
          FROM knowledge_documents d
         WHERE ${tenantCondition('d', 1)} AND d.content_type IS NOT NULL
           AND EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.document_id = d.id)) options
       ORDER BY kind, label, tenant_name, value
       LIMIT 2000`,
    params: [toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});

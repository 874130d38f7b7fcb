/**
 * scripts/db/seed/knowledge.ts: the knowledge base (002 knowledge_documents/chunks, 001 Document,
 * 000 doc_chunks) with embeddings from the deterministic embedder, plus knowledge gaps and
 * reranking telemetry.
 *
 * Each document is chunked by paragraph; chunk 0 of a document is the parent of the others
 * (parent_chunk_id), the 002 "small-to-big" layout. Embeddings: embedText(title + text), 1024
 * dimensions, so search over the seeded data behaves (texts sharing words rank closer); every chunk's
 * vector is tagged with the deterministic embedder's model (embedding_model, migration 0340), the tag
 * the app's search embeds its queries with. The shared
 * documentation chunks belong to the system tenant and have a source_path, no document.
 */
import { embedText } from '../../../common/embeddings/deterministic-embedder.ts';
import { DETERMINISTIC_EMBEDDING_MODEL } from '../../../common/embeddings/provider.ts';
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import { pgArray } from './copy.ts';
import type { TenantWorld } from './model.ts';
import { SYSTEM_TENANT_ID } from './reference.ts';
import { handbook, operationalNote, SHARED_DOCS, type DocumentText } from './knowledge-content.ts';
import { slugify } from './vocabulary.ts';

const tokens = (text: string): number => Math.ceil(text.split(/\s+/).length * 1.35);

const GAP_QUERIES = [
  [
    'how do I split a payout across two subsidiaries',
    'payout to two subsidiaries',
    'intercompany payout split',
  ],
  ['can I refund to a different card', 'refund other payment method', 'refund to new card'],
  ['what is the cutoff time for same-day posting', 'posting cutoff', 'when does the daily JE run'],
  ['how to handle multi-currency refunds', 'refund in EUR for USD order', 'fx on refunds'],
  ['who approves write-offs over 1000', 'write-off approval limit', 'approval limit write off'],
] as const;

export async function seedKnowledge(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const documents = ctx.writer(
    'knowledge_documents',
    [
      'id',
      'tenant_id',
      'user_id',
      'title',
      'content',
      'content_type',
      'url',
      'uri',
      'tags',
      'metadata',
      'status',
      'embedding',
      'created_at',
      'updated_at',
    ],
    { batchRows: 500 },
  );
  const chunks = ctx.writer(
    'knowledge_chunks',
    [
      'id',
      'tenant_id',
      'document_id',
      'parent_chunk_id',
      'source_path',
      'title',
      'position',
      'content',
      'token_count',
      'embedding',
      'embedding_model',
      'metadata',
      'created_at',
      'updated_at',
    ],
    { parents: [documents], batchRows: 500 },
  );
  const gaps = ctx.writer('knowledge_gaps', [
    'id',
    'tenant_id',
    'cluster_id',
    'representative_queries',
    'importance',
    'suggested_topics',
    'status',
    'created_at',
    'updated_at',
  ]);
  const reranking = ctx.writer('reranking_events', [
    'id',
    'tenant_id',
    'query',
    'document_count',
    'model',
    'relevance_scores',
    'processing_time_ms',
    'cost',
    'created_at',
  ]);

  // 000 shared documentation, owned by the system tenant.
  const shared = ctx.rng('knowledge:system');
  const sharedAt = ctx.ago(200 * DAY);
  for (const doc of SHARED_DOCS) {
    for (const [position, text] of doc.paragraphs.entries()) {
      await chunks.add({
        id: shared.uuid(),
        tenant_id: SYSTEM_TENANT_ID,
        document_id: null,
        parent_chunk_id: null,
        source_path: doc.path,
        title: doc.title,
        position,
        content: text,
        token_count: tokens(text),
        embedding: embedText(`${doc.title}\n${text}`),
        embedding_model: DETERMINISTIC_EMBEDDING_MODEL,
        metadata: { origin: 'outpost-docs', format: 'markdown' },
        created_at: sharedAt,
        updated_at: sharedAt,
      });
    }
  }

  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`knowledge:${tenant.slug}`);
    const start = tenant.createdAt.getTime();
    const docs: { text: DocumentText; at: Date }[] = handbook(tenant).map((text, i) => ({
      text,
      at: new Date(Math.min(start + (i + 1) * rng.between(2, 12) * HOUR, ctx.anchorMs - DAY)),
    }));
    const notes = ctx.count(1.5 * tenant.weight);
    for (let i = 0; i < notes; i++) {
      const at = new Date(start + (ctx.anchorMs - start) * rng.float());
      docs.push({ text: operationalNote(tenant, rng, at), at });
    }
    for (const [d, { text, at }] of docs.entries()) {
      const id = rng.uuid();
      const body = text.paragraphs.join('\n\n');
      // The newest note is still being indexed: processing, no chunks yet.
      const status = d === docs.length - 1 && notes > 0 ? 'processing' : 'ready';
      const slug = slugify(text.title);
      await documents.add({
        id,
        tenant_id: tenant.id,
        user_id: rng.pick([users.admin, users.ops, users.finance]).id,
        title: text.title,
        content: body,
        content_type: 'text/markdown',
        url: d < 8 ? `https://wiki.${tenant.slug}.example.com/${slug}` : null,
        uri: `s3://outpost-kb/${tenant.id}/${slug}-${id.slice(0, 8)}.md`,
        tags: pgArray(text.tags),
        metadata: { source: d < 8 ? 'handbook' : 'notes', words: body.split(/\s+/).length, language: 'en' },
        status,
        embedding: status === 'ready' ? embedText(`${text.title}\n${body}`) : null,
        created_at: at,
        updated_at: new Date(Math.min(at.getTime() + 10 * MINUTE, ctx.anchorMs)),
      });
      if (status !== 'ready') continue;
      let parent: string | null = null;
      for (const [position, paragraph] of text.paragraphs.entries()) {
        const chunkId = rng.uuid();
        await chunks.add({
          id: chunkId,
          tenant_id: tenant.id,
          document_id: id,
          parent_chunk_id: parent,
          source_path: null,
          title: text.title,
          position,
          content: paragraph,
          token_count: tokens(paragraph),
          embedding: embedText(`${text.title}\n${paragraph}`),
          embedding_model: DETERMINISTIC_EMBEDDING_MODEL,
          metadata: { heading: text.title, chars: paragraph.length },
          created_at: new Date(Math.min(at.getTime() + 5 * MINUTE, ctx.anchorMs)),
          updated_at: new Date(Math.min(at.getTime() + 5 * MINUTE, ctx.anchorMs)),
        });
        if (position === 0) {
          parent = chunkId;
          world.documents.push({ id, title: text.title, chunkId });
        }
      }
    }

    for (const [cluster, queries] of GAP_QUERIES.entries()) {
      if (tenant.plan === 'trial' && cluster > 1) break;
      const at = ctx.ago(rng.between(1, 20) * DAY);
      await gaps.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        cluster_id: cluster,
        representative_queries: pgArray(queries),
        importance: rng.between(0.2, 0.95).toFixed(4),
        suggested_topics: pgArray([`Add a section on ${queries[1]}`]),
        status: rng.weighted([
          ['open', 6],
          ['addressed', 2],
          ['dismissed', 1],
        ] as const),
        created_at: at,
        updated_at: ctx.after(at, rng.between(1, 72) * HOUR),
      });
    }

    const queries: string[] = [...GAP_QUERIES.flat(), ...world.documents.map((x) => x.title.toLowerCase())];
    const events = ctx.count(20 * tenant.weight);
    for (let i = 0; i < events; i++) {
      const n = rng.int(5, 40);
      const scores = Array.from(
        { length: Math.min(n, 5) },
        () => Math.round(rng.between(0.05, 0.99) * 1000) / 1000,
      ).sort((a, b) => b - a);
      await reranking.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        query: rng.pick(queries),
        document_count: n,
        model: rng.pick(['rerank-v3.5', 'rerank-2-lite']),
        relevance_scores: { top: scores },
        processing_time_ms: rng.int(40, 420),
        cost: (n * 0.00002).toFixed(6),
        created_at: ctx.ago(rng.between(0, Math.min(60, (ctx.anchorMs - start) / DAY)) * DAY),
      });
    }
  }
  await ctx.finish(documents, chunks, gaps, reranking);
}

-- 0014_knowledge: knowledge-base documents, their chunks with embeddings, and retrieval telemetry.
-- Serves: knowledge_documents (002) + documents (001 Document, view);
--         knowledge_chunks (002) + doc_chunks (000, view) + semantic_chunks (001 SemanticChunk, view);
--         002 knowledge_gaps, reranking_events.
--
-- One chunk table for the three seeds' RAG stores: 000's documentation chunks (identified by source_path,
-- no document row), 002's document chunks and 001's semantic chunks (001 keeps them in Qdrant; here they
-- live in pgvector). A chunk belongs to a document (tenant-pinned, CASCADE) or names its source_path.
-- 000's shared documentation belongs to the system tenant 00000000-0000-0000-0000-000000000000, a tenants
-- row that the central bootstrap creates (a migration inserts no data).
-- Embeddings are vector(1024) (000 Voyage, 002; 001 gives no size). Search: HNSW cosine indexes and a GIN
-- full-text index on to_tsvector('english', content) (an expression index: no generated column to sync).

CREATE TABLE knowledge_documents (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    user_id       uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,  -- 001: User 1-* Document
    title         text,                                       -- 002
    content       text,                                       -- 002
    content_type  varchar(255),                               -- 002 contentType, 001 mimeType
    url           text,                                       -- 002 (source URL)
    uri           text,                                       -- 001 (object storage location)
    tags          text[] NOT NULL DEFAULT '{}',               -- 002
    metadata      jsonb,                                      -- 001
    status        varchar(20) NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'processing', 'ready')),   -- 001
    embedding     vector(1024),                               -- 002
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_knowledge_documents_tenant_status ON knowledge_documents (tenant_id, status);
CREATE INDEX idx_knowledge_documents_embedding ON knowledge_documents
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);

-- 001 Document.
CREATE VIEW documents AS
    SELECT id, tenant_id, uri, content_type AS mime_type, metadata, status, user_id, created_at, updated_at
    FROM knowledge_documents;

CREATE TABLE knowledge_chunks (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    document_id      uuid,                                    -- 002, 001
    parent_chunk_id  uuid,                                    -- 002
    source_path      varchar(1024),                           -- 000
    title            varchar(512),                            -- 000
    position         integer NOT NULL DEFAULT 0,              -- 002 position, 000 chunk_index
    content          text NOT NULL,
    token_count      integer,
    embedding        vector(1024),
    metadata         jsonb,                                   -- 001
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    CONSTRAINT knowledge_chunks_has_origin CHECK (document_id IS NOT NULL OR source_path IS NOT NULL),
    FOREIGN KEY (document_id, tenant_id) REFERENCES knowledge_documents (id, tenant_id)
        ON DELETE CASCADE DEFERRABLE,
    FOREIGN KEY (parent_chunk_id, tenant_id) REFERENCES knowledge_chunks (id, tenant_id)
        ON DELETE SET NULL (parent_chunk_id) DEFERRABLE
);
CREATE INDEX idx_knowledge_chunks_document ON knowledge_chunks (document_id, position);
CREATE INDEX idx_knowledge_chunks_parent ON knowledge_chunks (parent_chunk_id);
CREATE INDEX idx_knowledge_chunks_tenant_source_path ON knowledge_chunks (tenant_id, source_path, position);
CREATE INDEX idx_knowledge_chunks_embedding ON knowledge_chunks
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX idx_knowledge_chunks_content_fts ON knowledge_chunks
    USING gin (to_tsvector('english', content));

-- 000 doc_chunks.
CREATE VIEW doc_chunks AS
    SELECT id, tenant_id, source_path, title, position AS chunk_index, content, token_count, embedding,
           created_at, updated_at
    FROM knowledge_chunks;

-- 001 SemanticChunk.
CREATE VIEW semantic_chunks AS
    SELECT id, tenant_id, document_id, position, content, embedding, metadata, created_at, updated_at
    FROM knowledge_chunks;

CREATE TABLE knowledge_gaps (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id               uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    cluster_id              integer NOT NULL,
    representative_queries  text[] NOT NULL DEFAULT '{}',
    importance              numeric(6,4),
    suggested_topics        text[] NOT NULL DEFAULT '{}',
    status                  varchar(20) NOT NULL DEFAULT 'open',
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_knowledge_gaps_tenant_status_importance ON knowledge_gaps (tenant_id, status, importance);

CREATE TABLE reranking_events (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    query               text NOT NULL,
    document_count      integer NOT NULL,
    model               varchar(100),
    relevance_scores    jsonb,
    processing_time_ms  integer,
    cost                numeric(10,6),
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_reranking_events_tenant_created ON reranking_events (tenant_id, created_at);

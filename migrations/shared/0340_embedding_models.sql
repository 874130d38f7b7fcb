-- 0340_embedding_models: every stored vector names the model that made it. Serves: 000 doc_chunks,
-- 001 SemanticChunk, 002 knowledge_chunks (their embeddings), and issue 18 (hybrid search).
-- Expand only: one nullable column and one index on knowledge_chunks; nothing is renamed or dropped.
--
-- knowledge_chunks.embedding_model
--   The tag of the embedding model that made `embedding`, for example 'outpost-deterministic-v1/1024'
--   (common/embeddings/provider.ts) or a provider's model name with its dimension. Search compares
--   vectors only with a query embedded by the same model (common/queries/search.ts): cosine distance
--   between two models' vectors means nothing. NULL: the model is unknown (rows written before this
--   migration, or without a vector); such vectors are never searched by meaning, only by words.
--   Its own column, not a key in `metadata`: a search filters on it, and the index below serves that.
--
-- knowledge_chunks is read-only on clients (common/sync/rules.ts: no write rule), so on a client it is
-- a plain public table that only the sync applier writes: adding a column there needs no overlay hook
-- (docs/local-schema.md, "Changing the schema later"), and the same statement is right on both sides.
-- knowledge_documents.embedding gets no tag here: that table is writable on clients (an overlay view),
-- whose columns cannot change without a hook, and search reads the chunks' vectors only.

ALTER TABLE knowledge_chunks ADD COLUMN embedding_model varchar(100);

-- "Does this scope hold vectors of the query's model?" (search's fallback notice), and the vector arm's
-- tenant filter, without a scan of every chunk.
CREATE INDEX idx_knowledge_chunks_tenant_embedding_model ON knowledge_chunks (tenant_id, embedding_model);

/**
 * common/embeddings/provider.ts: how text becomes vectors, behind one interface, so search and
 * ingestion do not care which model answers.
 *
 *   EmbeddingProvider { model, dimension, embed(texts) }   the contract
 *   deterministicEmbeddings                                 the built-in one: common/embeddings/
 *                                                           deterministic-embedder.ts, no network,
 *                                                           for tests, demos and offline use
 *
 * Guarantees:
 *   - `model` is the tag stored beside every vector the provider made (knowledge_chunks.embedding_model,
 *     migration 0340) and sent with every query vector; it names the model and its dimension, so two
 *     providers with the same tag make comparable vectors and two with different tags never meet
 *     (common/queries/search.ts falls back to full-text search with a notice).
 *   - `embed` returns one vector of `dimension` numbers per text, in order.
 * Other providers (an OpenAI-compatible endpoint behind the sync server, a local model) implement the
 * same interface; none ships yet (issue 18).
 */
import { DEFAULT_EMBEDDING_DIMENSION, embedText } from './deterministic-embedder.ts';

export interface EmbeddingProvider {
  /** The tag stored with every vector this provider makes: '<model>/<dimension>'. */
  readonly model: string;
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** The deterministic embedder's tag. Change the version when its algorithm changes. */
export const DETERMINISTIC_EMBEDDING_MODEL = `outpost-deterministic-v1/${DEFAULT_EMBEDDING_DIMENSION}`;

export const deterministicEmbeddings: EmbeddingProvider = {
  model: DETERMINISTIC_EMBEDDING_MODEL,
  dimension: DEFAULT_EMBEDDING_DIMENSION,
  embed: (texts) => Promise.resolve(texts.map((text) => embedText(text, DEFAULT_EMBEDDING_DIMENSION))),
};

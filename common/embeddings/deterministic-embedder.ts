/**
 * common/embeddings/deterministic-embedder.ts: a pure, dependency-free text embedder for demo data,
 * tests and offline use, where a real embedding model (Voyage, OpenAI) is not available.
 *
 *   text ──lower-case──► word tokens ──┬─► "w:<word>"            weight 1.0 ─┐
 *                                      └─► "t:<trigram>" (" word ") 0.5  ─┴─► hash ─► bucket, sign ─► L2-normalise
 *
 * Feature hashing ("the hashing trick"): every word and every character trigram of a word (padded
 * with spaces, so prefixes and suffixes count) is hashed (FNV-1a, 32 bit, over UTF-16 code units,
 * then a murmur3 finaliser). The hash picks a bucket and, from an independent bit, a sign (+1/-1),
 * which keeps collisions unbiased. The vector is then scaled to unit length, so cosine similarity
 * is a dot product and texts that share words or word pieces are closer than texts that do not.
 *
 * Invariants: pure and deterministic (same text and dimension, same vector, on every runtime:
 * 32-bit integer hashing and double-precision sums in a fixed order); runtime-neutral
 * (no Node, DOM or network). Text without any letter or digit embeds to the zero vector, which has
 * no direction: callers should not store it where cosine distance is taken.
 * Not a semantic model: it knows nothing of synonyms. Do not use it for real retrieval quality.
 */

export const DEFAULT_EMBEDDING_DIMENSION = 1024;

const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.5;
const TOKEN = /[\p{L}\p{N}]+/gu;

/** FNV-1a over UTF-16 code units, then murmur3's fmix32 so neighbouring inputs spread over all bits. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function addFeature(vector: Float64Array, feature: string, weight: number): void {
  const h = hash32(feature);
  // Bucket from the low bits, sign from the top bit: independent for any dimension below 2^31.
  const bucket = (h & 0x7fffffff) % vector.length;
  vector[bucket] = (vector[bucket] ?? 0) + (h & 0x80000000 ? -weight : weight);
}

/** Lower-cased word tokens (letters and digits of any script). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/**
 * Embeds `text` into a unit-length vector of `dimension` numbers (zero vector for text without
 * words). Throws for a dimension that is not a positive integer.
 */
export function embedText(text: string, dimension: number = DEFAULT_EMBEDDING_DIMENSION): Float32Array {
  if (!Number.isInteger(dimension) || dimension <= 0) {
    throw new RangeError(`embedding dimension must be a positive integer, got ${dimension}`);
  }
  const sums = new Float64Array(dimension);
  for (const word of tokenize(text)) {
    addFeature(sums, `w:${word}`, WORD_WEIGHT);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) {
      addFeature(sums, `t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
    }
  }
  let norm = 0;
  for (const v of sums) norm += v * v;
  norm = Math.sqrt(norm);
  const out = new Float32Array(dimension);
  if (norm === 0) return out;
  for (let i = 0; i < dimension; i++) out[i] = (sums[i] ?? 0) / norm;
  return out;
}

/** Cosine similarity of two vectors of the same length (0 when either is the zero vector). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vector lengths differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * pgvector's text form, `[0.012345,-0.5,...]`, with a fixed number of decimals so the literal is
 * the same on every runtime.
 */
export function toVectorLiteral(vector: ArrayLike<number>, decimals = 6): string {
  const parts: string[] = new Array<string>(vector.length);
  for (let i = 0; i < vector.length; i++) parts[i] = (vector[i] ?? 0).toFixed(decimals);
  return `[${parts.join(',')}]`;
}

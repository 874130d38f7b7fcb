import { describe, expect, it } from 'vitest';
import {
  cosineSimilarity,
  DEFAULT_EMBEDDING_DIMENSION,
  embedText,
  toVectorLiteral,
  tokenize,
} from './deterministic-embedder.ts';

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('deterministic embedder', () => {
  it('gives the same vector for the same text', () => {
    const a = embedText('Refund the Shopify order #1042 to the customer');
    const b = embedText('Refund the Shopify order #1042 to the customer');
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(toVectorLiteral(a)).toBe(toVectorLiteral(b));
  });

  it('ignores case', () => {
    expect(Array.from(embedText('NetSuite Journal Entry'))).toEqual(
      Array.from(embedText('netsuite journal entry')),
    );
  });

  it('honours the dimension, 1024 by default', () => {
    expect(embedText('hello world')).toHaveLength(DEFAULT_EMBEDDING_DIMENSION);
    expect(DEFAULT_EMBEDDING_DIMENSION).toBe(1024);
    expect(embedText('hello world', 1536)).toHaveLength(1536);
    expect(embedText('hello world', 7)).toHaveLength(7);
    expect(() => embedText('x', 0)).toThrow(RangeError);
    expect(() => embedText('x', 2.5)).toThrow(RangeError);
  });

  it('returns unit-length vectors', () => {
    for (const text of ['a', 'Stripe payout reconciliation', 'Ünïcödé und Umlaute: Größe', '42']) {
      expect(norm(embedText(text))).toBeCloseTo(1, 5);
      expect(norm(embedText(text, 64))).toBeCloseTo(1, 5);
    }
  });

  it('returns the zero vector for text without words', () => {
    expect(norm(embedText('  !?  '))).toBe(0);
  });

  it('puts texts that share words closer than unrelated texts', () => {
    const query = embedText('How do I reconcile a Stripe payout with NetSuite deposits?');
    const related = embedText('Reconciling Stripe payouts against NetSuite bank deposits, step by step');
    const unrelated = embedText('The marketing team plans a spring campaign for hiking boots');
    expect(cosineSimilarity(query, related)).toBeGreaterThan(cosineSimilarity(query, unrelated) + 0.1);
  });

  it('rewards shared word pieces (trigrams), not only whole words', () => {
    const base = embedText('reconciliation');
    expect(cosineSimilarity(base, embedText('reconcile'))).toBeGreaterThan(
      cosineSimilarity(base, embedText('campaign')),
    );
  });

  it('tokenizes letters and digits of any script, lower-cased', () => {
    expect(tokenize('Order #A-1042, Größe: XL')).toEqual(['order', 'a', '1042', 'größe', 'xl']);
  });

  it('writes pgvector literals with fixed decimals', () => {
    expect(toVectorLiteral([0.5, -0.25, 1 / 3], 3)).toBe('[0.500,-0.250,0.333]');
  });
});

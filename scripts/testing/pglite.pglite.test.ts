/**
 * Smoke test of the local database harness: PGlite starts from the cached template, has pgvector,
 * and answers a cosine nearest-neighbour query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { createTestPGlite } from './pglite.ts';

describe('test PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await createTestPGlite();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('runs PostgreSQL in WASM with the vector extension', async () => {
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
    await db.exec('CREATE TABLE items (id int PRIMARY KEY, embedding vector(3))');
    await db.exec(`INSERT INTO items VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.9,0.1,0]')`);
    const { rows } = await db.query<{ id: number }>(
      `SELECT id FROM items ORDER BY embedding <=> '[1,0,0]' LIMIT 2`,
    );
    expect(rows.map((r) => r.id)).toEqual([1, 3]);
  });

  it('starts each instance empty and independent', async () => {
    const other = await createTestPGlite();
    try {
      const { rows } = await other.query<{ t: string | null }>(`SELECT to_regclass('items')::text AS t`);
      expect(rows[0]?.t).toBeNull();
    } finally {
      await other.close();
    }
  });
});

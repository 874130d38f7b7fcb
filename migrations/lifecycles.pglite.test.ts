import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe } from 'vitest';
import { pgliteExecutor } from '../common/migrations/executors.ts';
import type { SqlExecutor } from '../common/migrations/runner.ts';
import { createMigratedPGlite } from '../scripts/testing/migrated.ts';
import { lifecyclesContract } from './lifecycles.testkit.ts';

describe('lifecycles on PGlite', () => {
  let pglite: PGlite;
  let db: SqlExecutor;
  beforeAll(async () => {
    pglite = await createMigratedPGlite();
    db = pgliteExecutor(pglite);
  });
  afterAll(async () => {
    await pglite?.close();
  });
  lifecyclesContract(() => db);
});

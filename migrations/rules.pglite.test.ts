import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe } from 'vitest';
import { pgliteExecutor } from '../common/migrations/executors.ts';
import { createMigratedPGlite } from '../scripts/testing/migrated.ts';
import { businessRulesContract, type RulesDatabase } from './rules.testkit.ts';

describe('business rules on PGlite', () => {
  let pglite: PGlite;
  let database: RulesDatabase;
  beforeAll(async () => {
    pglite = await createMigratedPGlite();
    const db = pgliteExecutor(pglite);
    database = {
      db,
      asSuperuserWithoutTriggers: (sql, params = []) =>
        db.transaction(async (tx) => {
          await tx.exec(`SET LOCAL session_replication_role = replica`);
          await tx.query(sql, params);
        }),
    };
  });
  afterAll(async () => {
    await pglite?.close();
  });
  businessRulesContract(() => database);
});

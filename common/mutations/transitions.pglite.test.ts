/**
 * The lifecycle transition operations on PGlite with the shared schema: the contract of
 * transitions.testkit.ts, as on PostgreSQL.
 */
import { describe } from 'vitest';
import { createMigratedPGlite } from '../../scripts/testing/migrated.ts';
import { transitionsContract } from './transitions.testkit.ts';

describe('lifecycle transitions on PGlite', () => {
  transitionsContract(async () => {
    const pglite = await createMigratedPGlite();
    return {
      sql: pglite,
      exec: async (sql) => {
        await pglite.exec(sql);
      },
      close: () => pglite.close(),
    };
  });
});

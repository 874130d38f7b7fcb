/**
 * The write operations on a local PGlite with the full local schema: the same contract as on
 * PostgreSQL (operations.testkit.ts), so a named mutation run optimistically on the client refuses
 * and writes exactly what the server does.
 */
import { describe } from 'vitest';
import { createMigratedPGlite } from '../../scripts/testing/migrated.ts';
import { writeOperationsContract } from './operations.testkit.ts';

describe('write operations on PGlite', () => {
  writeOperationsContract(async () => {
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

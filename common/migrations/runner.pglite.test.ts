import { describe } from 'vitest';
import { createTestPGlite } from '../../scripts/testing/pglite.ts';
import { pgliteExecutor } from './executors.ts';
import { migrationRunnerContract } from './runner.testkit.ts';

describe('migration runner on PGlite', () => {
  migrationRunnerContract(async () => {
    const pglite = await createTestPGlite();
    return { db: pgliteExecutor(pglite), close: () => pglite.close() };
  });
});

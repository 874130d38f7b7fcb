/**
 * vitest.config.ts: three projects, named for the environment a test needs.
 *   unit    `*.test.ts`         pure, fast (`npm run test:unit`)
 *   pglite  `*.pglite.test.ts`  a real local PGlite
 *   pg      `*.pg.test.ts`      a real central PostgreSQL 15 (throwaway cluster, or DATABASE_URL)
 * Playwright specs in e2e/ are run by `playwright test`, not vitest.
 */
import { defineConfig } from 'vitest/config';

const ignored = [
  '**/node_modules/**',
  'out/**',
  'dist/**',
  'dist-web/**',
  'dist-harness/**',
  'e2e/**',
  '.outpost/**',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: [...ignored, '**/*.pglite.test.ts', '**/*.pg.test.ts'],
        },
      },
      {
        test: {
          name: 'pglite',
          include: ['**/*.pglite.test.ts'],
          exclude: ignored,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'pg',
          include: ['**/*.pg.test.ts'],
          exclude: ignored,
          globalSetup: ['scripts/testing/pg-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

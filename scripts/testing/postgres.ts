/**
 * scripts/testing/postgres.ts: cheap, isolated databases for `*.pg.test.ts`.
 *
 * `createTestDatabase()` makes a new database on the run's cluster (see pg-global-setup.ts) and
 * returns its URL and a `drop()` that removes it together with any replication slots created in it.
 * Every test that changes schema or data should use its own database.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { asAdmin, dropDatabase } from './pg-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's central Postgres (set by pg-global-setup.ts). */
    pgAdminUrl: string;
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return inject('pgAdminUrl');
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export async function createTestDatabase(prefix = 'test', template?: string): Promise<TestDatabase> {
  const name = `outpost_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await asAdmin(adminUrl(), (c) =>
    c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`),
  );
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: () => dropDatabase(adminUrl(), name),
  };
}

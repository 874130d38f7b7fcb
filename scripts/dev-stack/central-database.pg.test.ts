/**
 * scripts/dev-stack/central-database.pg.test.ts: the first-run provisioning of `npm start` against a
 * real PostgreSQL (the run's throwaway cluster): migrate and seed once, reuse afterwards, and never
 * take an interrupted seed for a finished one.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../testing/pg-admin.ts';
import { adminUrl } from '../testing/postgres.ts';
import {
  databaseUrl,
  InterruptedSeedError,
  provisionCentralDatabase,
  provisionExternalDatabase,
  readSeedMarker,
} from './central-database.ts';

const created: string[] = [];
const newName = (): string => {
  const name = `outpost_devstack_${randomBytes(4).toString('hex')}`;
  created.push(name);
  return name;
};
const quiet = { log: () => undefined };

afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl(), name);
});

async function inspect(url: string): Promise<{ tenants: number; marker: string | null; migrations: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tenants = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM tenants WHERE slug <> 'system'`,
    );
    const migrations = await client.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    return {
      tenants: Number(tenants.rows[0]?.n),
      marker: await readSeedMarker(client),
      migrations: Number(migrations.rows[0]?.n),
    };
  } finally {
    await client.end();
  }
}

describe('provisionCentralDatabase', () => {
  it('provisions once: migrates and seeds on first run, reuses on second run', async () => {
    const name = newName();
    const lines: string[] = [];
    const options = { recreate: true, log: (line: string) => lines.push(line) };

    expect(await provisionCentralDatabase(adminUrl(), name, options)).toBe('seeded');
    const first = await inspect(databaseUrl(adminUrl(), name));
    expect(first).toMatchObject({ tenants: 5, marker: 'seeded' });
    expect(first.migrations).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(
      /created the database[\s\S]*applied \d+ migration[\s\S]*seeded \d+ rows/,
    );

    lines.length = 0;
    expect(await provisionCentralDatabase(adminUrl(), name, options)).toBe('reused');
    expect(await inspect(databaseUrl(adminUrl(), name))).toEqual(first);
    expect(lines).toEqual([]); // nothing created, applied or seeded the second time
  }, 180_000);

  it('redoes an interrupted seed (and refuses one on a DATABASE_URL it may not drop)', async () => {
    const name = newName();
    const url = databaseUrl(adminUrl(), name);
    const interrupt = (step: string): void => {
      if (step === 'tenant config') throw new Error('interrupted');
    };
    await expect(
      provisionCentralDatabase(adminUrl(), name, { ...quiet, recreate: true, onSeedProgress: interrupt }),
    ).rejects.toThrow('interrupted');
    expect(await inspect(url)).toMatchObject({ tenants: 5, marker: 'seeding' }); // a partial seed

    await expect(provisionExternalDatabase(url, quiet)).rejects.toBeInstanceOf(InterruptedSeedError);

    expect(await provisionCentralDatabase(adminUrl(), name, { ...quiet, recreate: true })).toBe('reseeded');
    expect(await inspect(url)).toMatchObject({ tenants: 5, marker: 'seeded' });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM audit_logs');
    await client.end();
    expect(Number(rows[0]?.n)).toBeGreaterThan(0); // the last seed step ran
  }, 180_000);

  it('seeds an empty DATABASE_URL database once and leaves a seeded one alone', async () => {
    const name = newName();
    const url = databaseUrl(adminUrl(), name);
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    expect(await provisionExternalDatabase(url, quiet)).toBe('seeded');
    expect(await provisionExternalDatabase(url, quiet)).toBe('reused');
  }, 180_000);
});

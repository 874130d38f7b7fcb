/**
 * scripts/db/seed/index.ts: `seedDatabase(client, { scale, seed, anchor })` fills an empty, migrated
 * central database with deterministic demo data and returns a summary. The CLI (scripts/db/seed.ts),
 * tests and benchmarks call it in-process.
 *
 *   guard (migrated? empty?) ─► tenants ─► users, roles ─► auth & security ─► tenant config
 *   ─► connections ─► jobs ─► commerce ─► netsuite ─► workspaces ─► assistants ─► approvals
 *   ─► knowledge ─► chat ─► engagement ─► evaluation ─► quality ─► costs ─► billing ─► kpis
 *   ─► audit log (hash chain, checkpoints) ─► ANALYZE ─► summary (rows per table)
 *
 * Invariants:
 *   - Deterministic: the same (scale, seed, anchor) on a fresh database gives identical rows in
 *     every table, ids included (uuids come from the seeded PRNG, bigserial ids from the fixed
 *     insert order, timestamps are offsets from the anchor).
 *   - Refuses a database that already has tenants (other than the system tenant): there is no
 *     --reset, because the audit log is append-only by design (0051 refuses DELETE and TRUNCATE).
 *     Seed a fresh database instead.
 *   - Runs on an autocommit connection: every COPY batch commits on its own, so memory and
 *     transaction sizes stay bounded at any scale. A failed run leaves a partial seed: recreate
 *     the database.
 *   - Superuser connection expected (central RLS does not apply to superusers); the seed also
 *     creates monthly audit_logs partitions for past months.
 * Security note: demo data only. Passwords are `outpost-demo` with seed-derived salts (see
 * users.ts); every secret-looking value is random and unlocks nothing.
 */
import type pg from 'pg';
import { seedApprovals } from './approvals.ts';
import { seedAssistants } from './assistants.ts';
import { seedAudit } from './audit.ts';
import { seedAuthSecurity } from './auth-security.ts';
import { seedBilling } from './billing.ts';
import { seedChat } from './chat.ts';
import { seedCommerce } from './commerce.ts';
import { seedConnections } from './connections.ts';
import { SeedContext } from './context.ts';
import { seedCosts } from './costs.ts';
import { seedEngagement } from './engagement.ts';
import { seedEvaluation } from './evaluation.ts';
import { seedJobs } from './jobs.ts';
import { seedKnowledge } from './knowledge.ts';
import { seedKpis } from './kpis.ts';
import type { TenantWorld } from './model.ts';
import { seedNetSuite } from './netsuite.ts';
import { seedQuality } from './quality.ts';
import { SYSTEM_TENANT_ID } from './reference.ts';
import { seedTenantConfig } from './tenant-config.ts';
import { seedTenants } from './tenants.ts';
import { seedUsers } from './users.ts';
import { seedWorkspaces } from './workspaces.ts';

export const DEFAULT_SEED = 20_260_101;

export interface SeedOptions {
  /** 1 = demo (a few seconds); 100 ≈ a million rows. Any positive number. */
  readonly scale: number;
  /** PRNG seed (an integer); default DEFAULT_SEED. */
  readonly seed?: number;
  /** Time every timestamp is relative to; default: now, truncated to the hour (UTC). */
  readonly anchor?: Date;
  /** Called after each step with its name and duration (the CLI prints progress with it). */
  readonly onProgress?: (step: string, seconds: number) => void;
}

export interface SeedSummary {
  readonly scale: number;
  readonly seed: number;
  readonly anchor: string;
  readonly seconds: number;
  readonly totalRows: number;
  /** Rows per table of the public schema (partitioned audit_logs counted once, as its parent). */
  readonly tables: Readonly<Record<string, number>>;
}

/** The database is not one the seed may fill (not migrated, or already seeded). */
export class SeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedRefusedError';
  }
}

export function defaultAnchor(now = new Date()): Date {
  const d = new Date(now);
  d.setUTCMinutes(0, 0, 0);
  return d;
}

async function guard(client: pg.Client): Promise<void> {
  const { rows: schema } = await client.query<{ tenants: boolean }>(
    `SELECT to_regclass('public.tenants') IS NOT NULL AS tenants`,
  );
  if (!schema[0]?.tenants) {
    throw new SeedRefusedError(
      'The database has no Outpost schema. Run `npm run db:migrate` against it first.',
    );
  }
  const { rows: roles } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM roles WHERE tenant_id IS NULL`,
  );
  if (Number(roles[0]?.n ?? 0) === 0) {
    throw new SeedRefusedError(
      'The reference data (0060_reference_data.sql) is missing. Run `npm run db:migrate` first.',
    );
  }
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM tenants WHERE id <> $1`, [
    SYSTEM_TENANT_ID,
  ]);
  const existing = Number(rows[0]?.n ?? 0);
  if (existing > 0) {
    throw new SeedRefusedError(
      `The database already has ${existing} tenant(s); the seed only fills an empty, migrated database. ` +
        'There is no --reset (the audit log is append-only): drop and recreate the database, run `npm run db:migrate`, then seed.',
    );
  }
}

async function tableCounts(client: pg.Client): Promise<Record<string, number>> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'schema_migrations'
      ORDER BY c.relname`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`);
    counts[name] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

type Step = (ctx: SeedContext, worlds: readonly TenantWorld[]) => Promise<void>;

const STEPS: readonly (readonly [string, Step])[] = [
  ['auth & security', seedAuthSecurity],
  ['tenant config', seedTenantConfig],
  ['connections', seedConnections],
  ['jobs & workflows', seedJobs],
  ['commerce', seedCommerce],
  ['netsuite', seedNetSuite],
  ['workspaces', seedWorkspaces],
  ['assistants', seedAssistants],
  ['approvals', seedApprovals],
  ['knowledge', seedKnowledge],
  ['chat', seedChat],
  ['engagement', seedEngagement],
  ['evaluation', seedEvaluation],
  ['quality', seedQuality],
  ['costs', seedCosts],
  ['billing', seedBilling],
  ['kpis', seedKpis],
  ['audit log', seedAudit],
];

export async function seedDatabase(client: pg.Client, options: SeedOptions): Promise<SeedSummary> {
  const { scale } = options;
  if (!Number.isFinite(scale) || scale <= 0)
    throw new RangeError(`scale must be a positive number, got ${scale}`);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const anchor = options.anchor ?? defaultAnchor();
  if (Number.isNaN(anchor.getTime())) throw new RangeError('anchor is not a valid date');

  const started = performance.now();
  await guard(client);
  await client.query('SET synchronous_commit = off');
  const ctx = new SeedContext(client, scale, seed, anchor);
  const timed = async (step: string, fn: () => Promise<void>): Promise<void> => {
    const t = performance.now();
    await fn();
    options.onProgress?.(step, (performance.now() - t) / 1000);
  };

  let worlds: TenantWorld[] = [];
  await timed('tenants & users', async () => {
    const tenants = await seedTenants(ctx);
    worlds = await seedUsers(ctx, tenants);
    ctx.worlds.push(...worlds);
  });
  for (const [name, step] of STEPS) await timed(name, () => step(ctx, worlds));
  await timed('analyze', async () => {
    await client.query('ANALYZE');
  });
  await client.query('RESET synchronous_commit');

  const tables = await tableCounts(client);
  const totalRows = Object.values(tables).reduce((a, b) => a + b, 0);
  return {
    scale,
    seed,
    anchor: anchor.toISOString(),
    seconds: Math.round((performance.now() - started) / 10) / 100,
    totalRows,
    tables,
  };
}

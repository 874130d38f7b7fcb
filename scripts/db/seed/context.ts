/**
 * scripts/db/seed/context.ts: what every domain generator of the seed shares: the options, the
 * anchor time, named random streams, table writers, and the registry of rows made so far
 * (tenants, users, connections, ...) that later generators reference.
 *
 * Invariants:
 *   - Time is relative: every timestamp is the anchor minus (or, for expiries, plus) an offset,
 *     so one (scale, seed, anchor) always yields the same rows.
 *   - Randomness comes only from `ctx.rng(label)`: one independent stream per label.
 *   - Counts of high-volume rows are `ctx.count(base * weight)`: linear in the scale.
 */
import type pg from 'pg';
import { TableWriter, type TableWriterOptions } from './copy.ts';
import type { AuditFact, TenantWorld } from './model.ts';
import { Rng } from './random.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export class SeedContext {
  readonly anchorMs: number;
  /** Per-tenant registries, in tenant order (holding before its subsidiaries). */
  readonly worlds: TenantWorld[] = [];
  /** Audit events recorded by the generators, written last by audit.ts. */
  readonly auditFacts: AuditFact[] = [];
  private readonly written = new Map<string, number>();

  constructor(
    readonly client: pg.Client,
    readonly scale: number,
    readonly seed: number,
    readonly anchor: Date,
  ) {
    this.anchorMs = anchor.getTime();
  }

  rng(label: string): Rng {
    return Rng.stream(this.seed, label);
  }

  /** A row count linear in the scale (at least `min`). */
  count(base: number, min = 1): number {
    return Math.max(min, Math.round(base * this.scale));
  }

  /** The anchor minus `ms` milliseconds. */
  ago(ms: number): Date {
    return new Date(this.anchorMs - Math.round(ms));
  }

  /** The anchor plus `ms` milliseconds. */
  ahead(ms: number): Date {
    return new Date(this.anchorMs + Math.round(ms));
  }

  /** `at` plus `ms`, never later than the anchor (for follow-up events of past rows). */
  after(at: Date, ms: number): Date {
    return new Date(Math.min(at.getTime() + Math.round(ms), this.anchorMs));
  }

  writer<C extends string>(
    table: string,
    columns: readonly C[],
    options?: TableWriterOptions,
  ): TableWriter<C> {
    return new TableWriter(this.client, table, columns, options);
  }

  /** Closes a writer and records its count. */
  async finish(...writers: TableWriter<string>[]): Promise<void> {
    for (const w of writers) {
      const n = await w.end();
      this.written.set(w.table, (this.written.get(w.table) ?? 0) + n);
    }
  }

  audit(fact: AuditFact): void {
    this.auditFacts.push(fact);
  }

  world(slug: string): TenantWorld {
    const w = this.worlds.find((x) => x.tenant.slug === slug);
    if (!w) throw new Error(`unknown tenant ${slug}`);
    return w;
  }
}

/**
 * sync-server/maintenance/audit-partitions.ts: keeps the audit log's monthly partitions created
 * ahead of time, so audit rows never land in the DEFAULT partition (after which that month could no
 * longer get its own partition).
 *
 * Runs `ensure_audit_partitions(monthsAhead)` (migrations/shared/0051, 0101) when the server starts
 * and then every `intervalMs`. It is idempotent and cheap when nothing is missing. Databases without
 * the function (the engine can serve any database) are left alone.
 */
import type pg from 'pg';

export interface AuditPartitionKeeper {
  /** Runs once now; resolves with the number of partitions created, or null without the function. */
  runOnce(): Promise<number | null>;
  stop(): void;
}

export function keepAuditPartitions(
  pool: pg.Pool,
  options: { monthsAhead?: number; intervalMs?: number; log?: (line: string) => void } = {},
): AuditPartitionKeeper {
  const monthsAhead = options.monthsAhead ?? 3;
  const log = options.log ?? (() => undefined);
  const runOnce = async (): Promise<number | null> => {
    const { rows } = await pool.query<{ present: boolean }>(
      `SELECT to_regprocedure('public.ensure_audit_partitions(integer)') IS NOT NULL AS present`,
    );
    if (!rows[0]?.present) return null;
    const created = await pool.query<{ n: number }>(`SELECT public.ensure_audit_partitions($1) AS n`, [
      monthsAhead,
    ]);
    const n = created.rows[0]?.n ?? 0;
    if (n > 0) log(`sync-server: created ${n} audit_logs partition(s) ahead`);
    return n;
  };
  const timer = setInterval(
    () => {
      runOnce().catch((error: unknown) =>
        log(`sync-server: ensure_audit_partitions failed: ${(error as Error).message}`),
      );
    },
    options.intervalMs ?? 6 * 3600_000,
  );
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}

/**
 * Every lifecycle of common/lifecycles/registry.ts against the database, written once and run on a
 * migrated PGlite (lifecycles.pglite.test.ts) and a migrated PostgreSQL 15 (lifecycles.pg.test.ts):
 *   - state_transitions holds exactly the TS transitions of every machine, and nothing else;
 *   - every status-like column of the schema is a lifecycle or listed in NOT_LIFECYCLES;
 *   - every lifecycle table has its trigger, and its column default is the binding's initial state;
 *   - for every machine, every ordered pair of distinct states: a row inserted in `from` and updated
 *     to `to` is updated exactly when the lifecycle allows it, else refused with SQLSTATE OP001 naming
 *     the machine; a value outside the states is refused; NULL behaves as 0300 says.
 * Each attempt runs in a transaction that is rolled back, so rows never collide.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLES, NOT_LIFECYCLES, type LifecycleBinding } from '../common/lifecycles/registry.ts';
import { allowedTransitions } from '../common/lifecycles/state-machine.ts';
import type { SqlExecutor } from '../common/migrations/runner.ts';
import {
  insertInState,
  LIFECYCLE_FIXTURE_TABLES,
  lifecycleWorld,
  updateState,
  type LifecycleWorld,
} from './lifecycles.fixtures.ts';

/** Tables whose lifecycle has its own trigger from 0050 (the others share 0300's enforce_lifecycle). */
const DEDICATED_TRIGGERS: ReadonlySet<string> = new Set(['approvals', 'workspace_changesets']);
/** A column whose name says it holds a status (what NOT_LIFECYCLES must account for). */
const STATUS_LIKE = '(^|_)(status|state|stage|phase)(_|$)';

type Attempt = { ok: true; state: string | null } | { ok: false; code: string | undefined; message: string };

/** Thrown to roll an attempt back once its outcome is known. */
class Rollback extends Error {
  constructor(readonly attempt: Attempt) {
    super('rolled back');
  }
}

/** Inserts a row in `from`, updates it to `to`, reports what happened, and rolls both back. */
async function attempt(
  db: SqlExecutor,
  world: LifecycleWorld,
  binding: LifecycleBinding,
  from: string | null,
  to: string | null,
): Promise<Attempt> {
  try {
    await db.transaction(async (tx) => {
      const row = await insertInState(tx, world, binding.table, from);
      let result: Attempt;
      try {
        await updateState(tx, world, binding.table, binding.column, row, to);
        const { rows } = await tx.query<{ state: string | null }>(
          `SELECT ${binding.column}::text AS state FROM ${binding.table} WHERE id = $1`,
          [row],
        );
        result = { ok: true, state: rows[0]?.state ?? null };
      } catch (error) {
        const { code, message } = error as { code?: string; message: string };
        result = { ok: false, code, message };
      }
      throw new Rollback(result);
    });
  } catch (error) {
    if (error instanceof Rollback) return error.attempt;
    throw error;
  }
  throw new Error('the attempt was not rolled back');
}

/** The error of inserting a row in `state`, or null if the insert succeeds (rolled back either way). */
async function insertError(
  db: SqlExecutor,
  world: LifecycleWorld,
  binding: LifecycleBinding,
  state: string | null,
): Promise<string | null> {
  try {
    await db.transaction(async (tx) => {
      await insertInState(tx, world, binding.table, state);
      throw new Rollback({ ok: true, state });
    });
  } catch (error) {
    if (error instanceof Rollback) return null;
    return (error as { code?: string }).code ?? 'no code';
  }
  return null;
}

const allows = (binding: LifecycleBinding, from: string, to: string) =>
  allowedTransitions(binding.lifecycle).some((t) => t.from === from && t.to === to);

export function lifecyclesContract(open: () => SqlExecutor): void {
  let world: LifecycleWorld;
  beforeAll(async () => {
    world = await lifecycleWorld(open());
  });

  describe('the lifecycle registry in the database', () => {
    it('holds exactly the transitions of common/lifecycles, for every machine and no other', async () => {
      const { rows } = await open().query<{ t: string }>(
        `SELECT machine || ' ' || from_state || ' -' || event || '-> ' || to_state AS t FROM state_transitions`,
      );
      const expected = LIFECYCLES.flatMap((b) =>
        allowedTransitions(b.lifecycle).map((t) => `${b.lifecycle.name} ${t.from} -${t.event}-> ${t.to}`),
      );
      expect(rows.map((r) => r.t).sort()).toEqual(expected.sort());
    });

    it('accounts for every status-like column: a lifecycle, or a documented exception', async () => {
      const { rows } = await open().query<{ col: string }>(
        `SELECT c.relname || '.' || a.attname AS col
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            AND a.attnum > 0 AND NOT a.attisdropped AND a.attname ~ $1`,
        [STATUS_LIKE],
      );
      const accounted = [...LIFECYCLES.map((b) => `${b.table}.${b.column}`), ...Object.keys(NOT_LIFECYCLES)];
      expect(rows.map((r) => r.col).sort()).toEqual(accounted.sort());
      expect([...LIFECYCLE_FIXTURE_TABLES].sort()).toEqual(LIFECYCLES.map((b) => b.table).sort());
    });

    it('guards every lifecycle column with its trigger, and starts rows in the initial state', async () => {
      for (const b of LIFECYCLES) {
        const { rows } = await open().query<{ enabled: string; default: string | null }>(
          `SELECT t.tgenabled::text AS enabled,
                  (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a
                      ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                    WHERE d.adrelid = t.tgrelid AND a.attname = $3) AS default
             FROM pg_trigger t WHERE t.tgrelid = $1::regclass AND t.tgname = $2`,
          [b.table, `${b.table}_lifecycle`, b.column],
        );
        expect(
          rows.map((r) => r.enabled),
          b.table,
        ).toEqual(['O']);
        const literal = /^'([^']*)'/.exec(rows[0]?.default ?? '')?.[1];
        if (literal !== undefined) expect(literal, b.table).toBe(b.initial);
      }
    });
  });

  describe.each(LIFECYCLES.map((b) => [b.lifecycle.name, b] as const))('%s', (machine, binding) => {
    const states = binding.lifecycle.states;
    const pairs = states.flatMap((from) =>
      states.filter((to) => to !== from).map((to) => [from, to] as const),
    );

    it.each(pairs)('%s -> %s is allowed exactly when the lifecycle allows it', async (from, to) => {
      const result = await attempt(open(), world, binding, from, to);
      if (allows(binding, from, to)) {
        expect(result).toEqual({ ok: true, state: to });
      } else {
        expect(result).toMatchObject({ ok: false, code: 'OP001' });
        expect(result.ok ? '' : result.message).toMatch(
          new RegExp(`invalid ${machine} transition: ${from} -> ${to}|${machine} \\S+ is already decided`),
        );
      }
    });

    it('refuses a value that is not one of its states', async () => {
      const result = await attempt(open(), world, binding, binding.initial, 'no_such_state');
      expect(result).toMatchObject({
        ok: false,
        code: DEDICATED_TRIGGERS.has(binding.table) ? 'OP001' : '23514',
      });
      expect(await insertError(open(), world, binding, 'no_such_state')).toBe('23514');
    });

    it('never forgets a known state: a nullable column takes a first state, but is never cleared', async () => {
      const { rows } = await open().query<{ nullable: boolean }>(
        `SELECT NOT attnotnull AS nullable FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2`,
        [binding.table, binding.column],
      );
      if (!rows[0]?.nullable) {
        expect(await insertError(open(), world, binding, null)).toBe('23502');
        return;
      }
      expect(await attempt(open(), world, binding, null, binding.initial)).toEqual({
        ok: true,
        state: binding.initial,
      });
      const cleared = await attempt(open(), world, binding, binding.initial, null);
      expect(cleared).toMatchObject({ ok: false, code: 'OP001' });
      expect(cleared.ok ? '' : cleared.message).toContain(
        `invalid ${machine} transition: ${binding.initial} -> NULL`,
      );
    });
  });
}

/**
 * Generated over every writable table of common/sync/rules.ts (a real PGlite with the local schema):
 * with a row synthesised from the catalog, server state, a local update, delete and insert through the
 * view, re-derivation and rollback all behave as on the representative tables of overlay.pglite.test.ts;
 * plain writes follow the table's rule (allowed operations are recorded in wire form, the others are
 * refused with 42501 and record nothing).
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { WRITABLE_RULES } from '../database/local-schema.ts';

interface Column {
  name: string;
  type: string;
  generated: boolean;
  not_null: boolean;
  default_expr: string | null;
}

interface TableShape {
  columns: Column[];
  primaryKey: string[];
  checks: string[];
  /** Columns a plain insert may set, and a plain update may change (outbox.write_rules). */
  writable: string[];
  updatable: string[];
}

const TENANT = '40000000-0000-4000-8000-000000000001';
const OTHER_TENANT = '40000000-0000-4000-8000-000000000002';

let counter = 0;

/** The first value an enum-like CHECK allows for `column`, if there is one. */
function enumValue(checks: readonly string[], column: string): string | null {
  for (const check of checks) {
    const match = new RegExp(`\\(?${column}\\)?(?:::text)? = ANY \\(\\(?ARRAY\\['([^']*)'`).exec(check);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

/** A value of `type` as SQL text (a literal with its cast). */
function valueOf(column: Column, checks: readonly string[]): string {
  const allowed = enumValue(checks, column.name);
  if (allowed !== null) return `'${allowed}'`;
  const type = column.type;
  if (type === 'uuid') return `'${randomUUID()}'::uuid`;
  if (type === 'text' || type.startsWith('character varying')) return `'v${++counter}'`;
  if (type === 'integer' || type === 'bigint' || type.startsWith('numeric')) return '1';
  if (type === 'boolean') return 'false';
  if (type === 'timestamp with time zone') return `'2026-01-01 00:00:00+00'::timestamptz`;
  if (type === 'date') return `'2026-01-01'::date`;
  if (type === 'jsonb') return `'{}'::jsonb`;
  if (type.endsWith('[]')) return `'{}'::${type}`;
  const vector = /^vector\((\d+)\)$/.exec(type);
  if (vector) return `'[${Array.from({ length: Number(vector[1]) }, () => 0).join(',')}]'::vector`;
  throw new Error(`no synthetic value for ${column.name} ${type}`);
}

/** Column → SQL value for a row of `shape` in `tenant`: every NOT NULL column without a default. */
function synthesise(table: string, shape: TableShape, tenant: string): Map<string, string> {
  const row = new Map<string, string>();
  for (const c of shape.columns) {
    if (c.generated) continue;
    if (c.name === 'tenant_id') row.set(c.name, `'${tenant}'::uuid`);
    else if (shape.primaryKey.includes(c.name) || (c.not_null && c.default_expr === null))
      row.set(c.name, valueOf(c, shape.checks));
  }
  if (table === 'hallucination_flags') row.set('assistant_id', `'${randomUUID()}'::uuid`);
  if (shape.columns.some((c) => c.name === 'dedupe_key'))
    row.set(
      'dedupe_key',
      `${row.get('tenant_id')}::text || ':' || ${row.get('source')} || ':object:' || ${row.get('source_id')}`,
    );
  return row;
}

/** A column an update may change, with a new value: a timestamp if there is one, else some text. */
function changeOf(shape: TableShape, candidates: readonly string[]): [string, string] {
  const usable = shape.columns.filter(
    (c) =>
      !c.generated &&
      candidates.includes(c.name) &&
      !shape.primaryKey.includes(c.name) &&
      c.name !== 'tenant_id',
  );
  const timestamp = usable.find((c) => c.type === 'timestamp with time zone');
  if (timestamp) return [timestamp.name, `'2030-06-01 12:00:00+00'::timestamptz`];
  const text = usable.find(
    (c) =>
      (c.type === 'text' || c.type.startsWith('character varying')) &&
      enumValue(shape.checks, c.name) === null,
  );
  if (text) return [text.name, `'changed'`];
  const json = usable.find((c) => c.type === 'jsonb');
  if (json) return [json.name, `'{"changed": true}'::jsonb`];
  const array = usable.find((c) => c.type === 'text[]');
  if (array) {
    // A CHECK that limits the elements (`c <@ ARRAY['a', ...]`): one allowed element.
    const allowed = shape.checks
      .map((check) => new RegExp(`${array.name} <@ ARRAY\\['([^']*)'`).exec(check)?.[1])
      .find((v) => v !== undefined);
    return [array.name, `'{${allowed ?? 'changed'}}'::text[]`];
  }
  const number = usable.find((c) => c.type === 'integer' || c.type.startsWith('numeric'));
  if (number) return [number.name, '0'];
  throw new Error(`no column to update among ${candidates.join(', ')}`);
}

const insertSql = (table: string, row: Map<string, string>) =>
  row.size === 0
    ? `INSERT INTO public.${table} DEFAULT VALUES`
    : `INSERT INTO public.${table} (${[...row.keys()].join(', ')}) VALUES (${[...row.values()].join(', ')})`;
const keyWhere = (shape: TableShape, row: Map<string, string>) =>
  shape.primaryKey.map((k) => `${k} = ${row.get(k)}`).join(' AND ');

async function count(tx: Transaction, sql: string): Promise<number> {
  return (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`)).rows[0]?.n ?? -1;
}

describe('the write path of every writable table', () => {
  let db: PGlite;
  const shapes = new Map<string, TableShape>();

  beforeAll(async () => {
    db = await createLocalPGlite();
    for (const table of WRITABLE_RULES.keys()) {
      const columns = (
        await db.query<Column>(
          `SELECT * FROM outbox.column_info(format('local.%I', $1::text || '_state')::regclass)`,
          [table],
        )
      ).rows;
      const { rows } = await db.query<{ primary_key: string[]; columns: string[]; update_columns: string[] }>(
        `SELECT primary_key, columns, update_columns FROM outbox.write_rules WHERE table_name = $1`,
        [table],
      );
      const checks = (
        await db.query<{ d: string }>(
          `SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE contype = 'c' AND conrelid = format('local.%I', $1::text || '_state')::regclass`,
          [table],
        )
      ).rows.map((r) => r.d);
      shapes.set(table, {
        columns,
        primaryKey: rows[0]!.primary_key,
        writable: rows[0]!.columns,
        updatable: rows[0]!.update_columns,
        checks,
      });
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  it.each([...WRITABLE_RULES.keys()])(
    '%s: server state, local writes, re-derivation, rollback',
    async (table) => {
      const shape = shapes.get(table)!;
      const server = synthesise(table, shape, TENANT);
      const local = synthesise(table, shape, OTHER_TENANT);
      const serverKey = keyWhere(shape, server);
      const localKey = keyWhere(shape, local);
      const view = (where: string) => `SELECT * FROM public.${table} WHERE ${where}`;
      await db.transaction(async (tx) => {
        await tx.exec(`SET LOCAL electric.syncing = true`);
        await tx.exec(insertSql(table, server));
        await tx.exec(`SET LOCAL electric.syncing = false`);
        const serverText = async () =>
          (await tx.query<{ t: string }>(`SELECT s::text AS t FROM (${view(serverKey)}) s`)).rows[0]?.t;
        const original = await serverText();
        expect(original, 'the server row is visible').toBeDefined();

        // A named mutation may write any column: the mechanics alone.
        const [column, value] = changeOf(
          shape,
          shape.columns.map((c) => c.name),
        );
        const { rows } = await tx.query<{ id: string }>(
          `SELECT outbox.begin_named(NULL, 'test.every', NULL, NULL)::text AS id`,
        );
        await tx.exec(`UPDATE public.${table} SET ${column} = ${value} WHERE ${serverKey}`);
        expect(await count(tx, `${view(serverKey)} AND ${column} = ${value}`), 'update shows').toBe(1);
        expect(
          await count(tx, `SELECT 1 FROM synced.${table} WHERE ${serverKey} AND ${column} = ${value}`),
        ).toBe(0);
        await tx.exec(`DELETE FROM public.${table} WHERE ${serverKey}`);
        expect(await count(tx, view(serverKey)), 'delete hides').toBe(0);
        expect(await count(tx, `SELECT 1 FROM synced.${table} WHERE ${serverKey}`)).toBe(1);
        await tx.exec(insertSql(table, local));
        expect(await count(tx, view(localKey)), 'insert shows').toBe(1);
        await tx.exec(`SELECT outbox.end_named()`);
        const effects = await tx.query<{ op: string; key: unknown }>(
          `SELECT op, key FROM outbox.effects WHERE mutation_id = $1 ORDER BY seq`,
          [rows[0]!.id],
        );
        expect(effects.rows.map((e) => e.op)).toEqual(['update', 'delete', 'insert']);
        // Re-deriving from server state and effects gives the same local state.
        const before = await count(tx, `SELECT * FROM public.${table}`);
        for (const e of effects.rows) await tx.query(`SELECT outbox.rederive($1, $2)`, [table, e.key]);
        expect(await count(tx, view(localKey))).toBe(1);
        expect(await count(tx, view(serverKey))).toBe(0);
        expect(await count(tx, `SELECT * FROM public.${table}`)).toBe(before);
        // Rolling the mutation back restores server state exactly.
        await tx.query(`SELECT outbox.reject($1, 'conflict', 'test')`, [rows[0]!.id]);
        expect(await serverText()).toBe(original);
        expect(await count(tx, view(localKey))).toBe(0);
        expect(await count(tx, `SELECT 1 FROM outbox.effects`)).toBe(0);

        // Plain writes follow the rule.
        const rule = WRITABLE_RULES.get(table)!.write!;
        const attempt = async (op: string, sql: string) => {
          const before = await count(tx, `SELECT 1 FROM outbox.mutations`);
          await tx.exec('SAVEPOINT attempt');
          try {
            await tx.exec(sql);
            await tx.exec('RELEASE SAVEPOINT attempt');
          } catch (error) {
            await tx.exec('ROLLBACK TO SAVEPOINT attempt');
            expect(rule.operations, `${op} refused: ${(error as Error).message}`).not.toContain(op);
            expect((error as { code?: string }).code).toBe('42501');
            expect(await count(tx, `SELECT 1 FROM outbox.mutations`)).toBe(before);
            return;
          }
          expect(rule.operations, `${op} accepted`).toContain(op);
          const { rows: m } = await tx.query<{ op: string; changes: Record<string, unknown> | null }>(
            `SELECT op, changes FROM outbox.mutations ORDER BY seq DESC LIMIT 1`,
          );
          expect(m[0]?.op).toBe(op);
          for (const c of Object.keys(m[0]?.changes ?? {}))
            expect(op === 'update' ? shape.updatable : shape.writable, `${table}.${c}`).toContain(c);
        };
        const fresh = new Map(
          [...synthesise(table, shape, OTHER_TENANT)].filter(([c]) => shape.writable.includes(c)),
        );
        await attempt('insert', insertSql(table, fresh));
        const [col, val] = rule.operations.includes('update')
          ? changeOf(shape, shape.updatable)
          : [column, value];
        await attempt('update', `UPDATE public.${table} SET ${col} = ${val} WHERE ${serverKey}`);
        await attempt('delete', `DELETE FROM public.${table} WHERE ${serverKey}`);
        await tx.rollback();
      });
    },
  );
});

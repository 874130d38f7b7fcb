/**
 * Differential test: for thousands of generated `where` clauses over a table of edge-case values,
 * the rows PostgreSQL selects with the compiled SQL are exactly the rows the JavaScript evaluator
 * accepts. This is what keeps the initial snapshot (SQL) and the live stream (JS) of a shape equal.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../scripts/testing/postgres.ts';
import { WhereBinder, type ColumnInfo } from './bind.ts';
import { matches, type RowText } from './evaluate.ts';
import { parseWhere } from './parser.ts';
import { compileWhere } from './to-sql.ts';

const COLUMNS: (ColumnInfo & { sqlType: string; pool: (string | null)[] })[] = [
  { name: 'i4', pgType: 'int4', sqlType: 'int4', pool: ['0', '1', '-1', '7', '42', '2147483647', null] },
  {
    name: 'i8',
    pgType: 'int8',
    sqlType: 'int8',
    pool: ['0', '9007199254740993', '-9223372036854775808', '5', null],
  },
  {
    name: 'num',
    pgType: 'numeric',
    sqlType: 'numeric',
    pool: ['0', '12.50', '12.5', '-0.001', '1e20', 'NaN', '99999999999999999999.1', null],
  },
  {
    name: 'f8',
    pgType: 'float8',
    sqlType: 'float8',
    pool: ['0', '1.5', '-2.25', '1e300', 'NaN', 'Infinity', '-Infinity', '0.1', null],
  },
  {
    name: 'txt',
    pgType: 'text',
    sqlType: 'text',
    pool: ['', 'a', 'A', 'abc', 'Abc', 'a_c', 'a%c', 'É', 'é', 'ß', 'z', '😀', 'x\\y', "it's", ' lead', null],
  },
  { name: 'ch', pgType: 'bpchar', sqlType: 'char(5)', pool: ['ab', 'ab   ', 'AB', 'abcde', '', null] },
  {
    name: 'u',
    pgType: 'uuid',
    sqlType: 'uuid',
    pool: [
      '00000000-0000-0000-0000-000000000000',
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',
      null,
    ],
  },
  { name: 'b', pgType: 'bool', sqlType: 'bool', pool: ['true', 'false', null] },
  {
    name: 'd',
    pgType: 'date',
    sqlType: 'date',
    pool: ['2026-01-31', '1999-12-31', '2026-02-28', 'infinity', '-infinity', null],
  },
  {
    name: 'ts',
    pgType: 'timestamp',
    sqlType: 'timestamp',
    pool: ['2026-01-31 00:00:00', '2026-01-31 12:30:00.5', '1999-12-31 23:59:59.999999', null],
  },
  {
    name: 'tz',
    pgType: 'timestamptz',
    sqlType: 'timestamptz',
    pool: [
      '2026-01-31 00:00:00+00',
      '2026-01-31 13:30:00+01',
      '2026-01-31 12:30:00.5+00',
      '1999-12-31 23:59:59+00',
      'infinity',
      null,
    ],
  },
  { name: 'js', pgType: 'jsonb', sqlType: 'jsonb', pool: ['{}', '{"a":1}', null] },
];

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LITERALS: Record<string, string[]> = {
  i4: ['0', '7', '-1', '- 1', '-2147483648', '2147483648', '1.5', '-1.5', "'42'"],
  i8: ['5', '-5', '9007199254740992', '9007199254740993', '-9223372036854775808', "'-9223372036854775808'"],
  num: [
    '12.5',
    '12.50',
    '-12.5',
    '0',
    '-0',
    "'NaN'",
    '1e20',
    '-1e20',
    '-0.001',
    '-1E-3',
    '99999999999999999999.1',
  ],
  f8: ['1.5', '0.1', "'Infinity'", "'NaN'", '1e300', '-1e300', '-2.25', '- 2.25', '-1.5e3', '-1.5::float8'],
  txt: ["'a'", "'A'", "'abc'", "'É'", "'é'", "''", "'😀'", "'it''s'", "'x\\y'", "'z'"],
  ch: ["'ab'", "'ab  '", "'AB'", "'abcde'"],
  u: [
    "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
    "'{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12}'",
    "'00000000000000000000000000000000'",
  ],
  b: ['true', 'false', "'t'", "'no'"],
  d: ["'2026-01-31'", "'infinity'", "'2026-01-31'::timestamptz", "'2000-01-01'"],
  ts: ["'2026-01-31 12:30:00.5'", "'2026-01-31'", "'2026-01-31'::date"],
  tz: [
    "'2026-01-31T12:30:00Z'",
    "'2026-01-31 13:30:00+01'",
    "'2026-01-31'::date",
    "'2026-01-31 00:00:00'::timestamp",
  ],
};
const PATTERNS = [
  "'a%'",
  "'A%'",
  "'%c'",
  "'a\\_c'",
  "'a_c'",
  "'%\\%%'",
  "'_'",
  "'%'",
  "'É%'",
  "'é%'",
  "'%x\\\\y%'",
  "''",
];

function generator(random: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const comparable = COLUMNS.filter((c) => c.name !== 'js');
  const predicate = (): string => {
    const c = pick(comparable);
    const lit = () => (random() < 0.1 ? 'NULL' : pick(LITERALS[c.name] ?? ['NULL']));
    const r = random();
    if (r < 0.1) return `${c.name} IS ${random() < 0.5 ? 'NOT ' : ''}NULL`;
    if (r < 0.15) return `js IS ${random() < 0.5 ? 'NOT ' : ''}NULL`;
    if (r < 0.3 && (c.name === 'txt' || c.name === 'ch')) {
      const subject = random() < 0.3 ? `${pick(['lower', 'upper'])}(${c.name})` : c.name;
      return `${subject} ${random() < 0.3 ? 'NOT ' : ''}${pick(['LIKE', 'ILIKE'])} ${pick(PATTERNS)}`;
    }
    if (r < 0.4)
      return `${c.name} ${random() < 0.3 ? 'NOT ' : ''}IN (${Array.from({ length: 1 + Math.floor(random() * 3) }, lit).join(', ')})`;
    if (r < 0.45) return `${c.name} ${random() < 0.3 ? 'NOT ' : ''}BETWEEN ${lit()} AND ${lit()}`;
    if (r < 0.5 && c.name === 'b') return random() < 0.5 ? 'b' : 'NOT b';
    return `${c.name} ${pick(['=', '<>', '!=', '<', '<=', '>', '>='])} ${lit()}`;
  };
  const expr = (depth: number): string => {
    const r = random();
    if (depth > 2 || r < 0.4) return predicate();
    if (r < 0.6) return `NOT (${expr(depth + 1)})`;
    return `(${expr(depth + 1)}) ${pick(['AND', 'OR'])} (${expr(depth + 1)})`;
  };
  return () => expr(0);
}

describe('where clauses: PostgreSQL and the JavaScript evaluator agree', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let rows: RowText[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('where');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, DMY'; SET extra_float_digits = 1; SET IntervalStyle = 'iso_8601'`,
    );
    await client.query(
      `CREATE TABLE t (id int PRIMARY KEY, ${COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(', ')})`,
    );
    const random = prng(20261122);
    for (let id = 1; id <= 240; id++) {
      const values = COLUMNS.map((c) => c.pool[Math.floor(random() * c.pool.length)] ?? null);
      await client.query(`INSERT INTO t VALUES ($1, ${COLUMNS.map((_, i) => `$${i + 2}`).join(', ')})`, [
        id,
        ...values,
      ]);
    }
    const text = await client.query<Record<string, string | null>>(
      `SELECT id::text AS id, ${COLUMNS.map((c) => `${c.name}::text AS ${c.name}`).join(', ')} FROM t ORDER BY id`,
    );
    rows = text.rows;
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('selects exactly the same rows for 2,000 generated clauses', async () => {
    const next = generator(prng(Number(process.env['OUTPOST_WHERE_SEED'] ?? 7)));
    const binder = new WhereBinder(COLUMNS, {});
    const mismatches: string[] = [];
    const refusedForTheirSign: string[] = [];
    let negatives = 0;
    let compared = 0;
    for (let n = 0; n < 2000 && mismatches.length < 5; n++) {
      const where = next();
      let bound;
      if (/(^|[^'0-9a-z_])- ?[0-9]/i.test(where)) negatives++;
      try {
        bound = binder.bindPredicate(parseWhere(where));
      } catch (error) {
        if (/"-"|negated/.test((error as Error).message)) refusedForTheirSign.push(where);
        continue; // a clause PostgreSQL would also reject (e.g. 2147483648 cast); rejections are tested elsewhere
      }
      const { sql, params } = compileWhere(bound);
      const fromSql = (
        await client.query<{ id: string }>(`SELECT id::text AS id FROM t WHERE ${sql} ORDER BY id`, [
          ...params,
        ])
      ).rows
        .map((r) => r.id)
        .join(',');
      const fromJs = rows
        .filter((row) => matches(bound, row))
        .map((r) => r['id'])
        .join(',');
      compared++;
      if (fromSql !== fromJs)
        mismatches.push(`${where}\n  sql: ${sql}\n  pg: [${fromSql}]\n  js: [${fromJs}]`);
    }
    expect(mismatches).toEqual([]);
    expect(refusedForTheirSign).toEqual([]);
    expect(negatives).toBeGreaterThan(200);
    expect(compared).toBeGreaterThan(1500);
  });
});

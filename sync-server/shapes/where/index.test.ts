import { describe, expect, it } from 'vitest';
import { WhereBinder, type Bound, type ColumnInfo } from './bind.ts';
import { matches } from './evaluate.ts';
import { equalityCondition, WhereIndex, type RowValues } from './index.ts';
import { parseWhere } from './parser.ts';
import { compareValues, parseValue } from './values.ts';

const columns: ColumnInfo[] = [
  { name: 'id', pgType: 'int4' },
  { name: 'bucket', pgType: 'int8' },
  { name: 'tenant_id', pgType: 'uuid' },
  { name: 'title', pgType: 'text' },
  { name: 'code', pgType: 'bpchar' },
  { name: 'amount', pgType: 'numeric' },
  { name: 'ratio', pgType: 'float8' },
  { name: 'done', pgType: 'bool' },
  { name: 'due_at', pgType: 'timestamptz' },
];

function bind(where: string, params: Record<string, string> = {}): Bound {
  return new WhereBinder(columns, params).bindPredicate(parseWhere(where));
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UUIDS = ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12'];
/** Text forms per column, several spellings of one value, and values a row can hold. */
const SPELLINGS: Record<string, (string | null)[]> = {
  id: ['1', '2', '+2', ' 3', '003', null],
  bucket: ['0', '1', '-1', '-0', null],
  tenant_id: [...UUIDS, UUIDS[0]?.toUpperCase() ?? null, `{${UUIDS[1] ?? ''}}`, null],
  title: ['a', 'A', 'a ', 'é', '', null],
  code: ['x', 'x  ', 'y', null],
  amount: ['1', '1.0', '1.50', '1.5', 'NaN', '-0.00', '0', null],
  ratio: ['1', '1.0', 'NaN', null],
  done: ['t', 'f', 'true', 'no', null],
  due_at: ['2026-01-01 00:00:00+00', '2026-01-01T01:00:00+01:00', '2026-01-02', 'infinity', null],
};

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function generateCondition(next: () => number, params: Record<string, string>): string {
  const column = pick(next, Object.keys(SPELLINGS));
  const value = pick(next, SPELLINGS[column] ?? []);
  const kind = next();
  if (value === null) return `${column} IS NULL`;
  if (kind < 0.5) {
    const n = Object.keys(params).length + 1;
    params[String(n)] = value;
    return next() < 0.5 ? `${column} = $${n}` : `$${n} = ${column}`;
  }
  if (kind < 0.7) return `${column} = '${value.replace(/'/g, "''")}'`;
  if (kind < 0.8) return `${column} <> '${value.replace(/'/g, "''")}'`;
  const n = Object.keys(params).length + 1;
  params[String(n)] = value;
  return `${column} >= $${n}`;
}

function generateWhere(next: () => number): { where: string; params: Record<string, string> } | null {
  const params: Record<string, string> = {};
  const r = next();
  if (r < 0.1) return null;
  const parts = [generateCondition(next, params)];
  while (next() < 0.5) parts.push(generateCondition(next, params));
  const joiner = next() < 0.8 ? ' AND ' : ' OR ';
  let where = parts.join(joiner);
  if (next() < 0.1) where = `NOT (${where})`;
  return { where, params };
}

function generateRow(next: () => number): RowValues {
  const row: Record<string, string | null | undefined> = {};
  for (const [column, values] of Object.entries(SPELLINGS)) {
    if (next() < 0.05) continue; // absent (an unchanged TOAST value, or a key-only old row)
    row[column] = pick(next, values);
  }
  if (next() < 0.05) row.id = 'not a number'; // unparseable (never replicated): must not break routing
  return row;
}

function safeMatches(b: Bound | null, row: RowValues): boolean | 'error' {
  if (b === null) return true;
  try {
    return matches(b, row);
  } catch {
    return 'error';
  }
}

describe('where index', () => {
  it('finds exactly the clauses a full scan finds, over generated clauses and rows', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const next = random(seed);
      const index = new WhereIndex<number>();
      const clauses: (Bound | null)[] = [];
      const texts: string[] = [];
      while (clauses.length < 200) {
        const generated = generateWhere(next);
        let bound: Bound | null = null;
        if (generated) {
          try {
            bound = bind(generated.where, generated.params);
          } catch {
            continue; // a spelling that does not parse as the column's type
          }
        }
        index.add(clauses.length, bound);
        clauses.push(bound);
        texts.push(generated ? `${generated.where} ${JSON.stringify(generated.params)}` : '(none)');
      }
      // Remove and re-add some, as invalidation and compaction do.
      for (let i = 0; i < clauses.length; i += 7) index.delete(i);
      for (let i = 0; i < clauses.length; i += 14) index.add(i, clauses[i] ?? null);
      const present = (i: number) => i % 7 !== 0 || i % 14 === 0;
      let indexedCount = 0;
      for (let i = 0; i < clauses.length; i++) if (present(i) && index.isIndexed(i)) indexedCount++;
      expect(indexedCount).toBeGreaterThan(20);
      for (let r = 0; r < 150; r++) {
        const row = generateRow(next);
        const candidates = new Set<number>(index.unindexed);
        let visitedTwice = false;
        index.forEachIndexedCandidate(row, (i) => {
          if (candidates.has(i)) visitedTwice = true;
          candidates.add(i);
        });
        expect(visitedTwice).toBe(false);
        for (let i = 0; i < clauses.length; i++) {
          const result = safeMatches(clauses[i] ?? null, row);
          if (present(i) && result === true && !candidates.has(i))
            expect({ i, result, row, clause: texts[i] }).toBeNull();
          if (!present(i) && candidates.has(i)) expect({ removed: i }).toBeNull();
        }
      }
    }
  });

  it('indexes only top-level ANDed equalities with a non-NULL constant of the same family', () => {
    expect(equalityCondition(bind('bucket = $1', { '1': '007' }))).toMatchObject({
      column: 'bucket',
      key: '7',
    });
    expect(equalityCondition(bind("'x' = code AND id > 1"))).toMatchObject({ column: 'code', key: 'x' });
    expect(equalityCondition(bind('id > 1 AND tenant_id = $1', { '1': UUIDS[1] ?? '' }))).toMatchObject({
      column: 'tenant_id',
      key: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',
    });
    expect(equalityCondition(bind('id = 1 OR id = 2'))).toBeNull();
    expect(equalityCondition(bind('NOT (id = 1)'))).toBeNull();
    expect(equalityCondition(bind('ratio = 1'))).toBeNull();
    expect(equalityCondition(bind('id = 1.5'))).not.toBeNull(); // num family both sides
    expect(equalityCondition(bind('lower(title) = $1', { '1': 'a' }))).toBeNull();
  });
});

describe('decimal comparison (allocation-free)', () => {
  it('orders normalised decimals like exact arithmetic', () => {
    const next = random(42);
    const texts: string[] = ['0', '-0', '1', '-1', '10', '9.99', '0.001', '-0.001', '100.5', '99.500', 'NaN'];
    for (let i = 0; i < 300; i++) {
      const int = String(Math.floor(next() * 1000) * (next() < 0.3 ? 1000 : 1));
      const frac = next() < 0.5 ? `.${String(Math.floor(next() * 10000)).padStart(4, '0')}` : '';
      texts.push(`${next() < 0.4 ? '-' : ''}${int}${frac}`);
    }
    const exact = (t: string): bigint => {
      const negative = t.startsWith('-');
      const [i = '0', f = ''] = (negative ? t.slice(1) : t).split('.');
      const v = BigInt(i) * 10n ** 8n + BigInt(f.padEnd(8, '0'));
      return negative ? -v : v;
    };
    const values = texts.map((t) => ({ t, v: parseValue(t, 'numeric') }));
    for (const a of values) {
      for (const b of values) {
        const got = compareValues(a.v, b.v);
        let want: number;
        if (a.t === 'NaN' || b.t === 'NaN') want = a.t === b.t ? 0 : a.t === 'NaN' ? 1 : -1;
        else want = exact(a.t) === exact(b.t) ? 0 : exact(a.t) < exact(b.t) ? -1 : 1;
        if (got !== want) expect({ a: a.t, b: b.t, got }).toEqual({ a: a.t, b: b.t, got: want });
      }
    }
    expect(compareValues(parseValue('-0', 'int'), parseValue('0', 'int'))).toBe(0);
    expect(compareValues(parseValue('007', 'int'), parseValue('7', 'numeric'))).toBe(0);
  });
});

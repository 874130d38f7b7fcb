import { describe, expect, it } from 'vitest';
import { isOutpostError } from '../../../common/errors.ts';
import { WhereBinder, type ColumnInfo } from './bind.ts';
import { matches } from './evaluate.ts';
import { parseWhere } from './parser.ts';
import { compileWhere } from './to-sql.ts';
import { normaliseDecimal, parseTime } from './values.ts';

const columns: ColumnInfo[] = [
  { name: 'id', pgType: 'int4' },
  { name: 'tenant_id', pgType: 'uuid' },
  { name: 'title', pgType: 'text' },
  { name: 'amount', pgType: 'numeric' },
  { name: 'done', pgType: 'bool' },
  { name: 'due_at', pgType: 'timestamptz' },
  { name: 'payload', pgType: 'jsonb' },
  { name: 'Mixed Case', pgType: 'text' },
];

function bind(where: string, params: Record<string, string> = {}) {
  return new WhereBinder(columns, params).bindPredicate(parseWhere(where));
}

function rejection(where: string, params: Record<string, string> = {}): string {
  try {
    bind(where, params);
  } catch (error) {
    expect(isOutpostError(error, 'invalid_where')).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${where} to be rejected`);
}

describe('where: hostile input is rejected with a message that says why', () => {
  it.each([
    ['1=1) OR (1=1', /unexpected "\)"/],
    ["title = 'a'; DROP TABLE users", /";" is not allowed/],
    ['title = $1 -- comment', /comments are not allowed/],
    ['title = $1 /* x */', /comments are not allowed/],
    ['id IN (SELECT id FROM users)', /subqueries are not allowed/],
    ['pg_sleep(10) IS NULL', /function pg_sleep\(\) is not allowed/],
    ["title = 'unterminated", /unterminated string literal/],
    ['"unterminated = 1', /unterminated quoted identifier/],
    ['secret_column = 1', /unknown column "secret_column"/],
    ['users.id = 1', /unexpected character "\."|qualified names/],
    ['id = $0', /parameter is written/],
    ['id = $2', /parameter \$2 has no value/],
    ["tenant_id = 'not-a-uuid'", /invalid input syntax for type uuid/],
    ['tenant_id = title', /cannot compare uuid with text/],
    ['payload = 1', /cannot compare a non-scalar type/],
    ['id', /must be a boolean, not int/],
    ['id = 1 = 2', /cannot be chained/],
    ['title::int = 1', /only literals and parameters can be cast/],
    ["title = E'x'", /unexpected string literal|unexpected/],
    ["due_at > 'tomorrow'", /invalid input syntax for type timestamptz/],
    ["title LIKE 'abc\\'", /must not end with escape character/],
    ['', /it is empty/],
    ['id = 1 AND', /unexpected end of the clause/],
    ['id = 1 OR OR id = 2', /unexpected keyword OR/],
    ['id = 1 @ 2', /unexpected character "@"/],
  ])('%s', (where, message) => {
    expect(rejection(where, { '1': 'x' })).toMatch(message);
  });

  it('limits nesting depth, size and IN lists', () => {
    expect(rejection('('.repeat(200) + 'id = 1' + ')'.repeat(200))).toMatch(/nested more than 64/);
    expect(rejection(Array.from({ length: 1200 }, (_, i) => `id = ${i}`).join(' OR '))).toMatch(
      /more than 2000 terms/,
    );
    expect(rejection(`id IN (${Array.from({ length: 1001 }, (_, i) => i).join(',')})`)).toMatch(
      /at most 1000 values/,
    );
    expect(rejection('x'.repeat(20_000))).toMatch(/longer than 16384/);
  });

  it('gives the position of the problem', () => {
    expect(rejection('id = 1 AND nope = 2')).toContain('(at character 12)');
  });
});

describe('where: compiling to SQL', () => {
  it('keeps every value out of the SQL text', () => {
    const { sql, params } = compileWhere(
      bind("title = 'x'' OR 1=1 --' AND tenant_id IN ($1, $2)", {
        '1': '0e1b7a2c-3b7c-4a8e-9d55-1a0f2f6e8b11',
        '2': '{0E1B7A2C-3B7C-4A8E-9D55-1A0F2F6E8B12}',
      }),
    );
    expect(sql).toBe('(("title" = $1::text) AND ("tenant_id" IN ($2::uuid, $3::uuid)))');
    expect(params).toEqual([
      "x' OR 1=1 --",
      '0e1b7a2c-3b7c-4a8e-9d55-1a0f2f6e8b11',
      '{0E1B7A2C-3B7C-4A8E-9D55-1A0F2F6E8B12}',
    ]);
  });

  it('quotes identifiers, uses COLLATE "C" for text ordering and patterns, and numbers parameters from an offset', () => {
    const { sql } = compileWhere(bind(`"Mixed Case" < 'm' AND lower(title) ILIKE 'a%' AND NOT done`), 5);
    expect(sql).toBe(
      `(((("Mixed Case" COLLATE "C") < $5::text) AND ((lower(("title" COLLATE "C")) COLLATE "C") ILIKE $6::text)) AND (NOT "done"))`,
    );
  });

  it('prints BETWEEN, NOT IN, IS NOT NULL and casts', () => {
    const { sql } = compileWhere(
      bind(
        `amount BETWEEN 1 AND 2.5 AND id NOT IN (1, 2) AND payload IS NOT NULL AND due_at < '2026-01-01'::date`,
      ),
    );
    expect(sql).toContain('("amount" >= $1::int8)');
    expect(sql).toContain('("id" NOT IN ($3::int8, $4::int8))');
    expect(sql).toContain('("payload" IS NOT NULL)');
    expect(sql).toContain('("due_at" < $5::date)');
  });
});

describe('where: evaluation', () => {
  const row = {
    id: '7',
    tenant_id: '0e1b7a2c-3b7c-4a8e-9d55-1a0f2f6e8b11',
    title: 'Quarter close',
    amount: '12.500',
    done: 'f',
    due_at: '2026-03-31 17:00:00+00',
    payload: '{"a":1}',
    'Mixed Case': null,
  };

  it.each([
    ["title ILIKE 'quarter%'", true],
    ["title LIKE 'quarter%'", false],
    ['amount = 12.5', true],
    ['amount > 12.49999999999999999999', true],
    ["due_at < '2026-03-31T18:00:00+01:00'", false],
    ["due_at = '2026-03-31T18:00:00+01:00'", true],
    ["tenant_id = '{0E1B7A2C-3B7C-4A8E-9D55-1A0F2F6E8B11}'", true],
    ['NOT done', true],
    ['"Mixed Case" IS NULL', true],
    ['"Mixed Case" = \'x\' OR id = 7', true],
    ['NOT ("Mixed Case" = \'x\')', false],
    ['id IN (1, 2, NULL)', false],
    ['id NOT IN (1, 2, NULL)', false],
    ['id BETWEEN 7 AND 7', true],
  ])('%s -> %s', (where, expected) => {
    expect(matches(bind(where), row)).toBe(expected);
  });
});

describe('where: negative number literals', () => {
  const row = { id: '-7', amount: '-1500.0', title: 't' };

  it.each([
    ['id = -7', true],
    ['id = - 7', true],
    ['id=-7', true],
    ['id<-6', true],
    ['id > -3', false],
    ['id >= -7 AND id <= -7', true],
    ['id BETWEEN -10 AND -5', true],
    ['id IN (-1, -7)', true],
    ['id NOT IN (-1, -7)', false],
    ['amount = -1.5e3', true],
    ['amount = -1500.000', true],
    ['amount < -.5', true],
    ['amount > -1.5E+3', false],
    ['-7 = id', true],
    ['id = -7::int', true],
    ['amount = -1.5e3::numeric', true],
    ['id = -0', false],
  ])('%s -> %s', (where, expected) => {
    expect(matches(bind(where), row)).toBe(expected);
  });

  it('binds them as bind parameters of a number type, sign included', () => {
    expect(compileWhere(bind('id > -3 AND amount = -1.5e3'))).toEqual({
      sql: '(("id" > $1::int8) AND ("amount" = $2::numeric))',
      params: ['-3', '-1.5e3'],
    });
  });

  it.each([
    ['id = -x', /"-" is only allowed before a number, found x/],
    ['id = -$1', /"-" is only allowed before a number, found \$1/],
    ["id = -'7'", /"-" is only allowed before a number, found a string literal/],
    ['id = - -7', /"-" is only allowed before a number, found "-"/],
    ['id = --7', /comments are not allowed/],
    ['id = 1 - 2', /unexpected "-"/],
    ['id - 1 = 2', /unexpected "-"/],
    ['id = -', /"-" is only allowed before a number, found end of the clause/],
    ['title = -7::text', /-7::text is -\(7::text\), and a text cannot be negated/],
    ['done = -1::bool', /cannot be negated/],
  ])('%s is refused', (where, message) => {
    expect(rejection(where, { '1': '7' })).toMatch(message);
  });
});

describe('where: values', () => {
  it('normalises decimals exactly', () => {
    expect(normaliseDecimal('00012.5000')).toBe('12.5');
    expect(normaliseDecimal('-0.000')).toBe('0');
    expect(normaliseDecimal('1.5e3')).toBe('1500');
    expect(normaliseDecimal('1e-3')).toBe('0.001');
    expect(normaliseDecimal('abc')).toBeNull();
  });

  it('parses ISO dates and times to UTC microseconds', () => {
    expect(parseTime('1970-01-01', 'date')).toEqual({ t: 'time', v: 0n, infinite: 0 });
    expect(parseTime('1970-01-01 00:00:01.5+00', 'timestamptz')).toEqual({
      t: 'time',
      v: 1_500_000n,
      infinite: 0,
    });
    expect(parseTime('1970-01-01T01:00:00+01:00', 'timestamptz')).toEqual({ t: 'time', v: 0n, infinite: 0 });
    expect(() => parseTime('2026-02-30', 'date')).toThrow(/out of range/);
  });
});

/**
 * The explorer's SQL building and row conversion, without a database: identifiers only from the
 * catalog and quoted, values only as parameters, LIKE patterns escaped, stable order, plain values.
 */
import { describe, expect, it } from 'vitest';
import { isOutpostError } from '../../common/errors.ts';
import {
  containsPattern,
  keyOf,
  pageOf,
  pageStatement,
  rowStatement,
  toPlainRow,
  toPlainValue,
  type LocalColumn,
  type LocalTable,
  type PageRequest,
} from './table-sql.ts';

const column = (name: string, over: Partial<LocalColumn> = {}): [string, LocalColumn] => [
  name,
  {
    name,
    type: 'text',
    nullable: true,
    generated: false,
    encoding: 'scalar',
    comparable: true,
    dateOnly: false,
    ...over,
  },
];

const ORDERS: LocalTable = {
  name: 'orders',
  kind: 'view',
  columns: new Map([
    column('tenant_id', { type: 'uuid' }),
    column('id', { type: 'uuid' }),
    column('label'),
    column('meta', { type: 'json', encoding: 'json', comparable: false }),
    column('due', { type: 'date', dateOnly: true }),
  ]),
  primaryKey: ['tenant_id', 'id'],
};

const request = (over: Partial<PageRequest> = {}): PageRequest => ({
  filters: [],
  sort: [],
  offset: 0,
  limit: 200,
  ...over,
});

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return isOutpostError(error)
      ? `${error.code}: ${error.message}`
      : `not an OutpostError: ${String(error)}`;
  }
  return 'no error';
}

describe('pageStatement', () => {
  it('counts and pages in one statement, values as parameters, ordered by sort then primary key', () => {
    const { text, params } = pageStatement(
      ORDERS,
      request({
        filters: [
          { column: 'label', op: 'eq', value: `x'; DROP TABLE orders; --` },
          { column: 'due', op: 'gte', value: '2026-01-01' },
          { column: 'meta', op: 'contains', value: '50%_off' },
          { column: 'id', op: 'is_null' },
        ],
        sort: [{ column: 'label', direction: 'desc' }],
        offset: 20,
        limit: 10,
      }),
    );
    expect(params).toEqual([`x'; DROP TABLE orders; --`, '2026-01-01', '%50\\%\\_off%', 10, 20]);
    const where = `WHERE r."label" = $1 AND r."due" >= $2 AND r."meta"::text ILIKE $3 AND r."id" IS NULL`;
    expect(text).toBe(
      `SELECT c.__outpost_total, p.* FROM (SELECT count(*) AS __outpost_total FROM public."orders" r ${where}) c` +
        ` LEFT JOIN LATERAL (SELECT true AS __outpost_row, r."tenant_id", r."id", r."label", r."meta", r."due"` +
        ` FROM public."orders" r ${where} ORDER BY r."label" DESC, r."tenant_id" ASC, r."id" ASC LIMIT $4 OFFSET $5) p` +
        ` ON true ORDER BY p."label" DESC, p."tenant_id" ASC, p."id" ASC`,
    );
    // PGlite's live queries inline parameters with format(): the text must hold no other % or $.
    expect(text.replace(/\$[0-9]+/g, '')).not.toMatch(/[%$]/);
  });

  it('compares and sorts types without an ordering by their text, and maps null equality to IS NULL', () => {
    const { text, params } = pageStatement(
      ORDERS,
      request({
        filters: [
          { column: 'meta', op: 'eq', value: '{}' },
          { column: 'label', op: 'neq', value: 'a' },
          { column: 'label', op: 'eq', value: null },
          { column: 'due', op: 'neq', value: null },
          { column: 'label', op: 'lt', value: 3 },
          { column: 'label', op: 'gt', value: true },
        ],
        sort: [
          { column: 'meta', direction: 'asc' },
          { column: 'id', direction: 'desc' },
        ],
      }),
    );
    expect(text).toContain(
      `WHERE r."meta"::text = $1 AND r."label" IS DISTINCT FROM $2 AND r."label" IS NULL AND r."due" IS NOT NULL` +
        ` AND r."label" < $3 AND r."label" > $4)`,
    );
    expect(text).toContain(`ORDER BY r."meta"::text ASC, r."id" DESC, r."tenant_id" ASC LIMIT`);
    expect(params).toEqual(['{}', 'a', '3', 'true', 200, 0]);
  });

  it('refuses columns the catalog does not have, and filters that need a value', () => {
    expect(
      codeOf(() => pageStatement(ORDERS, request({ filters: [{ column: 'nope', op: 'eq', value: 1 }] }))),
    ).toBe('validation: orders has no column "nope".');
    expect(
      codeOf(() => pageStatement(ORDERS, request({ sort: [{ column: 'label"; --', direction: 'asc' }] }))),
    ).toBe('validation: orders has no column "label\\"; --".');
    expect(
      codeOf(() => pageStatement(ORDERS, request({ filters: [{ column: 'label', op: 'contains' }] }))),
    ).toBe('validation: The contains filter on label needs a value.');
    expect(
      codeOf(() =>
        pageStatement(ORDERS, request({ filters: [{ column: 'label', op: 'lt', value: Number.NaN }] })),
      ),
    ).toBe('validation: The lt filter on label needs a finite number.');
  });
});

describe('containsPattern', () => {
  it('escapes LIKE wildcards and the escape character', () => {
    expect(containsPattern('a%b_c\\d')).toBe('%a\\%b\\_c\\\\d%');
    expect(containsPattern('')).toBe('%%');
  });
});

describe('keyOf and rowStatement', () => {
  it('takes exactly the primary key', () => {
    const key = keyOf(ORDERS, { id: 'b', tenant_id: 'a' });
    expect(rowStatement(ORDERS, key)).toEqual({
      text: `SELECT r."tenant_id", r."id", r."label", r."meta", r."due" FROM public."orders" r WHERE r."tenant_id" = $1 AND r."id" = $2`,
      params: ['a', 'b'],
    });
    expect(codeOf(() => keyOf(ORDERS, { id: 'b' }))).toBe(
      'validation: The key of orders is its whole primary key (tenant_id, id); tenant_id is missing.',
    );
    expect(codeOf(() => keyOf(ORDERS, { id: 'b', tenant_id: 'a', label: 'x' }))).toBe(
      'validation: "label" is not part of the primary key of orders (tenant_id, id).',
    );
    expect(codeOf(() => keyOf(ORDERS, { id: null, tenant_id: 'a' }))).toBe(
      'validation: Key column id of orders cannot be null.',
    );
  });
});

describe('pageOf', () => {
  it('takes the total from the first row and drops the placeholder row of an empty page', () => {
    expect(pageOf(ORDERS, [{ __outpost_total: 7, __outpost_row: null, id: null }])).toEqual({
      rows: [],
      total: 7,
      rowLabels: [],
      labels: {},
    });
    expect(
      pageOf(ORDERS, [
        { __outpost_total: 2, __outpost_row: true, id: 'a', due: new Date('2026-03-04T00:00:00Z') },
        { __outpost_total: 2, __outpost_row: true, id: 'b', due: null },
      ]),
    ).toEqual({
      rows: [
        { id: 'a', due: '2026-03-04' },
        { id: 'b', due: null },
      ],
      total: 2,
      rowLabels: ['', ''],
      labels: {},
    });
  });

  it('collects the row labels and the labels of referenced rows, single and arrays', () => {
    expect(
      pageOf(ORDERS, [
        {
          __outpost_total: 2,
          __outpost_row: true,
          __outpost_label: 'Order A',
          __outpost_ref_owner: 'Ada',
          __outpost_ref_watchers: { u1: 'Ada', u2: 'Grace' },
          id: 'a',
          owner: 'u1',
        },
        {
          __outpost_total: 2,
          __outpost_row: true,
          __outpost_label: 'Order B',
          __outpost_ref_owner: null,
          __outpost_ref_watchers: null,
          id: 'b',
          owner: 'u9',
        },
      ]),
    ).toEqual({
      rows: [
        { id: 'a', owner: 'u1' },
        { id: 'b', owner: 'u9' },
      ],
      total: 2,
      rowLabels: ['Order A', 'Order B'],
      labels: { owner: { u1: 'Ada' }, watchers: { u1: 'Ada', u2: 'Grace' } },
    });
  });
});

describe('toPlainRow', () => {
  it('makes every value structured-clone and JSON friendly', () => {
    const bytes = new Uint8Array([1, 2]);
    const row = toPlainRow({
      at: new Date('2026-01-02T03:04:05.678Z'),
      big: 9223372036854775807n,
      small: 5,
      bytes,
      list: [new Date('2026-01-01T00:00:00Z'), null, 1n],
      json: { nested: [{ at: 'x' }], n: 1.5 },
      vector: '[1,2,3]',
      infinite: Number.POSITIVE_INFINITY,
      invalid: new Date(Number.NaN),
      missing: undefined,
      flag: false,
    });
    expect(row).toEqual({
      at: '2026-01-02T03:04:05.678Z',
      big: '9223372036854775807',
      small: 5,
      bytes,
      list: ['2026-01-01T00:00:00.000Z', null, '1'],
      json: { nested: [{ at: 'x' }], n: 1.5 },
      vector: '[1,2,3]',
      infinite: Number.POSITIVE_INFINITY,
      invalid: null,
      missing: null,
      flag: false,
    });
    expect(row['bytes']).toBe(bytes);
    expect(structuredClone(row)).toEqual(row);
    expect(toPlainValue(Symbol('x'))).toBeNull();
  });

  it('shows date columns as dates', () => {
    expect(toPlainRow({ due: new Date('2026-05-06T00:00:00Z') }, new Set(['due']))).toEqual({
      due: '2026-05-06',
    });
  });
});

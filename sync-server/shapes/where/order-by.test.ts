/**
 * Subset order_by: what the Electric client compiles parses and prints back as quoted SQL; anything
 * else is a 400 naming subset__order_by.
 */
import { describe, expect, it } from 'vitest';
import { isOutpostError } from '../../../common/errors.ts';
import { orderBySql, parseOrderBy } from './order-by.ts';

describe('parseOrderBy', () => {
  it('reads the client compiled form and plain forms', () => {
    expect(orderBySql(parseOrderBy('"title" DESC NULLS FIRST, "id"'))).toBe(
      '"title" DESC NULLS FIRST, "id" ASC',
    );
    expect(parseOrderBy('Amount asc nulls last')).toEqual([
      { column: 'amount', descending: false, nulls: 'last' },
    ]);
    expect(orderBySql(parseOrderBy('"we""ird"'))).toBe('"we""ird" ASC');
  });

  it.each(['', 'id,', '1', 'lower(title)', 'id; drop table x', 'id collate "C"', 'id nulls', 'id -- x'])(
    'refuses %j',
    (text) => {
      let error: unknown = null;
      try {
        parseOrderBy(text);
      } catch (e) {
        error = e;
      }
      expect(isOutpostError(error, 'validation')).toBe(true);
      expect((error as { details: { param: string } }).details.param).toBe('subset__order_by');
    },
  );
});

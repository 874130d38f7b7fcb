/** Value encoding for bind parameters (sql.ts) and the database-error mapping (database-errors.ts). */
import { describe, expect, it } from 'vitest';
import { isOutpostError } from '../errors.ts';
import { mapDatabaseError } from './database-errors.ts';
import { encodeValue, quoteIdent } from './sql.ts';

describe('encodeValue', () => {
  it('turns JSON values into the text PostgreSQL parses for the column', () => {
    expect(encodeValue(null, 'scalar', 'c')).toBeNull();
    expect(encodeValue(undefined, 'json', 'c')).toBeNull();
    expect(encodeValue("it's", 'scalar', 'c')).toBe("it's");
    expect(encodeValue(1.5, 'scalar', 'c')).toBe('1.5');
    expect(encodeValue(false, 'scalar', 'c')).toBe('false');
    expect(encodeValue({ a: [1, null] }, 'json', 'c')).toBe('{"a":[1,null]}');
    expect(encodeValue('text', 'json', 'c')).toBe('"text"');
    expect(encodeValue(['a', null, 'b,"c"'], 'array', 'c')).toBe('{"a",NULL,"b,\\"c\\""}');
    expect(encodeValue([0.5, 1], 'vector', 'c')).toBe('[0.5,1]');
  });

  it('refuses values of the wrong shape for the column with a validation error naming it', () => {
    const cases: [unknown, Parameters<typeof encodeValue>[1]][] = [
      [{ a: 1 }, 'scalar'],
      [[1], 'scalar'],
      [Infinity, 'scalar'],
      ['{1,2}', 'array'],
      [{}, 'array'],
      [['x'], 'vector'],
    ];
    for (const [value, encoding] of cases) {
      try {
        encodeValue(value, encoding, 'col');
        throw new Error(`accepted ${JSON.stringify(value)} as ${encoding}`);
      } catch (error) {
        expect(isOutpostError(error, 'validation')).toBe(true);
        expect((error as Error).message).toMatch(/"col"/);
      }
    }
  });

  it('quotes identifiers', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});

describe('mapDatabaseError', () => {
  const db = (code: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`error ${code}`), { code, ...extra });

  it('maps the SQLSTATEs of expected refusals to stable codes', () => {
    const expected: Record<string, string> = {
      OP001: 'invalid_transition',
      OP002: 'forbidden',
      OP003: 'validation',
      '42501': 'forbidden',
      '23505': 'conflict',
      '23503': 'validation',
      '23502': 'validation',
      '23514': 'validation',
      '22P02': 'validation',
      '22001': 'validation',
      '22021': 'validation',
      '54000': 'validation',
      '40P01': 'conflict',
      '55P03': 'conflict',
    };
    for (const [state, code] of Object.entries(expected))
      expect(mapDatabaseError(db(state))?.code, state).toBe(code);
  });

  it('leaves unexpected errors alone, and never repeats the DETAIL of a unique violation', () => {
    expect(mapDatabaseError(db('42P01'))).toBeNull();
    expect(mapDatabaseError(new Error('boom'))).toBeNull();
    const unique = mapDatabaseError(
      db('23505', { detail: 'Key (email)=(ceo@other.test) already exists.', constraint: 'users_email' }),
    );
    expect(unique?.message).not.toMatch(/ceo@other/);
    expect(unique?.details).toMatchObject({ sqlstate: '23505', constraint: 'users_email' });
  });
});

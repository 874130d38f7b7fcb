import { describe, expect, it } from 'vitest';
import { parseWhen, requiredKeys, WhenClauseError } from './when-clause.ts';

const holds = (clause: string, values: Record<string, boolean | string | undefined>) =>
  parseWhen(clause).holds(values);

describe('parseWhen: evaluation', () => {
  it('treats a bare key as true when it is true or a non-empty string', () => {
    expect(holds('listFocus', { listFocus: true })).toBe(true);
    expect(holds('listFocus', { listFocus: false })).toBe(false);
    expect(holds('listFocus', {})).toBe(false);
    expect(holds('overlay', { overlay: 'palette' })).toBe(true);
    expect(holds('overlay', { overlay: '' })).toBe(false);
  });

  it('always holds when empty, and knows true and false', () => {
    expect(holds('', {})).toBe(true);
    expect(parseWhen(undefined).holds({})).toBe(true);
    expect(holds('true', {})).toBe(true);
    expect(holds('false || listFocus', { listFocus: true })).toBe(true);
  });

  it('compares values with == and !=; an unset key equals nothing', () => {
    expect(holds('view == explorer', { view: 'explorer' })).toBe(true);
    expect(holds('view == explorer', { view: 'home' })).toBe(false);
    expect(holds('view != explorer', { view: 'home' })).toBe(true);
    expect(holds('view == explorer', {})).toBe(false);
    expect(holds('view != explorer', {})).toBe(true);
    expect(holds("overlay == 'palette'", { overlay: 'palette' })).toBe(true);
    expect(holds('signedIn == true', { signedIn: true })).toBe(true);
  });

  it('gives ! precedence over && over ||, and honours parentheses', () => {
    const values = { a: true, b: false, c: false };
    expect(holds('a || b && c', values)).toBe(true); // a || (b && c)
    expect(holds('(a || b) && c', values)).toBe(false);
    expect(holds('!b && a', values)).toBe(true);
    expect(holds('!(a && b)', values)).toBe(true);
    expect(holds('!!a', values)).toBe(true);
    expect(holds('!a || !b', values)).toBe(true);
  });

  it('evaluates the keys a keybinding context is made of', () => {
    const clause = 'view == explorer && listFocus && !inputFocus && !overlay';
    expect(holds(clause, { view: 'explorer', listFocus: true, inputFocus: false, overlay: false })).toBe(
      true,
    );
    expect(holds(clause, { view: 'explorer', listFocus: true, inputFocus: true })).toBe(false);
    expect(holds(clause, { view: 'explorer', listFocus: true, overlay: 'shortcuts' })).toBe(false);
    expect(holds(clause, { view: 'home', listFocus: true })).toBe(false);
  });
});

describe('parseWhen: structure', () => {
  it('lists the keys and comparisons a clause reads', () => {
    const clause = parseWhen('view == explorer && (listFocus || explorer.canInsert) && !overlay');
    expect(clause.keys).toEqual(['view', 'listFocus', 'explorer.canInsert', 'overlay']);
    expect(clause.comparisons).toEqual([{ key: 'view', value: 'explorer' }]);
  });

  it('spells equivalent writings the same canonical way', () => {
    expect(parseWhen('  view==explorer&&!overlay ').canonical).toBe('view == explorer && !overlay');
    expect(parseWhen('((a)) || (b && c)').canonical).toBe('a || b && c');
    expect(parseWhen('(a || b) && !(c && d)').canonical).toBe('(a || b) && !(c && d)');
    expect(parseWhen('!(view == home)').canonical).toBe('!(view == home)');
    for (const text of ['a || b && c', '(a || b) && !(c && d)', '!(view == home)', "x == 'a b'"])
      expect(parseWhen(parseWhen(text).canonical).canonical).toBe(parseWhen(text).canonical);
  });

  it('reports the keys required in every case', () => {
    expect(requiredKeys(parseWhen('view == explorer && listFocus && !overlay'))).toEqual(['listFocus']);
    expect(requiredKeys(parseWhen('inboxFocus'))).toEqual(['inboxFocus']);
    expect(requiredKeys(parseWhen('listFocus || inboxFocus'))).toEqual([]);
  });
});

describe('parseWhen: invalid clauses', () => {
  const error = (clause: string): WhenClauseError => {
    try {
      parseWhen(clause);
    } catch (e) {
      if (e instanceof WhenClauseError) return e;
      throw e;
    }
    throw new Error(`"${clause}" parsed`);
  };

  it('names the position and what was expected', () => {
    expect(error('view ==').message).toBe(
      `Invalid when-clause "view ==" at character 8: expected a value after '==', found the end`,
    );
    expect(error('a && ').message).toContain('expected a context key, found the end');
    expect(error('(a || b').message).toContain("expected ')', found the end");
    expect(error('a b').message).toContain("expected '&&', '||' or the end, found 'b'");
    expect(error('()').message).toContain('expected a context key, found )');
    expect(error("view == 'x").message).toContain('a quoted value is not closed');
  });

  it('points at single &, | and = with the operator meant', () => {
    expect(error('a & b').message).toContain("unexpected '&' (use '&&')");
    expect(error('a | b').message).toContain("unexpected '|' (use '||')");
    expect(error('view = explorer').message).toContain("unexpected '=' (use '==')");
    expect(error('a && #b').position).toBe(5);
  });

  it('refuses names that are not keys', () => {
    expect(error('1abc').message).toContain("'1abc' is not a context key name");
    expect(error("'quoted'").message).toContain('expected a context key');
  });
});

import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.ts';
import { parseWhere } from './parser.ts';
import { columnsOf, maxParamOf, printWhere } from './print.ts';

function strip(e: Expr): unknown {
  return JSON.parse(JSON.stringify(e, (key, value: unknown) => (key === 'pos' ? undefined : value)));
}

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(random: () => number, depth: number): Expr {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const operand = (): Expr =>
    pick<() => Expr>([
      () => ({ kind: 'column', name: pick(['a', 'B c', 'x"y', 'tenant_id']), pos: 0 }),
      () => ({ kind: 'literal', value: pick(["it's", '', '%_\\']), literalType: 'string', pos: 0 }),
      () => ({ kind: 'literal', value: pick(['1', '2.5', '1e3']), literalType: 'number', pos: 0 }),
      () => ({ kind: 'param', index: 1 + Math.floor(random() * 5), pos: 0 }),
      () => ({
        kind: 'cast',
        expr: { kind: 'param', index: 1, pos: 0 },
        to: pick(['int', 'uuid', 'float']),
        pos: 0,
      }),
      () => ({
        kind: 'call',
        fn: pick(['lower', 'upper'] as const),
        args: [{ kind: 'column', name: 'a', pos: 0 }],
        pos: 0,
      }),
    ])();
  if (depth <= 0) {
    return pick<() => Expr>([
      () => ({
        kind: 'compare',
        op: pick(['=', '<>', '<', '>=']),
        left: operand(),
        right: operand(),
        pos: 0,
      }),
      () => ({ kind: 'isnull', expr: operand(), negated: random() < 0.5, pos: 0 }),
      () => ({ kind: 'in', expr: operand(), list: [operand(), operand()], negated: random() < 0.5, pos: 0 }),
      () => ({
        kind: 'like',
        expr: operand(),
        pattern: operand(),
        caseInsensitive: random() < 0.5,
        negated: random() < 0.5,
        pos: 0,
      }),
      () => ({ kind: 'literal', value: pick(['true', 'false']), literalType: 'bool', pos: 0 }),
    ])();
  }
  return pick<() => Expr>([
    () => ({ kind: 'and', left: generate(random, depth - 1), right: generate(random, depth - 1), pos: 0 }),
    () => ({ kind: 'or', left: generate(random, depth - 1), right: generate(random, depth - 1), pos: 0 }),
    () => ({ kind: 'not', expr: generate(random, depth - 1), pos: 0 }),
  ])();
}

describe('printWhere', () => {
  it('prints trees that parse back to the same tree (2,000 generated trees)', () => {
    const random = rng(42);
    for (let i = 0; i < 2000; i++) {
      const tree = generate(random, Math.floor(random() * 5));
      const text = printWhere(tree);
      expect(strip(parseWhere(text)), text).toEqual(strip(tree));
    }
  });

  it('round-trips parsed clauses, keeping only the parentheses precedence needs', () => {
    for (const clause of [
      `a = 1 AND (b = 2 OR c = 3)`,
      `NOT (a IS NULL) AND "Mixed Case" ILIKE 'x''%'`,
      `a IN ($1, $2::int) OR lower(b) NOT LIKE $3`,
      `(a = 1 OR b = 2) AND NOT c`,
    ]) {
      const tree = parseWhere(clause);
      const printed = printWhere(tree);
      expect(strip(parseWhere(printed))).toEqual(strip(tree));
    }
    expect(printWhere(parseWhere('a = 1 AND (b = 2 OR c = 3)'))).toBe('"a" = 1 AND ("b" = 2 OR "c" = 3)');
  });

  it('quotes identifiers and strings so no input escapes its token', () => {
    const tree: Expr = {
      kind: 'compare',
      op: '=',
      left: { kind: 'column', name: 'a" OR 1=1 --', pos: 0 },
      right: { kind: 'literal', value: "x' OR '1'='1", literalType: 'string', pos: 0 },
      pos: 0,
    };
    const text = printWhere(tree);
    expect(text).toBe(`"a"" OR 1=1 --" = 'x'' OR ''1''=''1'`);
    expect(strip(parseWhere(text))).toEqual(strip(tree));
  });

  it('lists the columns and the highest parameter a tree uses', () => {
    const tree = parseWhere(`a = $2 AND (lower(b) LIKE $7 OR c IN (1, $3))`);
    expect([...columnsOf(tree)].sort()).toEqual(['a', 'b', 'c']);
    expect(maxParamOf(tree)).toBe(7);
  });
});

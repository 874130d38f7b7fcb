import { describe, expect, it } from 'vitest';
import { CopyJsonEncoder, parseCopyLine } from './copy-text.ts';
import { snapshotInsert, type MessageShape } from './messages.ts';

/** A value as COPY TO writes it (PostgreSQL's CopyAttributeOutText). */
function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\b\f\n\r\t\v]/g, (c) => {
    const escapes: Record<string, string> = {
      '\\': '\\\\',
      '\b': '\\b',
      '\f': '\\f',
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
      '\v': '\\v',
    };
    return escapes[c] as string;
  });
}

const copyLine = (values: readonly (string | null)[]): string => `${values.map(copyField).join('\t')}\n`;

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...'abcdefghij0123456789 -:.{}[],',
  '"',
  '\\',
  '/',
  '\t',
  '\n',
  '\r',
  '\b',
  '\f',
  '\v',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  'é',
  'ß',
  '€',
  '中',
  '😀',
  '\u2028',
];

function randomValue(random: () => number): string | null {
  if (random() < 0.1) return null;
  const length = Math.floor(random() * (random() < 0.2 ? 80 : 12));
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)] as string;
  return s;
}

const shape = (
  primaryKey: string[],
): Pick<MessageShape, 'schema' | 'table' | 'primaryKey'> & MessageShape => ({
  schema: 'pub"lic',
  table: 'it/ems',
  columns: ['title', 'id', 'n', 'meta'],
  primaryKey,
  replica: 'default',
  includes: () => true,
});

/** The reference: each row as `JSON.stringify(snapshotInsert(...))`, comma after. */
function reference(s: MessageShape, rows: readonly (string | null)[][]): string {
  return rows
    .map((values) => {
      const row = Object.fromEntries(s.columns.map((c, i) => [c, values[i] ?? null]));
      return `${JSON.stringify(snapshotInsert(s, row))},`;
    })
    .join('');
}

/** Feeds `bytes` to an encoder in the given chunk sizes; returns the text and the message lengths. */
function encode(s: MessageShape, bytes: Uint8Array, cuts: number[]): { text: string; lengths: number[] } {
  const encoder = new CopyJsonEncoder(s, s.columns);
  const out: Uint8Array[] = [];
  const lengths: number[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    const rows = encoder.push(bytes.subarray(at, Math.max(at, cut)));
    out.push(rows.bytes.slice());
    lengths.push(...rows.lengths);
    expect(rows.lengths.reduce((n, l) => n + l, 0)).toBe(rows.bytes.length);
    at = Math.max(at, cut);
  }
  encoder.end();
  return { text: Buffer.concat(out).toString('utf8'), lengths };
}

describe('COPY text format', () => {
  it('splits fields, reads NULL and undoes escapes', () => {
    expect(parseCopyLine('1\t\\N\ta\\tb\\nc\\\\d\t{"k": "v\\\\"}')).toEqual([
      '1',
      null,
      'a\tb\nc\\d',
      '{"k": "v\\"}',
    ]);
    expect(parseCopyLine('\\101\\x42\\r')).toEqual(['AB\r']);
    expect(parseCopyLine('')).toEqual(['']);
  });
});

describe('CopyJsonEncoder', () => {
  it('writes exactly what JSON.stringify(snapshotInsert(...)) does, for any text', () => {
    const random = prng(7);
    for (const primaryKey of [['id'], ['n', 'id'], ['meta']]) {
      const s = shape(primaryKey);
      const rows = Array.from({ length: 400 }, () => s.columns.map(() => randomValue(random)));
      for (const row of rows) for (const c of primaryKey) row[s.columns.indexOf(c)] ??= 'k';
      const bytes = new TextEncoder().encode(rows.map(copyLine).join(''));
      const expected = reference(s, rows);
      // Whole, byte by byte at the start, and at random cuts (inside lines, escapes and characters).
      const cuts = Array.from({ length: 60 }, () => Math.floor(random() * bytes.length)).sort(
        (a, b) => a - b,
      );
      for (const chunking of [[], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], cuts]) {
        const { text, lengths } = encode(s, bytes, chunking);
        expect(text).toBe(expected);
        expect(lengths).toEqual(rows.map((row) => Buffer.byteLength(reference(s, [row]))));
      }
    }
  });

  it('reads octal and hex escapes as parseCopyLine does, and NULL keys as empty', () => {
    const s = shape(['id']);
    const lines = ['\\101\\x42\\r\\0\\377x\t\\N\t\\x7\\x\t\\q\\/\n'];
    const expected = reference(
      s,
      lines.map((l) => parseCopyLine(l.slice(0, -1))),
    );
    expect(encode(s, new TextEncoder().encode(lines.join('')), []).text).toBe(expected);
  });

  it('replaces bytes that are not UTF-8 as a TextDecoder would', () => {
    const s = shape(['id']);
    const bytes = Buffer.concat([
      Buffer.from('a\xff\t1\t'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\t\\N\n'),
    ]);
    const values = parseCopyLine(new TextDecoder().decode(bytes).slice(0, -1));
    expect(encode(s, bytes, [2]).text).toBe(reference(s, [values]));
  });

  it('notices a stream that ends inside a line, and rows of the wrong width', () => {
    const s = shape(['id']);
    const partial = new CopyJsonEncoder(s, s.columns);
    partial.push(new TextEncoder().encode('a\tb\tc\td\nparti'));
    expect(() => partial.end()).toThrow(/middle of a line/);
    const narrow = new CopyJsonEncoder(s, s.columns);
    expect(() => narrow.push(new TextEncoder().encode('a\tb\tc\n'))).toThrow(/3 fields, expected 4/);
    const wide = new CopyJsonEncoder(s, s.columns);
    expect(() => wide.push(new TextEncoder().encode('a\tb\tc\td\te\n'))).toThrow(/more than 4 fields/);
  });

  it('grows its output for rows larger than its buffer', () => {
    const s = shape(['id']);
    const big = '"\u0001'.repeat(200_000);
    const rows = [[big, '1', null, big]];
    const bytes = new TextEncoder().encode(rows.map(copyLine).join(''));
    expect(encode(s, bytes, []).text).toBe(reference(s, rows));
  });
});

/**
 * sync-server/shapes/copy-text.ts: reads PostgreSQL's `COPY ... TO STDOUT` text format, and writes
 * its rows straight into a shape's snapshot insert messages (JSON bytes), without building strings.
 *
 * The format: one row per line, columns separated by tabs, `\N` for NULL, and backslash escapes for
 * the characters that would break it (`\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v`, octal `\ooo`, hex
 * `\xhh`). A column's text is otherwise exactly its type's output function, the same text pgoutput
 * sends for replicated changes.
 *
 * `CopyJsonEncoder` guarantees:
 *   - Its output is byte for byte `JSON.stringify(snapshotInsert(shape, row))` for every row (the
 *     reference, `parseCopyLine` + messages.ts, is what the tests compare it with), each message
 *     followed by a comma, so a run of them is the inside of a JSON array.
 *   - Lines and multi-byte characters split across chunks are kept whole; memory holds one chunk's
 *     output and the partial line at its end, never more.
 *   - Valid UTF-8 is copied as it is (JSON escapes only `"`, `\` and control characters, as
 *     JSON.stringify does); input that is not valid UTF-8 (possible in a SQL_ASCII database) is
 *     decoded with replacement characters first, as a TextDecoder would. Octal and hex escapes
 *     (which COPY TO never writes) stand for the character of that code (0-255), as before.
 */
import { isUtf8 } from 'node:buffer';
import { snapshotInsertTemplate, type MessageShape } from './messages.ts';

const SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function unescape(field: string): string {
  let out = '';
  let i = 0;
  while (i < field.length) {
    const slash = field.indexOf('\\', i);
    if (slash < 0) return out + field.slice(i);
    out += field.slice(i, slash);
    const c = field[slash + 1] ?? '';
    if (c in SIMPLE) {
      out += SIMPLE[c];
      i = slash + 2;
    } else if (/[0-7]/.test(c)) {
      const m = /^[0-7]{1,3}/.exec(field.slice(slash + 1)) as RegExpExecArray;
      out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
      i = slash + 1 + m[0].length;
    } else if (c === 'x' && /^[0-9a-fA-F]/.test(field[slash + 2] ?? '')) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(field.slice(slash + 2)) as RegExpExecArray;
      out += String.fromCharCode(parseInt(m[0], 16));
      i = slash + 2 + m[0].length;
    } else {
      out += c; // \\ and any other escaped character stand for themselves
      i = slash + 2;
    }
  }
  return out;
}

/** The fields of one COPY text line (without its newline): the slow, obvious reading. */
export function parseCopyLine(line: string): (string | null)[] {
  return line.split('\t').map((f) => (f === '\\N' ? null : f.includes('\\') ? unescape(f) : f));
}

// Byte classes while scanning a line: what a byte means in COPY text.
const PLAIN = 0;
const SPECIAL = 1; // needs JSON escaping (`"`, control characters) or is a COPY escape (`\`)
const TAB = 2;
const NEWLINE = 3;
const SCAN = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) SCAN[b] = SPECIAL;
SCAN[0x22] = SPECIAL;
SCAN[0x5c] = SPECIAL;
SCAN[0x09] = TAB;
SCAN[0x0a] = NEWLINE;

// JSON escapes for the bytes JSON.stringify escapes: 0 = none, else the letter after `\` (`u` for \u00XX).
const JSON_ESCAPE = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) JSON_ESCAPE[b] = 0x75; // u
JSON_ESCAPE[0x08] = 0x62; // b
JSON_ESCAPE[0x09] = 0x74; // t
JSON_ESCAPE[0x0a] = 0x6e; // n
JSON_ESCAPE[0x0c] = 0x66; // f
JSON_ESCAPE[0x0d] = 0x72; // r
JSON_ESCAPE[0x22] = 0x22; // "
JSON_ESCAPE[0x5c] = 0x5c; // \
const HEX = new TextEncoder().encode('0123456789abcdef');

// What a COPY escape `\<c>` stands for: a byte, or -1 for "the character itself".
const COPY_ESCAPE = new Int16Array(256).fill(-1);
COPY_ESCAPE[0x62] = 0x08; // \b
COPY_ESCAPE[0x66] = 0x0c; // \f
COPY_ESCAPE[0x6e] = 0x0a; // \n
COPY_ESCAPE[0x72] = 0x0d; // \r
COPY_ESCAPE[0x74] = 0x09; // \t
COPY_ESCAPE[0x76] = 0x0b; // \v

const isOctal = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x37;
const hexValue = (b: number | undefined): number =>
  b === undefined
    ? -1
    : b >= 0x30 && b <= 0x39
      ? b - 0x30
      : b >= 0x61 && b <= 0x66
        ? b - 0x57
        : b >= 0x41 && b <= 0x46
          ? b - 0x37
          : -1;

/** Writes one character code (a byte from the input, or an escape's value) JSON-escaped. */
function writeChar(out: Uint8Array, o: number, c: number, doubleSlash: boolean): number {
  const e = JSON_ESCAPE[c] as number;
  if (e === 0) {
    if (c === 0x2f && doubleSlash) {
      out[o++] = 0x2f;
      out[o++] = 0x2f;
    } else out[o++] = c;
  } else if (e !== 0x75) {
    out[o++] = 0x5c;
    out[o++] = e;
  } else {
    out[o++] = 0x5c;
    out[o++] = 0x75;
    out[o++] = 0x30;
    out[o++] = 0x30;
    out[o++] = HEX[c >> 4] as number;
    out[o++] = HEX[c & 15] as number;
  }
  return o;
}

/** A byte array with a DataView on it, for reading and writing four bytes at a time. */
interface Bytes {
  readonly a: Uint8Array;
  readonly v: DataView;
}
const bytesOf = (a: Uint8Array): Bytes => ({ a, v: new DataView(a.buffer, a.byteOffset, a.byteLength) });

// SWAR tests on four bytes read as one little-endian int32 (exact for "any byte ..."):
//   below(v, 0x20): a control byte (including tab and newline); has(v, b): a byte equal to b.
const LOW = 0x01010101;
const HIGH = 0x80808080;
const below20 = (v: number): number => (v - 0x20202020) & ~v & HIGH;
const has = (v: number, repeated: number): number => {
  const x = v ^ repeated;
  return (x - LOW) & ~x & HIGH;
};
/** Four bytes that need no care in a JSON string: no control byte, `"` or `\` (nor `/` in a key). */
const plainWord = (v: number, slash: boolean): boolean =>
  (below20(v) | has(v, 0x22222222) | has(v, 0x5c5c5c5c) | (slash ? has(v, 0x2f2f2f2f) : 0)) === 0;

/** Copies src[a, b) to out at o, four bytes at a time; returns the new end. */
function copy(src: Bytes, a: number, b: number, out: Bytes, o: number): number {
  for (; a + 4 <= b; a += 4, o += 4) out.v.setInt32(o, src.v.getInt32(a, true), true);
  for (; a < b; a++) out.a[o++] = src.a[a] as number;
  return o;
}

/**
 * Writes the bytes src[a, b) of one COPY field as the inside of a JSON string: COPY escapes undone,
 * JSON escapes applied, and `/` doubled when `slash` (inside a row key). Returns the new end.
 */
function writeField(
  src: Bytes,
  a: number,
  b: number,
  special: boolean,
  out: Bytes,
  o: number,
  slash: boolean,
): number {
  if (!special && !slash) return copy(src, a, b, out, o);
  const s = src.a;
  while (a < b) {
    while (a + 4 <= b) {
      const v = src.v.getInt32(a, true);
      if (!plainWord(v, slash)) break;
      out.v.setInt32(o, v, true);
      a += 4;
      o += 4;
    }
    if (a >= b) break;
    let c = s[a++] as number;
    if (c === 0x5c && a < b) {
      const d = s[a++] as number;
      const simple = COPY_ESCAPE[d] as number;
      if (simple >= 0) c = simple;
      else if (isOctal(d)) {
        c = d - 0x30;
        for (let k = 0; k < 2 && a < b && isOctal(s[a]); k++) c = c * 8 + (s[a++] as number) - 0x30;
        c &= 0xff;
      } else if (d === 0x78 && a < b && hexValue(s[a]) >= 0) {
        c = hexValue(s[a++]);
        if (a < b && hexValue(s[a]) >= 0) c = c * 16 + hexValue(s[a++]);
      } else c = d;
      if (c >= 0x80) {
        o = writeLatin1(out.a, o, c);
        continue;
      }
    }
    o = writeChar(out.a, o, c, slash);
  }
  return o;
}

/** A character 0x80-0xff (from an octal or hex escape) as UTF-8. */
function writeLatin1(out: Uint8Array, o: number, c: number): number {
  out[o++] = 0xc0 | (c >> 6);
  out[o++] = 0x80 | (c & 0x3f);
  return o;
}

/** Copies a constant into out at o; returns the new end. */
const put = (out: Bytes, o: number, constant: Bytes): number => copy(constant, 0, constant.a.length, out, o);

/** What one `push` produced; valid until the next `push`. */
export interface EncodedRows {
  /** The messages, each followed by a comma, back to back. */
  readonly bytes: Uint8Array;
  /** Byte length of each message, its comma included. */
  readonly lengths: Uint32Array;
  readonly count: number;
}

/**
 * Turns COPY text (of `columns`, in that order) into the shape's snapshot insert messages. Feed it
 * the COPY stream's chunks with `push`; call `end` after the last one.
 */
export class CopyJsonEncoder {
  // The message's constant text, joined where it meets (fewer, longer copies):
  /** keyOpen + keyValueOpen; keyValueClose + keyValueOpen; keyValueClose + valueOpen. */
  private readonly keyHead: Bytes;
  private readonly keyNext: Bytes;
  private readonly keyEnd: Bytes;
  /** Per column i, at i * 4 + (after a quoted value ? 2 : 0) + (null ? 1 : 0): `"`? name (null | `"`). */
  private readonly prefixes: Bytes[];
  /** [after a quoted value ? 1 : 0]: `"`? close `,`. */
  private readonly tails: Bytes[];
  /** Bytes of constant text per row, for sizing the output. */
  private readonly fixedBytes: number;
  private readonly keyColumns: number[];
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly special: Uint8Array;
  private out: Bytes = bytesOf(new Uint8Array(256 * 1024));
  private lengths = new Uint32Array(1024);
  private carry: Uint8Array | null = null;

  constructor(
    shape: Pick<MessageShape, 'schema' | 'table' | 'primaryKey'>,
    columns: readonly string[],
    extraHeaders: Readonly<Record<string, string | number>> = {},
  ) {
    const t = snapshotInsertTemplate(shape, columns, extraHeaders);
    const constant = (s: string) => bytesOf(new TextEncoder().encode(s));
    this.keyHead = constant(t.keyOpen + t.keyValueOpen);
    this.keyNext = constant(t.keyValueClose + t.keyValueOpen);
    this.keyEnd = constant(t.keyValueClose + t.valueOpen);
    this.prefixes = t.names.flatMap((name) =>
      ['', '"'].flatMap((quote) => [`${quote}${name}"`, `${quote}${name}null`].map(constant)),
    );
    this.tails = [constant(`${t.close},`), constant(`"${t.close},`)];
    this.keyColumns = shape.primaryKey.map((c) => columns.indexOf(c));
    if (this.keyColumns.some((i) => i < 0)) throw new Error('internal: the key columns must be read');
    const longest = (constants: Bytes[]) => Math.max(...constants.map((c) => c.a.length));
    this.fixedBytes =
      this.keyColumns.length * longest([this.keyHead, this.keyNext]) +
      this.keyEnd.a.length +
      columns.length * longest(this.prefixes) +
      longest(this.tails);
    this.starts = new Int32Array(columns.length);
    this.ends = new Int32Array(columns.length);
    this.special = new Uint8Array(columns.length);
  }

  /** Encodes every line completed by this chunk. */
  push(chunk: Uint8Array): EncodedRows {
    let count = 0;
    let o = 0;
    let from = 0;
    const last = chunk.lastIndexOf(0x0a);
    if (last < 0) {
      this.carry = this.carry ? concat(this.carry, chunk) : copyOf(chunk, 0);
      return { bytes: this.out.a.subarray(0, 0), lengths: this.lengths.subarray(0, 0), count: 0 };
    }
    if (this.carry) {
      const first = chunk.indexOf(0x0a);
      const line = concat(this.carry, chunk.subarray(0, first + 1));
      this.carry = null;
      [o, count] = this.encodeLines(line, o, count);
      from = first + 1;
    }
    if (from <= last) [o, count] = this.encodeLines(chunk.subarray(from, last + 1), o, count);
    if (last + 1 < chunk.length) this.carry = copyOf(chunk, last + 1);
    return { bytes: this.out.a.subarray(0, o), lengths: this.lengths.subarray(0, count), count };
  }

  /** Call after the last chunk; throws if the stream ended inside a line. */
  end(): void {
    if (this.carry && this.carry.length > 0) throw new Error('COPY output ended in the middle of a line');
  }

  /** Encodes whole lines (the input ends with a newline), appending at o. */
  private encodeLines(input: Uint8Array, o: number, count: number): [number, number] {
    // A plain Uint8Array (not a Buffer) keeps element access monomorphic, and fast.
    let bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    if (!isUtf8(bytes)) bytes = new TextEncoder().encode(new TextDecoder().decode(bytes));
    const src = bytesOf(bytes);
    const { starts, ends, special, keyColumns, prefixes } = this;
    const fields = starts.length;
    const len = bytes.length;
    let out = this.out;
    let p = 0;
    while (p < len) {
      // Scan the line: where each field starts and ends, and which need more than a copy.
      const lineStart = p;
      let f = 0;
      starts[0] = p;
      special[0] = 0;
      for (;;) {
        while (p + 4 <= len && plainWord(src.v.getInt32(p, true), false)) p += 4;
        const k = SCAN[bytes[p] as number] as number;
        if (k === PLAIN) p++;
        else if (k === SPECIAL) {
          special[f] = 1;
          p += bytes[p] === 0x5c ? 2 : 1; // a COPY escape: the byte after `\` is never a delimiter
        } else {
          ends[f] = p;
          p++;
          if (k === NEWLINE) break;
          if (++f >= fields) throw new Error(`internal: a COPY row has more than ${fields} fields`);
          starts[f] = p;
          special[f] = 0;
        }
      }
      if (f !== fields - 1) throw new Error(`internal: a COPY row has ${f + 1} fields, expected ${fields}`);
      const bound = o + this.fixedBytes + 12 * (p - lineStart);
      if (bound > out.a.length) out = this.grow(o, bound);
      const start = o;
      for (let k = 0; k < keyColumns.length; k++) {
        o = put(out, o, k === 0 ? this.keyHead : this.keyNext);
        const c = keyColumns[k] as number;
        const a = starts[c] as number;
        const b = ends[c] as number;
        if (!isNull(bytes, a, b)) o = writeField(src, a, b, special[c] === 1, out, o, true);
      }
      o = put(out, o, this.keyEnd);
      let quoted = 0; // the previous value was a string, whose closing quote is still to write
      for (let i = 0; i < fields; i++) {
        const a = starts[i] as number;
        const b = ends[i] as number;
        const nul = isNull(bytes, a, b) ? 1 : 0;
        o = put(out, o, prefixes[i * 4 + quoted * 2 + nul] as Bytes);
        if (nul === 0) o = writeField(src, a, b, special[i] === 1, out, o, false);
        quoted = 1 - nul;
      }
      o = put(out, o, this.tails[quoted] as Bytes);
      if (count === this.lengths.length) {
        const lengths = new Uint32Array(count * 2);
        lengths.set(this.lengths);
        this.lengths = lengths;
      }
      this.lengths[count++] = o - start;
    }
    return [o, count];
  }

  private grow(used: number, needed: number): Bytes {
    const out = new Uint8Array(Math.max(needed, this.out.a.length * 2));
    out.set(this.out.a.subarray(0, used));
    this.out = bytesOf(out);
    return this.out;
  }
}

const isNull = (src: Uint8Array, a: number, b: number): boolean =>
  b - a === 2 && src[a] === 0x5c && src[a + 1] === 0x4e;

/**
 * A copy of a[from, end) in memory of its own. (`slice` would not do: a Buffer's slice is a view, and
 * a chunk from a socket may share its memory with other Buffers.)
 */
function copyOf(a: Uint8Array, from: number): Uint8Array {
  const copy = new Uint8Array(a.length - from);
  copy.set(a.subarray(from));
  return copy;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

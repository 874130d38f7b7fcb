/**
 * sync-server/shapes/copy-text.ts: reads PostgreSQL's `COPY ... TO STDOUT` text format.
 *
 * One row per line, columns separated by tabs, `\N` for NULL, and backslash escapes for the
 * characters that would break the format (`\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v`, octal `\ooo`,
 * hex `\xhh`). A column's text is otherwise exactly its type's output function, the same text
 * pgoutput sends for replicated changes.
 */

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
      out += String.fromCharCode(parseInt(m[0], 8));
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

/** The fields of one COPY text line (without its newline). */
export function parseCopyLine(line: string): (string | null)[] {
  return line.split('\t').map((f) => (f === '\\N' ? null : f.includes('\\') ? unescape(f) : f));
}

/**
 * Splits a stream of COPY text chunks into lines, handing them over in batches. The decoder is
 * byte-safe: a multi-byte character split across chunks is kept whole.
 */
export class CopyLineSplitter {
  private carry = '';
  private readonly decoder = new TextDecoder('utf-8');

  push(chunk: Uint8Array): string[] {
    const text = this.carry + this.decoder.decode(chunk, { stream: true });
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      this.carry = text;
      return [];
    }
    this.carry = text.slice(last + 1);
    return text.slice(0, last).split('\n');
  }

  /** Call at the end; throws if the stream ended inside a line. */
  end(): void {
    const rest = this.carry + this.decoder.decode();
    if (rest !== '') throw new Error('COPY output ended in the middle of a line');
  }
}

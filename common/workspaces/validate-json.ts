/**
 * common/workspaces/validate-json.ts: JSON validity with the position of the first error. JSON.parse
 * decides; its messages do not always carry a position (V8: "Unexpected token ']', ... is not valid
 * JSON"), so a small scanner of the JSON grammar (RFC 8259) finds where the text stops being JSON.
 */
import { positionAt, type ValidationProblem } from './problem.ts';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const LITERAL = /true|false|null/y;

/** Thrown by the scanner at the offset where the text stops being JSON. */
class JsonStop extends Error {
  constructor(readonly offset: number) {
    super(`not JSON at ${offset}`);
  }
}

/** The offset where `text` stops being JSON (the grammar only; JSON.parse has the last word). */
function errorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (/[ \t\n\r]/.test(text[i] ?? '')) i++;
  };
  const token = (re: RegExp) => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new JsonStop(i);
    i += m[0].length;
  };
  /** A string: no raw control characters (below U+0020), escapes as RFC 8259 lists them. */
  const string = () => {
    if (text[i] !== '"') throw new JsonStop(i);
    for (i++; ;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c) || c < 0x20) throw new JsonStop(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c !== 0x5c) i++;
      else token(ESCAPE);
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (close === '}') {
          ws();
          string();
          ws();
          if (text[i] !== ':') throw new JsonStop(i);
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else throw new JsonStop(i);
      }
    }
    if (c === '"') string();
    else if (c === '-' || /\d/.test(c ?? '')) token(NUMBER);
    else token(LITERAL);
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (error) {
    if (error instanceof JsonStop) return error.offset;
    throw error;
  }
}

export function checkJson(path: string, text: string): ValidationProblem[] {
  try {
    JSON.parse(text);
    return [];
  } catch (error) {
    return [
      {
        path,
        ...positionAt(text, errorOffset(text)),
        severity: 'error',
        code: 'json.syntax',
        message: `Not valid JSON: ${(error as Error).message}.`,
      },
    ];
  }
}

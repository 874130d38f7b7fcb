/**
 * common/workspaces/validate-xml.ts: XML well-formedness (SDF objects, manifest.xml, deploy.xml),
 * without a parser dependency: one pass over the text.
 *
 * Checks: one root element; tags nest and close (`<a><b></a>` is an error at the `</a>`); names are
 * XML names; attributes are `name="value"` or `name='value'`, each once per element, values without
 * `<`; `&` starts a known entity (`amp lt gt quot apos`) or a character reference; comments, CDATA,
 * processing instructions and the DOCTYPE are skipped as wholes (an unterminated one is an error);
 * nothing but whitespace, comments and processing instructions around the root.
 *
 * Guarantees: the first problem is reported, with the line and column where it was found; a
 * well-formed document gives none. Not a validating parser: no DTD, no namespace checks.
 */
import { positionAt, type ValidationProblem } from './problem.ts';

const NAME = /[A-Za-z_:\u00c0-\uffff][\w.:\u00b7\u00c0-\uffff-]*/y;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

export interface XmlDocument {
  /** The root element's name, or null when the document is not well-formed. */
  readonly root: string | null;
  readonly problem: ValidationProblem | null;
}

class XmlError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function nameAt(text: string, at: number): string {
  NAME.lastIndex = at;
  const match = NAME.exec(text);
  if (!match) throw new XmlError(at, 'expected a name');
  return match[0];
}

function textUntil(text: string, at: number, end: string, what: string): number {
  const found = text.indexOf(end, at);
  if (found < 0) throw new XmlError(at, `${what} is not closed with ${end}`);
  return found + end.length;
}

/** Checks character data between tags: `&` must start an entity, `<` cannot appear here. */
function checkText(text: string, from: number, to: number): void {
  for (let i = text.indexOf('&', from); i >= 0 && i < to; i = text.indexOf('&', i + 1)) {
    ENTITY.lastIndex = i;
    if (!ENTITY.test(text)) throw new XmlError(i, 'a bare & (write &amp;)');
  }
}

/** Parses a start or empty-element tag at `<`; returns its name, whether it is empty, and the end. */
function startTag(text: string, at: number): { name: string; empty: boolean; end: number } {
  const name = nameAt(text, at + 1);
  let i = at + 1 + name.length;
  const seen = new Set<string>();
  for (;;) {
    const spaced = /\s/.test(text[i] ?? '');
    while (/\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('/>', i)) return { name, empty: true, end: i + 2 };
    if (text[i] === '>') return { name, empty: false, end: i + 1 };
    if (i >= text.length) throw new XmlError(at, `<${name}> is not closed`);
    if (!spaced) throw new XmlError(i, `expected whitespace, > or /> in <${name}>`);
    const attribute = nameAt(text, i);
    if (seen.has(attribute)) throw new XmlError(i, `attribute ${attribute} appears twice in <${name}>`);
    seen.add(attribute);
    i += attribute.length;
    while (/\s/.test(text[i] ?? '')) i++;
    if (text[i] !== '=') throw new XmlError(i, `attribute ${attribute} needs ="value"`);
    i++;
    while (/\s/.test(text[i] ?? '')) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") throw new XmlError(i, `the value of ${attribute} must be quoted`);
    const close = text.indexOf(quote, i + 1);
    if (close < 0) throw new XmlError(i, `the value of ${attribute} is not closed`);
    const lt = text.indexOf('<', i + 1);
    if (lt >= 0 && lt < close) throw new XmlError(lt, `< in the value of ${attribute} (write &lt;)`);
    checkText(text, i + 1, close);
    i = close + 1;
  }
}

function parse(text: string): string {
  const open: { name: string; at: number }[] = [];
  let root: string | null = null;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? text.length : lt;
    if (open.length === 0 && text.slice(i, end).trim() !== '')
      throw new XmlError(i + text.slice(i, end).search(/\S/), 'text outside the root element');
    checkText(text, i, end);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) i = textUntil(text, lt + 4, '-->', 'a comment');
    else if (text.startsWith('<![CDATA[', lt)) {
      if (open.length === 0) throw new XmlError(lt, 'CDATA outside the root element');
      i = textUntil(text, lt + 9, ']]>', 'CDATA');
    } else if (text.startsWith('<?', lt)) i = textUntil(text, lt + 2, '?>', 'a processing instruction');
    else if (text.startsWith('<!DOCTYPE', lt)) i = textUntil(text, lt + 9, '>', 'the DOCTYPE');
    else if (text.startsWith('</', lt)) {
      const name = nameAt(text, lt + 2);
      const top = open.pop();
      if (!top) throw new XmlError(lt, `</${name}> closes nothing`);
      if (top.name !== name) throw new XmlError(lt, `</${name}> where </${top.name}> was expected`);
      const close = lt + 2 + name.length + (/^\s*/.exec(text.slice(lt + 2 + name.length))?.[0].length ?? 0);
      if (text[close] !== '>') throw new XmlError(close, `</${name}> is not closed`);
      i = close + 1;
    } else {
      if (open.length === 0 && root !== null) throw new XmlError(lt, 'a second root element');
      const tag = startTag(text, lt);
      root ??= tag.name;
      if (!tag.empty) open.push({ name: tag.name, at: lt });
      i = tag.end;
    }
  }
  const unclosed = open.pop();
  if (unclosed) throw new XmlError(unclosed.at, `<${unclosed.name}> is never closed`);
  if (root === null) throw new XmlError(0, 'no root element');
  return root;
}

export function checkXml(path: string, text: string): XmlDocument {
  try {
    return { root: parse(text), problem: null };
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    return {
      root: null,
      problem: {
        path,
        ...positionAt(text, error.offset),
        severity: 'error',
        code: 'xml.syntax',
        message: `Not well-formed XML: ${error.message}.`,
      },
    };
  }
}

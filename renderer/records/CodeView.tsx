/**
 * renderer/records/CodeView.tsx: read-only code with syntax highlighting and line numbers (JavaScript
 * and SuiteScript, TypeScript, XML for SDF objects, SQL/SuiteQL, JSON, Markdown, unified diffs), for
 * code held in records (workspace files, patches, prompts, API bodies). Editing code is the workspace
 * IDE's (Monaco); this is the light viewer every record view can afford.
 *
 * Guarantees: highlighting never runs on untrusted HTML: highlight.js escapes the text it tokenises and
 * returns spans of its own classes only; text of an unknown language is shown escaped, unhighlighted.
 * Very long text is highlighted only up to 200 kB (the rest is shown plain), so a huge file cannot
 * stall the window.
 */
import hljs from 'highlight.js/lib/core';
import diff from 'highlight.js/lib/languages/diff';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import { useMemo } from 'react';
import type { CodeLanguage } from '../../common/records/presentation.ts';

hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('xml', xml);
hljs.registerLanguage('sql', sql);
hljs.registerLanguage('json', json);
hljs.registerLanguage('markdown', markdown);
hljs.registerLanguage('diff', diff);

const HIGHLIGHT_LIMIT = 200_000;

const LANGUAGE_NAMES: Readonly<Record<CodeLanguage, string>> = {
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  xml: 'XML',
  sql: 'SQL',
  json: 'JSON',
  markdown: 'Markdown',
  diff: 'Diff',
  text: 'Text',
};

/** The highlighted HTML of each line (escaped text in highlight.js spans). */
export function highlightLines(code: string, language: CodeLanguage): string[] {
  const head = code.length > HIGHLIGHT_LIMIT ? code.slice(0, HIGHLIGHT_LIMIT) : code;
  const html =
    language === 'text'
      ? hljs.highlight(head, { language: 'plaintext', ignoreIllegals: true }).value
      : hljs.highlight(head, { language, ignoreIllegals: true }).value;
  const lines = splitHighlighted(html);
  if (head.length < code.length)
    lines.push(
      ...splitHighlighted(hljs.highlight(code.slice(HIGHLIGHT_LIMIT), { language: 'plaintext' }).value),
    );
  return lines;
}

/** Splits highlighted HTML into lines, closing and reopening spans that cross a line break. */
function splitHighlighted(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let current = '';
  for (const part of html.split(/(<span[^>]*>|<\/span>|\n)/)) {
    if (part === '\n') {
      lines.push(current + '</span>'.repeat(open.length));
      current = open.join('');
    } else if (part.startsWith('<span')) {
      open.push(part);
      current += part;
    } else if (part === '</span>') {
      open.pop();
      current += part;
    } else current += part;
  }
  lines.push(current);
  return lines;
}

export function CodeView(props: {
  readonly code: string;
  readonly language: CodeLanguage;
  readonly label: string;
}) {
  const lines = useMemo(() => highlightLines(props.code, props.language), [props.code, props.language]);
  return (
    <figure className="code-view" aria-label={`${props.label} (${LANGUAGE_NAMES[props.language]})`}>
      <figcaption className="code-view-language">{LANGUAGE_NAMES[props.language]}</figcaption>
      <pre className="hljs" tabIndex={0}>
        <code>
          {lines.map((line, i) => (
            <span key={i} className="code-line">
              <span className="code-line-number" aria-hidden="true">
                {i + 1}
              </span>
              {/* highlight.js output: the code's text escaped, inside its own span classes only. */}
              <span dangerouslySetInnerHTML={{ __html: line || ' ' }} />
              {'\n'}
            </span>
          ))}
        </code>
      </pre>
    </figure>
  );
}

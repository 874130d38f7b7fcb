/**
 * renderer/workspaces/file-search.ts: search across a workspace's files (Mod+Shift+F, the Search
 * panel, renderer/workspaces/SearchPanel.tsx): every line of every file where the query occurs.
 *
 *   query + options ─► compileSearch ─► a RegExp (g; i unless Match case; the text escaped unless
 *                       Regular expression; between word boundaries with Whole word)
 *                    └─► or a sentence saying why the regular expression is not one (never a throw)
 *   files as the author sees them (validation.ts textsToValidate: editor, else draft, else file)
 *        ─► searchFiles ─► per file (in path order), per line, per match: line, column, the line's
 *           text as shown (leading blanks dropped, a line cut before a match far into it, and after
 *           240 characters) and the match's
 *           range in it
 *
 * Pure: no React, no engine. Guarantees: lines are matched one at a time (`^` and `$` are a line's
 * start and end; a pattern cannot span lines); an empty match is skipped, so `a*` or `^` never loop
 * or list every line; at most `limit` results are returned, and `truncated` says more exist (the scan
 * stops at the first one past the limit); line and column are 1-based in UTF-16 code units, as
 * Monaco's. A pathological regular expression still runs on the main thread (documented limitation).
 */
import type { WorkspaceFileText } from '../../common/workspaces/validate.ts';

export interface SearchOptions {
  readonly matchCase: boolean;
  readonly wholeWord: boolean;
  readonly regex: boolean;
}

export interface SearchQuery extends SearchOptions {
  readonly text: string;
}

export interface SearchMatch {
  /** 1-based. */
  readonly line: number;
  /** 1-based, where the match starts. */
  readonly column: number;
  readonly length: number;
  /** The line as listed: leading blanks dropped, cut around the match when long (`…` marks a cut). */
  readonly preview: string;
  /** The match in `preview`: [start, end). */
  readonly range: readonly [start: number, end: number];
}

export interface FileMatches {
  readonly path: string;
  readonly matches: readonly SearchMatch[];
}

export type SearchOutcome =
  | { readonly kind: 'idle' }
  | { readonly kind: 'invalid'; readonly message: string }
  | {
      readonly kind: 'results';
      readonly files: readonly FileMatches[];
      /** The number of results listed (at most the limit). */
      readonly count: number;
      /** More results exist than were listed. */
      readonly truncated: boolean;
    };

export const SEARCH_LIMIT = 2_000;
/** A line is cut before its match when the match starts further in than this (about half a panel). */
const PREVIEW_CUT_AFTER = 80;
/** Characters of a line shown before the match when the line is cut. */
const PREVIEW_BEFORE = 40;
/** Longest preview (plus the cut marks). */
const PREVIEW_MAX = 240;
/** Word characters for Whole word: JavaScript identifiers' ASCII ones. */
const WORD = '[A-Za-z0-9_$]';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The engine's reason, without its restatement of the pattern: "Unterminated group". */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = /: ([^:]+)$/.exec(message)?.[1] ?? message;
  return reason.trim();
}

/** The query as a RegExp, or why it is not a valid regular expression; null for an empty query. */
export function compileSearch(query: SearchQuery): RegExp | { readonly invalid: string } | null {
  if (query.text === '') return null;
  const pattern = query.regex ? query.text : escapeRegExp(query.text);
  const source = query.wholeWord ? `(?<!${WORD})(?:${pattern})(?!${WORD})` : pattern;
  try {
    // Checked alone first, so a mistake is reported in the pattern the user typed, not the wrapper.
    if (query.regex) new RegExp(query.text);
    return new RegExp(source, query.matchCase ? 'g' : 'gi');
  } catch (error) {
    return { invalid: `This is not a valid regular expression: ${reasonOf(error)}.` };
  }
}

function previewOf(line: string, start: number, end: number): Pick<SearchMatch, 'preview' | 'range'> {
  const blanks = /^\s*/.exec(line)?.[0].length ?? 0;
  let from = Math.min(blanks, start);
  let prefix = '';
  if (start - from > PREVIEW_CUT_AFTER) {
    from = start - PREVIEW_BEFORE;
    prefix = '…';
  }
  const to = Math.min(line.length, Math.max(end, from + PREVIEW_MAX));
  const suffix = to < line.length ? '…' : '';
  return {
    preview: `${prefix}${line.slice(from, to)}${suffix}`,
    range: [prefix.length + start - from, prefix.length + end - from],
  };
}

/** Every match of `query` in `files`, grouped by file in path order, at most `limit` of them. */
export function searchFiles(
  files: readonly WorkspaceFileText[],
  query: SearchQuery,
  limit = SEARCH_LIMIT,
): SearchOutcome {
  const compiled = compileSearch(query);
  if (compiled === null) return { kind: 'idle' };
  if (!(compiled instanceof RegExp)) return { kind: 'invalid', message: compiled.invalid };
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const found: FileMatches[] = [];
  let count = 0;
  for (const file of sorted) {
    const matches: SearchMatch[] = [];
    const lines = file.content.split(/\r\n|\r|\n/);
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index] as string;
      compiled.lastIndex = 0;
      for (let match = compiled.exec(line); match; match = compiled.exec(line)) {
        const text = match[0];
        if (text.length === 0) {
          compiled.lastIndex += 1;
          if (compiled.lastIndex > line.length) break;
          continue;
        }
        if (count === limit) {
          if (matches.length > 0) found.push({ path: file.path, matches });
          return { kind: 'results', files: found, count, truncated: true };
        }
        count += 1;
        matches.push({
          line: index + 1,
          column: match.index + 1,
          length: text.length,
          ...previewOf(line, match.index, match.index + text.length),
        });
      }
    }
    if (matches.length > 0) found.push({ path: file.path, matches });
  }
  return { kind: 'results', files: found, count, truncated: false };
}

const counted = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "12 results in 3 files", "No results", "2,000 results in 40 files (more not shown: …)". */
export function searchSummary(outcome: SearchOutcome): string {
  if (outcome.kind !== 'results') return '';
  if (outcome.count === 0) return 'No results.';
  const summary = `${counted(outcome.count, 'result', 'results')} in ${counted(outcome.files.length, 'file', 'files')}`;
  return outcome.truncated ? `${summary}. More not shown: narrow the search to see them all.` : `${summary}.`;
}

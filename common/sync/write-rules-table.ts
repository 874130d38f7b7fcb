/**
 * common/sync/write-rules-table.ts: the write part of the sync rules as one markdown table, the form in
 * which a person reviews it. docs/security.md ("What a client may write") holds the reviewed copy;
 * write-rules-table.test.ts fails, printing the current table, when rules.ts and that copy differ, so a
 * change to what clients may write cannot land without the reviewed list changing with it.
 */
import { DOMAINS, SYNC_RULES } from './rules.ts';

export const WRITE_RULES_BEGIN = '<!-- write-rules:begin (generated from common/sync/rules.ts) -->';
export const WRITE_RULES_END = '<!-- write-rules:end -->';

const list = (items: readonly string[]) =>
  items.length === 0 ? '' : items.map((c) => `\`${c}\``).join(', ');

/** The table: one row per table a plain write may touch, in domain order. */
export function writeRulesTable(): string {
  const lines = [
    '| table | permission | operations | an insert and an update set | set when created, then fixed | always the writing user |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const domain of DOMAINS) {
    for (const rule of SYNC_RULES.values()) {
      if (rule.domain !== domain.id || !rule.write) continue;
      const w = rule.write;
      lines.push(
        `| \`${rule.table}\` | \`${w.permission}\` | ${w.operations.join(', ')} | ${list(w.columns)} | ${list(w.createOnly)} | ${list(Object.keys(w.stamps))} |`,
      );
    }
  }
  return lines.join('\n');
}

/** The cells of a markdown table, row by row, whitespace and alignment padding ignored. */
export function tableCells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|') && !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

/** The reviewed table between the markers of a document, or null when the markers are missing. */
export function reviewedWriteRules(document: string): string | null {
  const begin = document.indexOf(WRITE_RULES_BEGIN);
  const end = document.indexOf(WRITE_RULES_END);
  if (begin < 0 || end < begin) return null;
  return document.slice(begin + WRITE_RULES_BEGIN.length, end);
}

/** `document` with the table between the markers replaced by the current one. */
export function withWriteRules(document: string): string {
  const begin = document.indexOf(WRITE_RULES_BEGIN);
  const end = document.indexOf(WRITE_RULES_END);
  if (begin < 0 || end < begin) throw new Error('the write-rules markers are missing');
  return `${document.slice(0, begin + WRITE_RULES_BEGIN.length)}\n\n${writeRulesTable()}\n\n${document.slice(end)}`;
}

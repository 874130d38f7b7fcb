/**
 * common/workspaces/patch.ts: one file's change as a unified diff (jsdiff) made against a known base,
 * its hunks with stable ids for per-hunk review, and the patch narrowed to the hunks a reviewer
 * accepted.
 *
 *   makePatch(path, base, next) ─► { unifiedDiff, baseSha256 }      (the base content's SHA-256, hex)
 *   applyFilePatch(base, unifiedDiff) ─► next | null                  (exact: no fuzz, no line-ending
 *                                                                      conversion; null when it does not fit)
 *   baseOf(next, unifiedDiff) ─► base | null                          (the diff undone: what it was made against)
 *   hunksOf(unifiedDiff) ─► [{ id, oldStart, oldLines, newStart, newLines, lines }]
 *   narrowPatch(path, base, unifiedDiff, accepted ids) ─► { unifiedDiff, content, kept, dropped }
 *
 * Guarantees:
 *   - `applyFilePatch(base, makePatch(p, base, next).unifiedDiff) === next` for any texts, CRLF, mixed
 *     line endings, a missing final newline and empty files included (patch.test.ts checks it on
 *     generated text).
 *   - A hunk's id depends only on the hunk itself (its old range and its lines), never on the hunks
 *     around it or on the order it is listed in, so a decision recorded against an id means the same
 *     change wherever the id is seen. Two hunks of one patch never share an id (their old ranges
 *     differ).
 *   - Partial acceptance: `narrowPatch` applies only the accepted hunks to the base and diffs the result
 *     against the base again. The narrowed patch therefore changes exactly the accepted lines and its
 *     own hunks get their own ids (two accepted hunks that a rejected one separated may become one
 *     hunk). Decisions are about the patch they were made on; the narrowed patch is a new patch of the
 *     same base (docs/architecture.md, "Workspace changesets").
 *
 * The SHA-256 is of the text's UTF-8 bytes, the same as `encode(sha256(convert_to(content, 'UTF8')),
 * 'hex')` in SQL, so a database compares a file's current content with a patch's base in one statement.
 */
import {
  applyPatch,
  formatPatch,
  parsePatch,
  reversePatch,
  structuredPatch,
  type StructuredPatch,
} from 'diff';

export interface FilePatch {
  readonly unifiedDiff: string;
  /** SHA-256 (lower-case hex) of the content the diff was made against. */
  readonly baseSha256: string;
}

export interface PatchHunk {
  /** Stable id: `h` + 16 hex digits of a hash of the old range and the lines. */
  readonly id: string;
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  /** The hunk's lines as in the diff: ' ' context, '-' removed, '+' added, '\' a no-newline marker. */
  readonly lines: readonly string[];
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text` (Web Crypto: Node, browsers, workers). */
export async function contentSha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The unified diff of one file (no timestamp headers) from `base` to `next`. */
export function diffText(path: string, base: string, next: string): string {
  return formatPatch(structuredPatch(path, path, base, next, undefined, undefined, { context: 3 }));
}

export async function makePatch(path: string, base: string, next: string): Promise<FilePatch> {
  return { unifiedDiff: diffText(path, base, next), baseSha256: await contentSha256(base) };
}

function parseOne(unifiedDiff: string): StructuredPatch {
  const parsed = parsePatch(unifiedDiff);
  if (parsed.length !== 1 || !parsed[0]) throw new Error('a file patch holds exactly one file');
  return parsed[0];
}

/** `base` with the diff applied exactly where it says, or null when the diff does not fit `base`. */
export function applyFilePatch(base: string, unifiedDiff: string | StructuredPatch): string | null {
  const patched = applyPatch(base, unifiedDiff, { fuzzFactor: 0, autoConvertLineEndings: false });
  return patched === false ? null : patched;
}

/**
 * The text the diff was made against, from the text it produced: the diff applied in reverse. A patch
 * that stores its new content therefore carries its whole base too (for a three-way merge), and
 * `contentSha256(baseOf(...))` must equal the patch's base hash.
 */
export function baseOf(next: string, unifiedDiff: string): string | null {
  return applyFilePatch(next, reversePatch(parseOne(unifiedDiff)));
}

/** FNV-1a, 64 bits, as 16 hex digits: enough to tell the hunks of one review apart, not a security hash. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

export function hunkId(hunk: { oldStart: number; oldLines: number; lines: readonly string[] }): string {
  return `h${fnv1a64(`${hunk.oldStart},${hunk.oldLines}\n${hunk.lines.join('\n')}`)}`;
}

/** The hunks of a one-file unified diff, in order, each with its stable id. */
export function hunksOf(unifiedDiff: string): PatchHunk[] {
  return parseOne(unifiedDiff).hunks.map((h) => ({
    id: hunkId(h),
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines,
  }));
}

export interface NarrowedPatch {
  /** The diff from the base to `content`; '' when no hunk was accepted. */
  readonly unifiedDiff: string;
  /** The base with only the accepted hunks applied. */
  readonly content: string;
  readonly kept: readonly string[];
  readonly dropped: readonly string[];
}

/**
 * The patch reduced to the hunks whose ids are in `accepted`: the accepted hunks applied to `base`
 * (which must be the patch's base), then diffed against it again. Throws when the diff does not fit
 * the base (a caller checks the base hash first).
 */
export function narrowPatch(
  path: string,
  base: string,
  unifiedDiff: string,
  accepted: ReadonlySet<string>,
): NarrowedPatch {
  const patch = parseOne(unifiedDiff);
  const kept = patch.hunks.filter((h) => accepted.has(hunkId(h)));
  const dropped = patch.hunks.filter((h) => !accepted.has(hunkId(h))).map(hunkId);
  const content = applyFilePatch(base, { ...patch, hunks: kept });
  if (content === null) throw new Error(`the patch of ${path} does not apply to its base`);
  return {
    unifiedDiff: content === base ? '' : diffText(path, base, content),
    content,
    kept: kept.map(hunkId),
    dropped,
  };
}

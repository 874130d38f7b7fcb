/**
 * common/workspaces/quick-open.ts: Quick open's ranking (Mod+P in the workspace editor,
 * renderer/workspaces/QuickOpen.tsx): which of a workspace's files a typed query names, best first,
 * and which characters of each matched (to highlight them).
 *
 *   paths ─► indexPaths (once per file list: lower-case copies, where each file name starts)
 *   query ─► pieces (split on spaces; `\` read as `/`), each matched in every path:
 *              in the file name   ─► its score + NAME_TIER   (file name matches rank first)
 *              else in the path   ─► its score               (folder matches after them)
 *              else               ─► the path is left out (every piece must match)
 *          ─► sorted: score, then recently opened, shorter name, shorter path, path
 *          ─► the first `limit` items, each with its name's and folder's matched ranges
 *   ''    ─► the recently opened paths (most recent first), then every other path in path order
 *
 * A piece matches a text when its characters appear in it in order, case-insensitively. Of all the
 * ways they can, the best scoring one is chosen (dynamic programming over the characters, as fzf and
 * VS Code do), so `sov` highlights the S, O and V of `sales_order_view.js`, not the first s, o and v.
 * Each matched character scores; more when it starts a segment (after `/`), a word (after `.`, `_`,
 * `-` or a space) or a camelCase hump, follows the previous matched character, or has the case typed;
 * every character skipped between two matched ones costs a little. A piece equal to the file name (or
 * to the name without its extension) scores more still.
 *
 * Pure and synchronous, no DOM: it lives in common/ so that bench/quick-open.ts measures the very code
 * the renderer runs (target: at most 50 ms a keystroke over 10,000 paths; docs/benchmarks.md).
 * Guarantees: every path of the index appears at most once; ranges are sorted, disjoint, non-empty and
 * inside the name or the folder they belong to; the order is total (ties end on the path), so a list
 * never shuffles between two renders.
 */

export interface IndexedPath {
  readonly path: string;
  readonly lower: string;
  /** Where the file name starts (after the last `/`). */
  readonly nameStart: number;
}

/** The paths of a workspace, prepared once for every keystroke's ranking. */
export interface PathIndex {
  /** Distinct paths in path order. */
  readonly entries: readonly IndexedPath[];
}

/** [start, end) in UTF-16 code units. */
export type TextRange = readonly [start: number, end: number];

export interface QuickOpenItem {
  readonly path: string;
  readonly name: string;
  /** The folders above the file, without a trailing `/` ('' at the top). */
  readonly folder: string;
  readonly nameRanges: readonly TextRange[];
  readonly folderRanges: readonly TextRange[];
  /** One of the recently opened files. */
  readonly recent: boolean;
}

export interface QuickOpenList {
  readonly items: readonly QuickOpenItem[];
  /** How many paths match (all of them for an empty query); items holds at most `limit` of them. */
  readonly total: number;
}

export interface QuickOpenOptions {
  /** Recently opened paths, most recent first. */
  readonly recent?: readonly string[];
  /** At most this many items (default 200). */
  readonly limit?: number;
}

export const QUICK_OPEN_LIMIT = 200;

const SCORE_MATCH = 16;
const BONUS_SEGMENT = 10;
const BONUS_WORD = 8;
const BONUS_CAMEL = 7;
const BONUS_CONSECUTIVE = 8;
const BONUS_CASE = 1;
const BONUS_EXACT_NAME = 40;
const PENALTY_GAP = 1;
/** A small cost per character before the first match: of two equal alignments, the earlier wins. */
const PENALTY_LEAD = 0.05;
/** Added per piece matched inside the file name: any such match ranks above any folder match. */
const NAME_TIER = 1_000_000;
/** Longer pieces are cut here (nobody types a 128-character file name; it bounds the work). */
const MAX_PIECE = 128;

export function indexPaths(paths: readonly string[]): PathIndex {
  const entries = [...new Set(paths)]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((path) => ({ path, lower: path.toLowerCase(), nameStart: path.lastIndexOf('/') + 1 }));
  return { entries };
}

/** The query's pieces, lower-case and as typed (for the case bonus). */
function piecesOf(query: string): Piece[] {
  return [
    ...new Set(
      query
        .replace(/\\/g, '/')
        .split(/\s+/)
        .filter((p) => p.length > 0)
        .map((p) => p.slice(0, MAX_PIECE)),
    ),
  ].map((typed) => ({ typed, lower: typed.toLowerCase() }));
}

/** ASCII letters only: a hump of `salesOrder` (other scripts have no case to read humps from). */
const isUpper = (code: number) => code >= 65 && code <= 90;
const isLower = (code: number) => code >= 97 && code <= 122;

/** The bonus of a match at `at` for where it stands: a segment's, a word's or a hump's start. */
function boundaryBonus(path: string, at: number): number {
  if (at === 0) return BONUS_SEGMENT;
  const before = path.charCodeAt(at - 1);
  if (before === 47 /* / */) return BONUS_SEGMENT;
  if (before === 46 /* . */ || before === 95 /* _ */ || before === 45 /* - */ || before === 32)
    return BONUS_WORD;
  if (isUpper(path.charCodeAt(at)) && isLower(before)) return BONUS_CAMEL;
  return 0;
}

type Piece = { readonly lower: string; readonly typed: string };

// The alignment's tables, reused between calls (grown as needed): row i is the piece's character i,
// column j the text's character start + j; only the window [low[i], high[i]] of a row is meaningful.
let best = new Float64Array(1024);
let from = new Int32Array(1024);
const low = new Int32Array(MAX_PIECE);
const high = new Int32Array(MAX_PIECE);

/**
 * The best alignment of `piece` in `entry.path` from `start`: its score, or -Infinity when the piece
 * does not occur there in order. With `positions`, the matched indices of the path are pushed to it.
 *
 * Row windows: character i can only be matched between its earliest place (every character before it
 * matched as early as possible) and its latest (every one after it as late as possible), so each row
 * is filled only there: most of a long path is never visited.
 */
function align(piece: Piece, entry: IndexedPath, start: number, positions: number[] | null): number {
  const { lower, path } = entry;
  const m = piece.lower.length;
  const n = lower.length - start;
  let at = start;
  for (let i = 0; i < m; i++) {
    at = lower.indexOf(piece.lower.charAt(i), at);
    if (at < 0) return -Infinity;
    low[i] = at - start;
    at += 1;
  }
  at = lower.length - 1;
  for (let i = m - 1; i >= 0; i--) {
    at = lower.lastIndexOf(piece.lower.charAt(i), at);
    high[i] = at - start;
    at -= 1;
  }
  if (best.length < m * n) {
    best = new Float64Array(m * n * 2);
    from = new Int32Array(m * n * 2);
  }
  for (let i = 0; i < m; i++) {
    const want = piece.lower.charAt(i);
    const typed = piece.typed.charAt(i);
    const row = i * n;
    const above = row - n;
    const first = low[i] as number;
    const last = high[i] as number;
    // The previous row's window: its cells outside it are -Infinity.
    const aboveFirst = i > 0 ? (low[i - 1] as number) : 0;
    const aboveLast = i > 0 ? (high[i - 1] as number) : -1;
    // The best match of the previous character at least two columns back, its gap cost included,
    // kept as the column moves right (from where that character's window starts).
    let gapped = -Infinity;
    let gappedAt = -1;
    for (let j = i === 0 ? first : aboveFirst + 1; j <= last; j++) {
      if (i > 0) {
        const k = j - 2;
        const candidate = k >= aboveFirst && k <= aboveLast ? (best[above + k] as number) : -Infinity;
        if (candidate >= gapped) {
          gapped = candidate - PENALTY_GAP;
          gappedAt = j - 2;
        } else gapped -= PENALTY_GAP;
      }
      if (j < first) continue;
      const place = start + j;
      if (lower.charAt(place) !== want) {
        best[row + j] = -Infinity;
        continue;
      }
      const own = SCORE_MATCH + boundaryBonus(path, place) + (path.charAt(place) === typed ? BONUS_CASE : 0);
      if (i === 0) {
        best[row + j] = own - PENALTY_LEAD * j;
        from[row + j] = -1;
        continue;
      }
      const k = j - 1;
      const consecutive =
        k >= aboveFirst && k <= aboveLast ? (best[above + k] as number) + BONUS_CONSECUTIVE : -Infinity;
      if (consecutive >= gapped) {
        best[row + j] = own + consecutive;
        from[row + j] = j - 1;
      } else {
        best[row + j] = own + gapped;
        from[row + j] = gappedAt;
      }
    }
  }
  let end = -1;
  let score = -Infinity;
  for (let j = low[m - 1] as number; j <= (high[m - 1] as number); j++) {
    const value = best[(m - 1) * n + j] as number;
    if (value > score) {
      score = value;
      end = j;
    }
  }
  if (end < 0 || score === -Infinity) return -Infinity;
  if (positions) {
    const mine = new Array<number>(m);
    for (let i = m - 1, j = end; i >= 0; i--) {
      mine[i] = start + j;
      j = from[i * n + j] as number;
    }
    positions.push(...mine);
  }
  return score;
}

/**
 * The score of every piece in `entry`, summed (-Infinity: a piece does not match); with `positions`,
 * the matched indices are pushed to it.
 */
function scoreEntry(pieces: readonly Piece[], entry: IndexedPath, positions: number[] | null): number {
  let score = 0;
  for (const piece of pieces) {
    const inName = align(piece, entry, entry.nameStart, positions);
    if (inName !== -Infinity) {
      const name = entry.lower.slice(entry.nameStart);
      const exact = piece.lower === name || name.startsWith(`${piece.lower}.`);
      score += NAME_TIER + inName + (exact ? BONUS_EXACT_NAME : 0);
      continue;
    }
    const inPath = align(piece, entry, 0, positions);
    if (inPath === -Infinity) return -Infinity;
    score += inPath;
  }
  return score;
}

/** Sorted positions as ranges [start, end), shifted by -offset and clipped to [0, length). */
function rangesOf(positions: readonly number[], offset: number, length: number): TextRange[] {
  const ranges: [number, number][] = [];
  for (const position of positions) {
    const at = position - offset;
    if (at < 0 || at >= length) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === at) last[1] = at + 1;
    else if (!last || last[1] < at) ranges.push([at, at + 1]);
  }
  return ranges;
}

function itemOf(entry: IndexedPath, positions: readonly number[], recent: boolean): QuickOpenItem {
  const sorted = [...new Set(positions)].sort((a, b) => a - b);
  const folderLength = Math.max(0, entry.nameStart - 1);
  return {
    path: entry.path,
    name: entry.path.slice(entry.nameStart),
    folder: entry.path.slice(0, folderLength),
    nameRanges: rangesOf(sorted, entry.nameStart, entry.path.length - entry.nameStart),
    folderRanges: rangesOf(sorted, 0, folderLength),
    recent,
  };
}

/** The items Quick open lists for `query` (see the header for the order). */
export function quickOpen(index: PathIndex, query: string, options: QuickOpenOptions = {}): QuickOpenList {
  const limit = options.limit ?? QUICK_OPEN_LIMIT;
  const recentRank = new Map<string, number>();
  for (const path of options.recent ?? []) if (!recentRank.has(path)) recentRank.set(path, recentRank.size);
  const pieces = piecesOf(query);

  if (pieces.length === 0) {
    const known = index.entries.filter((e) => recentRank.has(e.path));
    known.sort((a, b) => (recentRank.get(a.path) as number) - (recentRank.get(b.path) as number));
    const items = known.slice(0, limit).map((e) => itemOf(e, [], true));
    for (const entry of index.entries) {
      if (items.length >= limit) break;
      if (!recentRank.has(entry.path)) items.push(itemOf(entry, [], false));
    }
    return { items, total: index.entries.length };
  }

  // Scores first, for every path; the matched positions only for the items shown.
  const matched: { entry: IndexedPath; score: number }[] = [];
  for (const entry of index.entries) {
    const score = scoreEntry(pieces, entry, null);
    if (score !== -Infinity) matched.push({ entry, score });
  }
  // Only the best `limit` are sorted in full: those scoring at least the limit-th best score.
  let shown = matched;
  if (matched.length > limit) {
    const scores = Float64Array.from(matched, (m) => m.score).sort();
    const threshold = scores[scores.length - limit] as number;
    shown = matched.filter((m) => m.score >= threshold);
  }
  const rank = (path: string) => recentRank.get(path) ?? Infinity;
  shown.sort(
    (a, b) =>
      b.score - a.score ||
      rank(a.entry.path) - rank(b.entry.path) ||
      a.entry.path.length - a.entry.nameStart - (b.entry.path.length - b.entry.nameStart) ||
      a.entry.path.length - b.entry.path.length ||
      (a.entry.path < b.entry.path ? -1 : a.entry.path > b.entry.path ? 1 : 0),
  );
  return {
    items: shown.slice(0, limit).map((m) => {
      const positions: number[] = [];
      scoreEntry(pieces, m.entry, positions);
      return itemOf(m.entry, positions, recentRank.has(m.entry.path));
    }),
    total: matched.length,
  };
}

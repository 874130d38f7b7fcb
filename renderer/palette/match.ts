/**
 * renderer/palette/match.ts: the command palette's matching and ranking (pure; tested beside).
 * A query matches a title (or its hint, such as a table's own name) when its characters appear in
 * order; contiguous runs, word starts and an early first match rank higher. An empty query keeps the
 * given order.
 */

/** One line of the palette (renderer/palette/palette-entries.ts makes them from the registry). */
export interface PaletteEntry {
  readonly id: string;
  readonly title: string;
  readonly section: string;
  /** Shown on the right (a shortcut, or a provider's hint such as a table's domain). */
  readonly hint?: string;
  readonly run: () => void;
}

/** The match score of `query` in `text` (higher is better), or null when it does not match. */
export function matchScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  if (q === '') return 0;
  const t = text.toLowerCase();
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of q) {
    if (ch === ' ') continue;
    const at = t.indexOf(ch, from);
    if (at < 0) return null;
    score += 1;
    if (at === previous + 1) score += 3;
    if (at === 0 || /[\s_.:/-]/.test(t[at - 1] ?? '')) score += 2;
    previous = at;
    from = at + 1;
  }
  const first = t.indexOf(q[0] ?? '');
  return score - first * 0.05 - t.length * 0.01;
}

export function rankCommands(commands: readonly PaletteEntry[], query: string): PaletteEntry[] {
  if (query.trim() === '') return [...commands];
  return commands
    .map((command, index) => ({
      command,
      index,
      score: Math.max(
        matchScore(query, `${command.section} ${command.title}`) ?? -Infinity,
        // The hint names what the title words for a person (a table's name): it matches too.
        command.hint ? (matchScore(query, command.hint) ?? -Infinity) - 1 : -Infinity,
      ),
    }))
    .map((c) => ({ ...c, score: c.score === -Infinity ? null : c.score }))
    .filter((c): c is { command: PaletteEntry; index: number; score: number } => c.score !== null)
    .map((c) => ({ ...c, score: Math.max(c.score, matchScore(query, c.command.title) ?? -Infinity) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((c) => c.command);
}

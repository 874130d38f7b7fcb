/**
 * common/workspaces/problem.ts: what a validation reports, in the shape Monaco markers and the
 * problems panel take: a file, a 1-based line and column (where one is known), a severity, a stable
 * code and a message that says what to do.
 */
export interface ValidationProblem {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly severity: 'error' | 'warning';
  /** Stable: `json.syntax`, `xml.syntax`, `js.syntax`, `suitescript.*`, `sdf.*`. */
  readonly code: string;
  readonly message: string;
}

/** The 1-based line and column of a 0-based offset in `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

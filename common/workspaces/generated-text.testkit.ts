/**
 * common/workspaces/generated-text.testkit.ts: seeded random text for the property tests of patches
 * and merges: a few hundred cases per run, the same cases every run (the seed is printed with a
 * failing case, so it can be replayed; the tests seed it with scripts/testing/seeded-random.ts).
 *
 * The texts mix ASCII, accented and astral characters (emoji, CJK), empty lines, `\n` and `\r\n`
 * endings (also mixed in one file), a missing final newline, and empty files; an edit of a text
 * replaces, inserts and deletes whole lines, so that hunks of every shape come out.
 */

const WORDS = ['const', 'x', '=', '1;', 'é', 'ß', '日本', '😀', '👩‍💻', '\t', ' ', '{', '}', 'return', 'Ω', ''];

export class TextGenerator {
  /** `random`: a seeded source of floats in [0, 1) (scripts/testing/seeded-random.ts in the tests). */
  constructor(private readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  line(): string {
    const n = this.int(4);
    return Array.from({ length: n }, () => this.pick(WORDS)).join(' ');
  }

  /** Lines without endings: the shape of a file. */
  lines(max = 12): string[] {
    return Array.from({ length: this.int(max + 1) }, () => this.line());
  }

  /** `lines` joined with `\n`, `\r\n` or both, with or without a final newline. */
  join(
    lines: readonly string[],
    ending: 'lf' | 'crlf' | 'mixed' = this.pick(['lf', 'crlf', 'mixed']),
  ): string {
    const eol = () => (ending === 'lf' ? '\n' : ending === 'crlf' ? '\r\n' : this.pick(['\n', '\r\n']));
    const finalNewline = this.random() < 0.7;
    return lines.map((l, i) => (i < lines.length - 1 || finalNewline ? l + eol() : l)).join('');
  }

  text(): string {
    return this.random() < 0.1 ? '' : this.join(this.lines());
  }

  /** An edit of `lines`: some replaced, inserted or deleted. */
  edit(lines: readonly string[], changes = 1 + this.int(3)): string[] {
    const out = [...lines];
    for (let c = 0; c < changes; c++) {
      const at = this.int(out.length + 1);
      const kind = this.int(3);
      if (kind === 0 && at < out.length) out[at] = `${this.line()}*`;
      else if (kind === 1 || out.length === 0) out.splice(at, 0, `${this.line()}+`);
      else out.splice(at, 1);
    }
    return out;
  }
}

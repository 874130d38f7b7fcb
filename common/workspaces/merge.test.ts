/**
 * The three-way merge: clean merges (changes apart, the same change on both sides, one side only,
 * line endings kept) and conflicts (the same line, adjacent lines, an edit against a delete, both
 * appending at the end), and the identities over generated text.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/testing/seeded-random.ts';
import { TextGenerator } from './generated-text.testkit.ts';
import { merge3, splitLines } from './merge.ts';

const BASE = 'a\nb\nc\nd\ne\nf\ng\n';

describe('a three-way merge', () => {
  it('combines changes to lines apart', () => {
    expect(merge3(BASE, 'A\nb\nc\nd\ne\nf\ng\n', 'a\nb\nc\nd\ne\nf\nG\n')).toEqual({
      clean: true,
      text: 'A\nb\nc\nd\ne\nf\nG\n',
    });
  });

  it('combines an insertion on one side with a deletion apart on the other', () => {
    expect(merge3(BASE, 'a\nnew\nb\nc\nd\ne\nf\ng\n', 'a\nb\nc\nd\ne\ng\n')).toEqual({
      clean: true,
      text: 'a\nnew\nb\nc\nd\ne\ng\n',
    });
  });

  it('takes the same change made on both sides once', () => {
    expect(merge3(BASE, 'a\nB\nc\nd\ne\nf\ng\n', 'a\nB\nc\nd\ne\nf\ng\n')).toEqual({
      clean: true,
      text: 'a\nB\nc\nd\ne\nf\ng\n',
    });
  });

  it('keeps CRLF endings and a missing final newline', () => {
    expect(merge3('a\r\nb\r\nc\r\nd\r\ne', 'A\r\nb\r\nc\r\nd\r\ne', 'a\r\nb\r\nc\r\nd\r\nE')).toEqual({
      clean: true,
      text: 'A\r\nb\r\nc\r\nd\r\nE',
    });
  });

  it('is a conflict when both sides change the same line differently', () => {
    const result = merge3(BASE, 'a\nb\nOURS\nd\ne\nf\ng\n', 'a\nb\nTHEIRS\nd\ne\nf\ng\n');
    expect(result.clean).toBe(false);
    if (result.clean) return;
    expect(result.conflicts).toEqual([{ line: 3, base: 'c\n', ours: 'OURS\n', theirs: 'THEIRS\n' }]);
    expect(result.text).toBe(
      'a\nb\n<<<<<<< changeset\nOURS\n||||||| base\nc\n=======\nTHEIRS\n>>>>>>> workspace\nd\ne\nf\ng\n',
    );
  });

  it('is a conflict when the sides change adjacent lines', () => {
    const result = merge3(BASE, 'a\nb\nC\nd\ne\nf\ng\n', 'a\nb\nc\nD\ne\nf\ng\n');
    expect(result.clean).toBe(false);
    if (!result.clean)
      expect(result.conflicts[0]).toMatchObject({ base: 'c\nd\n', ours: 'C\nd\n', theirs: 'c\nD\n' });
  });

  it('is a conflict when one side edits a line the other deleted', () => {
    const result = merge3(BASE, 'a\nb\nc\nDD\ne\nf\ng\n', 'a\nb\nc\ne\nf\ng\n');
    expect(result.clean).toBe(false);
    if (!result.clean) expect(result.conflicts[0]).toMatchObject({ base: 'd\n', ours: 'DD\n', theirs: '' });
  });

  it('is a conflict when both sides append different lines at the end, even without final newlines', () => {
    const result = merge3('a', 'a\nours', 'a\ntheirs');
    expect(result.clean).toBe(false);
    if (result.clean) return;
    expect(result.conflicts).toHaveLength(1);
    expect(result.text).toBe(
      '<<<<<<< changeset\na\nours\n||||||| base\na\n=======\na\ntheirs\n>>>>>>> workspace\n',
    );
  });

  it('numbers the marker lines of several conflicts in the merged text', () => {
    const base = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const result = merge3(base, 'A1\nb\nc\nd\ne\nf\ng\nH1\n', 'A2\nb\nc\nd\ne\nf\ng\nH2\n');
    expect(result.clean).toBe(false);
    if (result.clean) return;
    const lines = result.text.split('\n');
    for (const c of result.conflicts) expect(lines[c.line - 1]).toBe('<<<<<<< changeset');
  });

  it('holds merge(b, b, t) = t, merge(b, o, b) = o and merge(b, x, x) = x on generated text', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const gen = new TextGenerator(seededRandom(seed));
      const lines = gen.lines(20);
      const ending = gen.pick(['lf', 'crlf'] as const);
      const base = gen.join(lines, ending);
      const other = gen.join(gen.edit(lines), ending);
      expect(merge3(base, base, other), `seed ${seed}`).toEqual({ clean: true, text: other });
      expect(merge3(base, other, base), `seed ${seed}`).toEqual({ clean: true, text: other });
      expect(merge3(base, other, other), `seed ${seed}`).toEqual({ clean: true, text: other });
    }
  });

  it('merges edits of different regions of generated text cleanly, keeping both', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const gen = new TextGenerator(seededRandom(seed));
      const head = Array.from({ length: 10 }, (_, i) => `head ${i}`);
      const tail = Array.from({ length: 10 }, (_, i) => `tail ${i}`);
      const middle = Array.from({ length: 5 }, (_, i) => `keep ${i}`);
      const ours = gen.edit(head);
      const theirs = gen.edit(tail);
      const result = merge3(
        [...head, ...middle, ...tail].join('\n') + '\n',
        [...ours, ...middle, ...tail].join('\n') + '\n',
        [...head, ...middle, ...theirs].join('\n') + '\n',
      );
      expect(result, `seed ${seed}`).toEqual({
        clean: true,
        text: [...ours, ...middle, ...theirs].join('\n') + '\n',
      });
    }
  });

  it('splits lines keeping their endings', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\r\nb\nc')).toEqual(['a\r\n', 'b\n', 'c']);
  });
});

/**
 * Patches of one file: apply(diff(a, b), a) = b over generated text (unicode, CRLF and mixed line
 * endings, no final newline, empty files), the base hash, stable hunk ids, and partial acceptance.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/testing/seeded-random.ts';
import { TextGenerator } from './generated-text.testkit.ts';
import { applyFilePatch, baseOf, contentSha256, hunksOf, makePatch, narrowPatch } from './patch.ts';

const CASES = 400;

describe('a file patch', () => {
  it('applied to its base gives the new text, for generated texts', async () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const gen = new TextGenerator(seededRandom(seed));
      const a = gen.text();
      const b = gen.pick([() => gen.text(), () => gen.join(gen.edit(a.split(/\r?\n/)))])();
      const { unifiedDiff } = await makePatch('src/file.js', a, b);
      expect(applyFilePatch(a, unifiedDiff), `seed ${seed}: ${JSON.stringify([a, b])}`).toBe(b);
      expect(baseOf(b, unifiedDiff), `seed ${seed}: ${JSON.stringify([a, b])}`).toBe(a);
    }
  });

  it('handles the edges: empty files, CRLF, a missing final newline, astral characters', async () => {
    const pairs: [string, string][] = [
      ['', ''],
      ['', 'a'],
      ['a', ''],
      ['a\nb', 'a\nb\n'],
      ['a\nb\n', 'a\nb'],
      ['a\r\nb\r\n', 'a\r\nc\r\n'],
      ['x\r\ny', 'x\ny\r\n'],
      ['😀\n日本\n', '😀\n日本語\n'],
      ['\r', '\r\n'],
    ];
    for (const [a, b] of pairs) {
      const { unifiedDiff } = await makePatch('f', a, b);
      expect(applyFilePatch(a, unifiedDiff)).toBe(b);
      expect(baseOf(b, unifiedDiff)).toBe(a);
    }
  });

  it('carries the SHA-256 of the UTF-8 bytes of its base', async () => {
    expect((await makePatch('f', '', 'x')).baseSha256).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(await contentSha256('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('does not apply to another base', async () => {
    const { unifiedDiff } = await makePatch('f', 'a\nb\nc\n', 'a\nB\nc\n');
    expect(applyFilePatch('a\nx\nc\n', unifiedDiff)).toBeNull();
  });
});

const BASE = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n';
const NEXT = BASE.replace('line 2\n', 'LINE 2\n')
  .replace('line 20\n', 'LINE 20\nnew 20b\n')
  .replace('line 35\n', '');

describe('hunks', () => {
  it('have ids that depend only on the hunk itself', async () => {
    const { unifiedDiff } = await makePatch('f', BASE, NEXT);
    const hunks = hunksOf(unifiedDiff);
    expect(hunks).toHaveLength(3);
    expect(new Set(hunks.map((h) => h.id)).size).toBe(3);
    // The middle change alone gives the same hunk, so the same id.
    const alone = hunksOf(
      (await makePatch('f', BASE, BASE.replace('line 20\n', 'LINE 20\nnew 20b\n'))).unifiedDiff,
    );
    expect(alone.map((h) => h.id)).toEqual([hunks[1]?.id]);
    expect(hunksOf(unifiedDiff).map((h) => h.id)).toEqual(hunks.map((h) => h.id));
  });

  it('narrowed to the accepted ones change only those lines', async () => {
    const { unifiedDiff } = await makePatch('f', BASE, NEXT);
    const [first, second, third] = hunksOf(unifiedDiff);
    const narrowed = narrowPatch('f', BASE, unifiedDiff, new Set([first?.id ?? '', third?.id ?? '']));
    expect(narrowed.content).toBe(BASE.replace('line 2\n', 'LINE 2\n').replace('line 35\n', ''));
    expect(narrowed.kept).toEqual([first?.id, third?.id]);
    expect(narrowed.dropped).toEqual([second?.id]);
    expect(applyFilePatch(BASE, narrowed.unifiedDiff)).toBe(narrowed.content);
    // Hunks away from the dropped ones keep their ids.
    expect(hunksOf(narrowed.unifiedDiff).map((h) => h.id)).toEqual([first?.id, third?.id]);
  });

  it('narrowed to none leave the base, and to all give the whole patch', async () => {
    const { unifiedDiff } = await makePatch('f', BASE, NEXT);
    expect(narrowPatch('f', BASE, unifiedDiff, new Set())).toMatchObject({ unifiedDiff: '', content: BASE });
    const all = new Set(hunksOf(unifiedDiff).map((h) => h.id));
    expect(narrowPatch('f', BASE, unifiedDiff, all).content).toBe(NEXT);
  });

  it('narrowed on generated texts apply exactly the accepted hunks', async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const gen = new TextGenerator(seededRandom(seed));
      const lines = gen.lines(30);
      const a = gen.join(lines, 'lf');
      const b = gen.join(gen.edit(lines, 4), 'lf');
      const { unifiedDiff } = await makePatch('f', a, b);
      const hunks = hunksOf(unifiedDiff);
      const accepted = new Set(hunks.filter(() => gen.int(2) === 0).map((h) => h.id));
      const narrowed = narrowPatch('f', a, unifiedDiff, accepted);
      const reapplied = narrowed.unifiedDiff === '' ? a : applyFilePatch(a, narrowed.unifiedDiff);
      expect(reapplied, `seed ${seed}`).toBe(narrowed.content);
      expect(narrowed.kept.length + narrowed.dropped.length).toBe(hunks.length);
      if (accepted.size === hunks.length) expect(narrowed.content).toBe(b);
      if (accepted.size === 0) expect(narrowed.content).toBe(a);
    }
  });
});

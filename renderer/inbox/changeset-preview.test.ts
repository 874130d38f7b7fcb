import { createPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { previewPatch } from './changeset-preview.ts';

describe('previewPatch', () => {
  it('numbers the lines of each hunk and counts what was added and removed', () => {
    const diff = createPatch('a.js', 'one\ntwo\nthree\n', 'one\n2\nthree\nfour\n');
    const file = previewPatch({
      file_path: 'a.js',
      operation: 'modify',
      unified_diff: diff,
      new_content: null,
    });
    expect(file).toMatchObject({ path: 'a.js', added: 2, removed: 1, more: 0, problem: null });
    expect(file.lines.map((l) => [l.kind, l.text, l.oldNo, l.newNo])).toEqual([
      ['hunk', '@@ -1,3 +1,4 @@', null, null],
      ['ctx', 'one', 1, 1],
      ['del', 'two', 2, null],
      ['add', '2', null, 2],
      ['ctx', 'three', 3, 3],
      ['add', 'four', null, 4],
    ]);
  });

  it('shows a new file without a diff as added lines, and stops at maxLines', () => {
    const file = previewPatch(
      { file_path: 'b.js', operation: 'create', unified_diff: null, new_content: 'a\nb\nc\n' },
      2,
    );
    expect(file).toMatchObject({ added: 3, removed: 0, more: 1 });
    expect(file.lines.map((l) => l.text)).toEqual(['a', 'b']);
  });

  it('says when there is nothing it can show, instead of guessing', () => {
    expect(
      previewPatch({ file_path: 'c.js', operation: 'modify', unified_diff: null, new_content: 'x' }).problem,
    ).toBe('This patch carries no diff.');
    const bad = previewPatch({
      file_path: 'd.js',
      operation: 'modify',
      unified_diff: '@@ -1,2 +1,2 @@\n-a\n+b\n',
      new_content: null,
    });
    expect(bad.problem).toMatch(/^The diff could not be read/);
    expect(
      previewPatch({ file_path: 'e.js', operation: 'delete', unified_diff: null, new_content: null }),
    ).toMatchObject({
      problem: null,
      lines: [],
    });
  });
});

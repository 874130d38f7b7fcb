/** The files of a changeset.create from drafts: saved text only, no-change drafts left out, by path. */
import { describe, expect, it } from 'vitest';
import { changesetFiles } from './changeset-input.ts';
import { applyFilePatch, baseOf, contentSha256 } from './patch.ts';

describe('changeset files from drafts', () => {
  it('gives one file per changed draft, ordered by path, whose diffs reproduce the saved text', async () => {
    const base = 'a\nb\n';
    const sha = await contentSha256(base);
    const files = await changesetFiles([
      { path: 'z.js', operation: 'modify', baseContent: base, baseSha256: sha, savedContent: 'a\nB\n' },
      { path: 'same.js', operation: 'modify', baseContent: base, baseSha256: sha, savedContent: base },
      { path: 'new.js', operation: 'create', baseContent: null, baseSha256: null, savedContent: 'n\n' },
      { path: 'gone.js', operation: 'delete', baseContent: base, baseSha256: sha, savedContent: null },
    ]);
    expect(files.map((f) => [f.path, f.operation])).toEqual([
      ['gone.js', 'delete'],
      ['new.js', 'create'],
      ['z.js', 'modify'],
    ]);
    const [gone, created, modified] = files;
    expect(applyFilePatch(base, gone?.unified_diff ?? '')).toBe('');
    expect(gone).not.toHaveProperty('new_content');
    expect(created).toMatchObject({ new_content: 'n\n' });
    expect(created).not.toHaveProperty('base_sha256');
    expect(modified).toMatchObject({ base_sha256: sha, new_content: 'a\nB\n' });
    expect(baseOf('a\nB\n', modified?.unified_diff ?? '')).toBe(base);
  });
});

import { describe, expect, it } from 'vitest';
import type { WorkspaceDraftState } from '../../common/rpc/contract.ts';
import { changedFiles, checkChangesetForm, DESCRIPTION_MAX, TITLE_MAX } from './changeset-form.ts';

describe('checkChangesetForm', () => {
  it('trims the fields into the values; an empty description is left out', () => {
    expect(checkChangesetForm({ title: '  Round FX in payouts ', description: '  ' }, 2)).toEqual({
      ok: true,
      values: { title: 'Round FX in payouts' },
    });
    expect(checkChangesetForm({ title: 'T', description: ' Why \n' }, 1)).toEqual({
      ok: true,
      values: { title: 'T', description: 'Why' },
    });
  });

  it('says what is wrong with each field at once', () => {
    const check = checkChangesetForm({ title: '   ', description: 'x'.repeat(DESCRIPTION_MAX + 1) }, 0);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.title).toMatch(/title/);
    expect(check.problems.description).toBe('The description is 10,001 characters; 10,000 at most.');
    expect(check.problems.files).toMatch(/No file differs/);
  });

  it('refuses a title over the limit changeset.create keeps', () => {
    const check = checkChangesetForm({ title: 'x'.repeat(TITLE_MAX + 1), description: '' }, 1);
    expect(check).toEqual({ ok: false, problems: { title: 'The title is 501 characters; 500 at most.' } });
    expect(checkChangesetForm({ title: 'x'.repeat(TITLE_MAX), description: '' }, 1).ok).toBe(true);
  });
});

describe('changedFiles', () => {
  const draft = (path: string, over: Partial<WorkspaceDraftState>): WorkspaceDraftState => ({
    path,
    operation: 'modify',
    baseContent: 'base',
    baseSha256: 'a'.repeat(64),
    savedContent: 'base',
    unsavedContent: null,
    ...over,
  });

  it('lists the files whose text (as the editor has it) differs from the base, new and deleted ones always', () => {
    const drafts = [
      draft('same.js', {}),
      draft('saved.js', { savedContent: 'edited' }),
      draft('unsaved.js', { unsavedContent: 'typing' }),
      draft('reverted.js', { savedContent: 'edited' }),
      draft('gone.js', { operation: 'delete', savedContent: null }),
      draft('new.js', { operation: 'create', baseContent: null, baseSha256: null, savedContent: '' }),
    ];
    const tabs = [
      { path: 'reverted.js', operation: 'modify' as const, base: 'base', saved: 'edited', text: 'base' },
      { path: 'open.js', operation: 'modify' as const, base: 'base', saved: 'base', text: 'base!' },
    ];
    expect(changedFiles(drafts, tabs)).toEqual([
      { path: 'gone.js', operation: 'delete' },
      { path: 'new.js', operation: 'create' },
      { path: 'open.js', operation: 'modify' },
      { path: 'saved.js', operation: 'modify' },
      { path: 'unsaved.js', operation: 'modify' },
    ]);
  });
});

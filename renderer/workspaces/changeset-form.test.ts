import { describe, expect, it } from 'vitest';
import { checkChangesetForm, DESCRIPTION_MAX, TITLE_MAX } from './changeset-form.ts';

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

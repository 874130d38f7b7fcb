import { describe, expect, it } from 'vitest';
import type { WorkspaceDraftState } from '../../common/rpc/contract.ts';
import { validateWorkspace } from '../../common/workspaces/validate.ts';
import { markersOf, problemsSummary, textsToValidate } from './validation.ts';

const draft = (path: string, over: Partial<WorkspaceDraftState>): WorkspaceDraftState => ({
  path,
  operation: 'modify',
  baseContent: '',
  baseSha256: 'a'.repeat(64),
  savedContent: '',
  unsavedContent: null,
  ...over,
});

describe('textsToValidate', () => {
  it('takes the editor over a draft over the workspace; a deleted file goes, a new one comes', () => {
    const files = [
      { path: 'a.json', content: '{}' },
      { path: 'b.json', content: '{}' },
      { path: 'c.json', content: '{}' },
      { path: 'd.json', content: '{}' },
    ];
    const drafts = [
      draft('b.json', { savedContent: '{"saved":1}', unsavedContent: '{"unsaved":1}' }),
      draft('c.json', { operation: 'delete', savedContent: null }),
      draft('e.json', { operation: 'create', baseContent: null, baseSha256: null, savedContent: '[]' }),
      draft('d.json', { savedContent: '{"d":1}' }),
    ];
    const tabs = [
      { path: 'd.json', operation: 'modify' as const, base: '{}', saved: '{"d":1}', text: '{"d":2}' },
    ];
    expect(textsToValidate(files, drafts, tabs)).toEqual([
      { path: 'a.json', content: '{}' },
      { path: 'b.json', content: '{"unsaved":1}' },
      { path: 'd.json', content: '{"d":2}' },
      { path: 'e.json', content: '[]' },
    ]);
  });
});

describe('markers', () => {
  it('turns a syntax error into an error marker at its line and column', () => {
    const problems = validateWorkspace([{ path: 'x.json', content: '{\n  "a": 1,,\n}' }]);
    const markers = markersOf(problems, 'x.json');
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({
      severity: 8,
      code: 'json.syntax',
      startLineNumber: 2,
      source: 'Validate',
    });
    expect(markersOf(problems, 'other.json')).toEqual([]);
    expect(problemsSummary(problems)).toBe('1 error');
    expect(problemsSummary([])).toBe('No problems');
  });
});

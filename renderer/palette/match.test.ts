import { describe, expect, it } from 'vitest';
import { matchScore, rankCommands, type PaletteEntry } from './match.ts';

const command = (title: string, section = 'Tables'): PaletteEntry => ({
  id: title,
  title,
  section,
  run: () => undefined,
});

describe('matchScore', () => {
  it('matches characters in order, case-insensitively', () => {
    expect(matchScore('apr', 'Approval requests')).not.toBeNull();
    expect(matchScore('xyz', 'Approval requests')).toBeNull();
    expect(matchScore('', 'anything')).toBe(0);
  });

  it('ranks contiguous and word-start matches higher', () => {
    expect(matchScore('req', 'approval_requests')!).toBeGreaterThan(
      matchScore('req', 'approval_reviewers_queue')!,
    );
  });
});

describe('rankCommands', () => {
  it('keeps the given order without a query and puts the best match first with one', () => {
    const list = [command('approval_requests'), command('workflows'), command('workspace_files')];
    expect(rankCommands(list, '').map((c) => c.title)).toEqual([
      'approval_requests',
      'workflows',
      'workspace_files',
    ]);
    expect(rankCommands(list, 'wsf')[0]?.title).toBe('workspace_files');
    expect(rankCommands(list, 'flow').map((c) => c.title)).toEqual(['workflows']);
  });

  it('also matches on the section name', () => {
    const list = [command('Retry sync now', 'Sync'), command('Home', 'Go to')];
    expect(rankCommands(list, 'go home')[0]?.title).toBe('Home');
  });
});

describe('rankCommands with hints', () => {
  it('finds a table by its own name, after the titles that match it', () => {
    const list = [
      {
        id: 'a',
        title: 'Workflow steps',
        section: 'Open table',
        hint: 'Workflows · workflow_steps',
        run: () => undefined,
      },
      {
        id: 'b',
        title: 'Workflows',
        section: 'Open table',
        hint: 'Workflows · workflows',
        run: () => undefined,
      },
    ];
    expect(rankCommands(list, 'workflow_steps').map((c) => c.id)).toEqual(['a']);
    expect(rankCommands(list, 'workflows')[0]?.id).toBe('b');
  });
});

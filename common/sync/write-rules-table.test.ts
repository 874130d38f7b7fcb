/**
 * What clients may write is reviewed in docs/security.md: this test prints the table of writable
 * columns per table from common/sync/rules.ts and fails when it differs from the reviewed copy there.
 */
import { describe, expect, it } from 'vitest';
import { readRepositoryFile } from '../../scripts/testing/repository-file.ts';
import { reviewedWriteRules, tableCells, writeRulesTable } from './write-rules-table.ts';

describe('the write rules', () => {
  it('equal the reviewed list in docs/security.md', async () => {
    const current = writeRulesTable();
    const reviewed = reviewedWriteRules(await readRepositoryFile('docs/security.md'));
    const same =
      reviewed !== null && JSON.stringify(tableCells(reviewed)) === JSON.stringify(tableCells(current));
    if (!same)
      console.log(
        `The write rules of common/sync/rules.ts are not the reviewed list in docs/security.md.\n` +
          `Run \`npm run docs:write-rules\`, review the diff of docs/security.md and commit it with the rule change.\n\n${current}`,
      );
    expect(reviewed, 'docs/security.md has the write-rules markers').not.toBeNull();
    expect(tableCells(reviewed ?? '')).toEqual(tableCells(current));
  });

  it('reads a table whatever its alignment padding', () => {
    expect(tableCells('| a | b |\n| :-- | --: |\n|  x  |y|\n')).toEqual([
      ['a', 'b'],
      ['x', 'y'],
    ]);
  });
});

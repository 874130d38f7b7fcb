/**
 * scripts/docs/write-rules.ts (`npm run docs:write-rules`): writes the current write part of the sync
 * rules (common/sync/write-rules-table.ts) into docs/security.md between its markers and formats it.
 * Run it after changing a rule, read the diff of docs/security.md, and commit both together.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withWriteRules } from '../../common/sync/write-rules-table.ts';

const file = path.resolve(import.meta.dirname, '../../docs/security.md');
await writeFile(file, withWriteRules(await readFile(file, 'utf8')));
execFileSync('npx', ['prettier', '--write', file], { stdio: 'inherit' });

/**
 * scripts/testing/repository-file.ts: reads a file of the repository by its path from the root, for
 * tests that check code against a document (tests in common/ and renderer/ may not import node
 * builtins themselves).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export function readRepositoryFile(relative: string): Promise<string> {
  return readFile(path.resolve(import.meta.dirname, '../..', relative), 'utf8');
}

/** New file and rename paths (file-paths.ts): each refusal is a sentence naming what is wrong. */
import { describe, expect, it } from 'vitest';
import { folderOf, pathProblem } from './file-paths.ts';

const taken = new Set(['src/a.js', 'src/lib/b.js', 'deploy.xml']);

describe('pathProblem', () => {
  it('accepts a new file inside the workspace', () => {
    expect(pathProblem('src/c.js', taken)).toBeNull();
    expect(pathProblem('  src/new folder/c (v2).js ', taken)).toBeNull();
  });

  it('refuses what cannot be a new file, saying why', () => {
    expect(pathProblem('', taken)).toMatch(/Give the file a name/);
    expect(pathProblem('src/', taken)).toMatch(/folder/);
    expect(pathProblem('/src/c.js', taken)).toMatch(/leading/);
    expect(pathProblem('src/../c.js', taken)).toMatch(/without/);
    expect(pathProblem('src//c.js', taken)).toMatch(/empty parts/);
    expect(pathProblem('src/a.js', taken)).toBe('src/a.js already exists; choose another name.');
    expect(pathProblem('src/lib', taken)).toBe('src/lib is a folder; choose another name.');
    expect(pathProblem('deploy.xml/x.js', taken)).toMatch(/deploy.xml is a file/);
    expect(pathProblem('src/a.js', taken, 'src/a.js')).toBe('That is its name already.');
    expect(pathProblem('x'.repeat(1001), taken)).toMatch(/1,000/);
  });
});

describe('folderOf', () => {
  it('starts a new file in the focused folder, or the focused file’s folder', () => {
    expect(folderOf(null)).toBe('');
    expect(folderOf('src/lib/')).toBe('src/lib/');
    expect(folderOf('src/lib/b.js')).toBe('src/lib/');
    expect(folderOf('deploy.xml')).toBe('');
  });
});

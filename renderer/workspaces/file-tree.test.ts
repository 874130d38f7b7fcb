import { describe, expect, it } from 'vitest';
import {
  buildTree,
  fileTypeOf,
  foldersAbove,
  moveInTree,
  toggleFolder,
  visibleRows,
  type TreeNode,
} from './file-tree.ts';

const PATHS = [
  'src/manifest.xml',
  'src/FileCabinet/SuiteScripts/ue_salesorder.js',
  'src/FileCabinet/SuiteScripts/lib/fx.js',
  '__tests__/ue.test.js',
  'README.md',
  'src/deploy.xml',
];

const names = (nodes: readonly TreeNode[]): string[] =>
  nodes.map((n) => (n.kind === 'folder' ? `${n.name}/` : n.name));

describe('buildTree', () => {
  it('nests folders, folders first, then files, each by name regardless of case', () => {
    const tree = buildTree(PATHS);
    expect(names(tree)).toEqual(['__tests__/', 'src/', 'README.md']);
    const src = tree[1];
    expect(src?.kind === 'folder' && names(src.children)).toEqual([
      'FileCabinet/',
      'deploy.xml',
      'manifest.xml',
    ]);
    expect(src?.id).toBe('src/');
  });

  it('keeps each path once, as a file row with the stored path as its id', () => {
    const rows = visibleRows(
      buildTree([...PATHS, 'README.md']),
      new Set([
        'src/',
        'src/FileCabinet/',
        'src/FileCabinet/SuiteScripts/',
        'src/FileCabinet/SuiteScripts/lib/',
        '__tests__/',
      ]),
    );
    const files = rows.filter((r) => r.node.kind === 'file').map((r) => r.node.id);
    expect(files.sort()).toEqual([...PATHS].sort());
  });

  it('ignores empty segments and gives a file and a folder of the same name both', () => {
    expect(names(buildTree(['a//b.js', '/c.js', 'a', 'a/d.js']))).toEqual(['a/', 'a', 'c.js']);
    expect(buildTree([''])).toEqual([]);
  });

  it('types files by extension', () => {
    expect(fileTypeOf('x/a.JS')).toBe('javascript');
    expect(fileTypeOf('a.ts')).toBe('typescript');
    expect(fileTypeOf('Objects/customscript.xml')).toBe('xml');
    expect(fileTypeOf('package.json')).toBe('json');
    expect(fileTypeOf('q/report.sql')).toBe('sql');
    expect(fileTypeOf('.gitignore')).toBe('text');
    expect(fileTypeOf('Makefile')).toBe('text');
  });
});

describe('visibleRows and the keyboard', () => {
  const tree = buildTree(PATHS);
  const ids = (expanded: ReadonlySet<string>) =>
    visibleRows(tree, expanded).map((r) => `${'  '.repeat(r.depth)}${r.node.id}`);

  it('shows a folder’s children only while it is expanded, with their depth', () => {
    expect(ids(new Set())).toEqual(['__tests__/', 'src/', 'README.md']);
    expect(ids(new Set(['src/']))).toEqual([
      '__tests__/',
      'src/',
      '  src/FileCabinet/',
      '  src/deploy.xml',
      '  src/manifest.xml',
      'README.md',
    ]);
  });

  it('Down / Up move, Home / End jump, and nothing focused starts at the first row', () => {
    const expanded = new Set<string>();
    const rows = visibleRows(tree, expanded);
    expect(moveInTree(rows, expanded, null, 'ArrowDown').focused).toBe('__tests__/');
    expect(moveInTree(rows, expanded, '__tests__/', 'ArrowDown').focused).toBe('src/');
    expect(moveInTree(rows, expanded, 'README.md', 'ArrowDown').focused).toBe('README.md');
    expect(moveInTree(rows, expanded, '__tests__/', 'ArrowUp').focused).toBe('__tests__/');
    expect(moveInTree(rows, expanded, 'src/', 'End').focused).toBe('README.md');
    expect(moveInTree(rows, expanded, 'README.md', 'Home').focused).toBe('__tests__/');
  });

  it('Right opens a closed folder, then goes to its first child; on a file it stays', () => {
    let expanded: ReadonlySet<string> = new Set<string>();
    let move = moveInTree(visibleRows(tree, expanded), expanded, 'src/', 'ArrowRight');
    expect(move.focused).toBe('src/');
    expect([...move.expanded]).toEqual(['src/']);
    expanded = move.expanded;
    move = moveInTree(visibleRows(tree, expanded), expanded, 'src/', 'ArrowRight');
    expect(move.focused).toBe('src/FileCabinet/');
    expect(moveInTree(visibleRows(tree, expanded), expanded, 'src/deploy.xml', 'ArrowRight').focused).toBe(
      'src/deploy.xml',
    );
  });

  it('Left closes an open folder, else goes to the parent folder', () => {
    const expanded = new Set(['src/', 'src/FileCabinet/']);
    const rows = visibleRows(tree, expanded);
    const closed = moveInTree(rows, expanded, 'src/FileCabinet/', 'ArrowLeft');
    expect(closed.focused).toBe('src/FileCabinet/');
    expect([...closed.expanded]).toEqual(['src/']);
    expect(moveInTree(rows, expanded, 'src/manifest.xml', 'ArrowLeft').focused).toBe('src/');
    expect(moveInTree(rows, expanded, 'README.md', 'ArrowLeft').focused).toBe('README.md');
  });

  it('toggleFolder and foldersAbove (revealing a file)', () => {
    expect([...toggleFolder(new Set(['a/']), 'a/')]).toEqual([]);
    expect([...toggleFolder(new Set(), 'a/')]).toEqual(['a/']);
    expect(foldersAbove('src/FileCabinet/x.js')).toEqual(['src/', 'src/FileCabinet/']);
    expect(foldersAbove('x.js')).toEqual([]);
  });
});

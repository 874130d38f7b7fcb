/**
 * The SuiteScript libs: module names and URIs from the package's files (the real bundled glob), and
 * what Monaco's own TypeScript (the language service its worker runs, here in Node, with a host that
 * reads models and extra libs the way its worker does) completes and hovers in a SuiteScript file.
 */
import { describe, expect, it } from 'vitest';
import { libFileMap } from 'monaco-editor/languages/features/typescript/lib/lib.js';
import { typescript as ts } from 'monaco-editor/languages/features/typescript/lib/typescriptServices.js';
import {
  AMD_LIB_URI,
  amdLoaderLib,
  suiteScriptCompilerOptions,
  suiteScriptLibs,
  suiteScriptModuleOf,
  TYPINGS_ROOT,
} from './suitescript-libs.ts';
import { SUITESCRIPT_TYPING_FILES } from './suitescript-typings.ts';

describe('suiteScriptModuleOf', () => {
  it('names the module of a declaration file, nested ones too', () => {
    expect(suiteScriptModuleOf('../../node_modules/@hitc/netsuite-types/N/record.d.ts')).toBe('N/record');
    expect(suiteScriptModuleOf('/x/N/ui/serverWidget.d.ts')).toBe('N/ui/serverWidget');
    expect(suiteScriptModuleOf('N/log.d.ts')).toBe('N/log');
  });
  it('refuses anything else', () => {
    expect(suiteScriptModuleOf('/x/N.d.ts')).toBeNull();
    expect(suiteScriptModuleOf('/x/SuiteScriptV1.d.ts')).toBeNull();
    expect(suiteScriptModuleOf('/x/N/record.ts')).toBeNull();
    expect(suiteScriptModuleOf("/x/N/re'cord.d.ts")).toBeNull();
  });
});

describe('suiteScriptLibs', () => {
  it('puts each module under TYPINGS_ROOT, sorted, then the AMD loader', () => {
    const libs = suiteScriptLibs({ 'a/N/search.d.ts': 's', 'a/N/record.d.ts': 'r', 'a/README.md': 'no' });
    expect(libs.map((l) => l.filePath)).toEqual([
      `${TYPINGS_ROOT}N/record.d.ts`,
      `${TYPINGS_ROOT}N/search.d.ts`,
      AMD_LIB_URI,
    ]);
    expect(libs[0]?.content).toBe('r');
    expect(libs[2]?.content).toBe(amdLoaderLib(['N/record', 'N/search']));
  });

  it('bundles every N/ module of the package, N/record and N/ui/serverWidget among them', () => {
    const libs = suiteScriptLibs(SUITESCRIPT_TYPING_FILES);
    const uris = libs.map((l) => l.filePath);
    expect(uris).toContain(`${TYPINGS_ROOT}N/record.d.ts`);
    expect(uris).toContain(`${TYPINGS_ROOT}N/ui/serverWidget.d.ts`);
    expect(new Set(uris).size).toBe(uris.length);
    expect(libs.length).toBe(Object.keys(SUITESCRIPT_TYPING_FILES).length + 1);
  });
});

/** A language service over one workspace model and the libs, as Monaco's TypeScript worker sets it up. */
function languageService(fileName: string, text: string) {
  const libs = new Map(suiteScriptLibs(SUITESCRIPT_TYPING_FILES).map((l) => [l.filePath, l.content]));
  const read = (name: string): string | undefined =>
    name === fileName ? text : (libFileMap[name] ?? libFileMap[`lib.${name}.d.ts`] ?? libs.get(name));
  return ts.createLanguageService({
    getCompilationSettings: () => ({
      allowNonTsExtensions: true,
      target: 99,
      ...suiteScriptCompilerOptions(),
    }),
    getScriptFileNames: () => [fileName, ...libs.keys()],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const content = read(name);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getScriptKind: (name) => (name.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS),
    getCurrentDirectory: () => '',
    getDefaultLibFileName: () => 'lib.esnext.full.d.ts',
    readFile: read,
    fileExists: (name) => read(name) !== undefined,
  });
}

const FILE = 'workspace://6f1c0d6e-0000-4000-8000-000000000001/src/FileCabinet/SuiteScripts/ue.js';
const SOURCE = `/** @NApiVersion 2.1  @NScriptType UserEventScript */
define(['N/record', './lib/fx_rounding', 'N/search'], (record, rounding, search) => {
  record.;
  search.;
  const afterSubmit = (context) => {
    const invoice = record.load({ type: record.Type.INVOICE, id: 1 });
    invoice.;
  };
  return { afterSubmit };
});
require(['N/runtime'], function (runtime) { runtime.; });
const https = require('N/https');
https.;
/** @param {import('N/file')} file */
function read(file) { file.; }
`;

describe('Monaco TypeScript on a SuiteScript file, with the libs', { timeout: 60_000 }, () => {
  const service = languageService(FILE, SOURCE);
  /** Completion names after the `nth` occurrence of `before`. */
  const completions = (before: string, nth = 0): string[] => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = SOURCE.indexOf(before, at + 1);
    return (service.getCompletionsAtPosition(FILE, at + before.length, undefined)?.entries ?? []).map(
      (e) => e.name,
    );
  };
  const hover = (word: string, nth = 0): string => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = SOURCE.indexOf(word, at + 1);
    const info = service.getQuickInfoAtPosition(FILE, at + 1);
    return info ? ts.displayPartsToString(info.displayParts) : '';
  };

  it('types define callback parameters by their place in the module list', () => {
    expect(completions('  record.')).toEqual(
      expect.arrayContaining(['load', 'create', 'submitFields', 'Type']),
    );
    expect(completions('  search.')).toEqual(expect.arrayContaining(['create', 'lookupFields']));
    expect(hover('record)', 0)).toBe(''); // no such text: guards the helper
    expect(hover('record, rounding')).toContain(`typeof import("${TYPINGS_ROOT}N/record")`);
    expect(hover('rounding, search')).toBe('(parameter) rounding: any');
  });

  it('follows return types (record.load gives a Record) and shows their docs', () => {
    expect(completions('    invoice.')).toEqual(
      expect.arrayContaining(['setValue', 'save', 'getSublistValue']),
    );
    const at = SOURCE.indexOf('record.load') + 'record.l'.length;
    const info = service.getQuickInfoAtPosition(FILE, at);
    expect(ts.displayPartsToString(info?.displayParts)).toMatch(
      /^const load: RecordLoadFunction\n\(options: CopyLoadOptions\) => Record/,
    );
    expect(ts.displayPartsToString(info?.documentation)).not.toBe('');
  });

  it("types require([…], cb), require('N/…') and JSDoc import('N/…')", () => {
    expect(completions('runtime.')).toEqual(expect.arrayContaining(['getCurrentScript', 'executionContext']));
    expect(completions('https.')).toEqual(expect.arrayContaining(['get', 'post', 'createSecureString']));
    expect(completions('file.')).toEqual(expect.arrayContaining(['load', 'create']));
  });
});

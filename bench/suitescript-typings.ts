/**
 * bench/suitescript-typings.ts: what the SuiteScript `N/*` typings (`@hitc/netsuite-types`, given to
 * Monaco's JavaScript language service by renderer/workspaces/suitescript-intellisense.ts) cost: their
 * size, and the time Monaco's own TypeScript (the 5.9 its worker runs, here in Node) takes to build
 * its program and answer the first completion with and without them.
 *
 *   npx tsx bench/suitescript-typings.ts [--rounds 5]
 *
 *   the package's N/**\/*.d.ts ─► raw and gzip bytes
 *   each round, cold (a new language service), without then with the typings at
 *   file:///node_modules/@hitc/netsuite-types/N/… and the editor's `paths` option:
 *     a SuiteScript file `const record = require('N/record'); record.` ─► getSyntacticDiagnostics
 *     (builds the program: parses and binds every file, what the worker does on its first request)
 *     ─► getCompletionsAtPosition after `record.` (type-checks what it needs) ─► quick info on it
 *
 * The AMD loader's declarations (renderer/workspaces/suitescript-libs.ts, ~3 KB) are left out: the
 * CommonJS `require` form resolves through `paths` alone. Prints JSON: sizes, and per case the
 * median ms of each step and the number of completion entries.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type * as TS from 'typescript';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const rounds = Number(arg('rounds', '5'));

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('@hitc/netsuite-types/package.json'));
// Specifiers in variables: the files have no declarations (renderer/workspaces/monaco-typescript-lib.d.ts).
const servicesUrl = 'monaco-editor/languages/features/typescript/lib/typescriptServices.js';
const libUrl = 'monaco-editor/languages/features/typescript/lib/lib.js';
const { typescript: ts } = (await import(servicesUrl)) as { typescript: typeof TS };
const { libFileMap } = (await import(libUrl)) as { libFileMap: Record<string, string> };

const ROOT = 'file:///node_modules/@hitc/netsuite-types/';
const typings = new Map<string, string>();
const walk = (dir: string): void => {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) walk(file);
    else if (name.endsWith('.d.ts'))
      typings.set(
        `${ROOT}${path.relative(packageDir, file).split(path.sep).join('/')}`,
        readFileSync(file, 'utf8'),
      );
  }
};
walk(path.join(packageDir, 'N'));
const all = [...typings.values()].join('');

const FILE = 'workspace://6f1c0d6e-0000-4000-8000-000000000001/src/FileCabinet/SuiteScripts/ue.js';
const SOURCE = `/** @NApiVersion 2.1 */\nconst record = require('N/record');\nrecord.\n`;
const AT = SOURCE.indexOf('record.\n') + 'record.'.length;

function run(withTypings: boolean) {
  const libs: ReadonlyMap<string, string> = withTypings ? typings : new Map();
  const read = (name: string): string | undefined =>
    name === FILE ? SOURCE : (libFileMap[name] ?? libFileMap[`lib.${name}.d.ts`] ?? libs.get(name));
  const service = ts.createLanguageService({
    getCompilationSettings: () => ({
      allowNonTsExtensions: true,
      allowJs: true,
      checkJs: false,
      target: 99,
      paths: { 'N/*': [`${ROOT}N/*`] },
    }),
    getScriptFileNames: () => [FILE, ...libs.keys()],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = read(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getScriptKind: (name) => (name.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS),
    getCurrentDirectory: () => '',
    getDefaultLibFileName: () => 'lib.esnext.full.d.ts',
    readFile: read,
    fileExists: (name) => read(name) !== undefined,
  });
  const t0 = performance.now();
  service.getSyntacticDiagnostics(FILE);
  const t1 = performance.now();
  const completions = service.getCompletionsAtPosition(FILE, AT, undefined);
  const t2 = performance.now();
  service.getQuickInfoAtPosition(FILE, AT - 2);
  const t3 = performance.now();
  return {
    programMs: t1 - t0,
    firstCompletionMs: t2 - t1,
    firstHoverMs: t3 - t2,
    entries: completions?.entries.length ?? 0,
  };
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0);
};
const results = { without: [] as ReturnType<typeof run>[], with: [] as ReturnType<typeof run>[] };
run(false); // warm-up: loads and JIT-compiles the compiler
for (let i = 0; i < rounds; i++) {
  results.without.push(run(false));
  results.with.push(run(true));
}
const summary = (rs: ReturnType<typeof run>[]) => ({
  programMs: median(rs.map((r) => r.programMs)),
  firstCompletionMs: median(rs.map((r) => r.firstCompletionMs)),
  firstHoverMs: median(rs.map((r) => r.firstHoverMs)),
  entries: rs[0]?.entries ?? 0,
});
console.log(
  JSON.stringify(
    {
      typescript: ts.version,
      typings: {
        files: typings.size,
        rawKB: Math.round(Buffer.byteLength(all) / 102.4) / 10,
        gzipKB: Math.round(gzipSync(all).length / 102.4) / 10,
      },
      rounds,
      withoutTypings: summary(results.without),
      withTypings: summary(results.with),
    },
    null,
    2,
  ),
);

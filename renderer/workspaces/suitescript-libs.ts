/**
 * renderer/workspaces/suitescript-libs.ts: what Monaco's JavaScript language service is given so that
 * SuiteScript 2.x files complete and hover the `N/*` modules: the declaration files of
 * `@hitc/netsuite-types`, each at a `file:///` URI, and one file of our own that types SuiteScript's
 * AMD loader (`define`/`require`). Pure: the files come in as text (renderer/workspaces/
 * suitescript-typings.ts bundles them), the libs go out as data (renderer/workspaces/
 * suitescript-intellisense.ts hands them to Monaco).
 *
 *   N/record.d.ts (package) ─► file:///node_modules/@hitc/netsuite-types/N/record.d.ts
 *   compiler option paths: N/* ─► that folder, so `require('N/record')`, `import('N/record')` in JSDoc
 *   and the package's own relative imports (`./ui/serverWidget`) resolve from any model URI
 *   (workspace://<id>/<path>)
 *   file:///outpost/suitescript-amd.d.ts: `define(['N/record', …], (record, …) => …)` and
 *   `require([…], cb)` type each callback parameter by its place in the module list
 *
 * Invariants: one lib per package module, sorted by module name, URIs unique; the AMD file names
 * exactly the modules given (a name not in the list, e.g. `./lib/util`, types its parameter `any`).
 * The package's `N.d.ts` (the `N` namespace) and `SuiteScriptV1.d.ts` (1.0 globals, nlapi*) are not
 * used: 1.0 globals would fill every completion list of a 2.x file.
 */

/** Where the package's `N/` folder is, as the language service sees it. */
export const TYPINGS_ROOT = 'file:///node_modules/@hitc/netsuite-types/';

/** Our declaration of SuiteScript's AMD loader. */
export const AMD_LIB_URI = 'file:///outpost/suitescript-amd.d.ts';

/** The compiler options the JavaScript language service needs on top of Monaco's defaults. */
export function suiteScriptCompilerOptions(): {
  allowJs: boolean;
  checkJs: boolean;
  paths: Record<string, string[]>;
} {
  return { allowJs: true, checkJs: false, paths: { 'N/*': [`${TYPINGS_ROOT}N/*`] } };
}

/** One file for Monaco's `addExtraLib(content, filePath)`. */
export interface ExtraLib {
  readonly filePath: string;
  readonly content: string;
}

/** `N/record` for a path ending in `N/record.d.ts` (`N/ui/serverWidget` for nested ones); else null. */
export function suiteScriptModuleOf(path: string): string | null {
  const match = /(?:^|\/)(N\/[A-Za-z0-9_]+(?:\/[A-Za-z0-9_]+)*)\.d\.ts$/.exec(path);
  return match?.[1] ?? null;
}

/** The ambient declarations that type `define`/`require` callbacks by their module list. */
export function amdLoaderLib(modules: readonly string[]): string {
  const entries = modules.map((m) => `  '${m}': typeof import('${m}');`).join('\n');
  return `/** SuiteScript 2.x's AMD loader, as Outpost's editor types it (renderer/workspaces/suitescript-libs.ts). */
interface SuiteScriptModules {
${entries}
}
/** Each dependency's module type, by its place in the list; \`any\` for a module not listed. */
type SuiteScriptModulesOf<D extends readonly string[]> = {
  [K in keyof D]: D[K] extends keyof SuiteScriptModules ? SuiteScriptModules[D[K]] : any;
};
/** Defines a SuiteScript module: \`factory\` gets the modules listed in \`dependencies\`, in order. */
declare function define<const D extends readonly string[]>(
  dependencies: D,
  factory: (...modules: SuiteScriptModulesOf<D>) => unknown,
): void;
declare function define(factory: (...args: any[]) => unknown): void;
/** Loads SuiteScript modules and calls \`callback\` with them, in order. */
declare function require<const D extends readonly string[]>(
  dependencies: D,
  callback: (...modules: SuiteScriptModulesOf<D>) => unknown,
): void;
declare function require<M extends keyof SuiteScriptModules>(module: M): SuiteScriptModules[M];
declare function require(module: string): any;
`;
}

/**
 * The libs for the package's files (keyed by any path ending in `N/<module>.d.ts`; other keys are
 * ignored) plus the AMD loader's, sorted by module name.
 */
export function suiteScriptLibs(files: Readonly<Record<string, string>>): ExtraLib[] {
  const byModule = new Map<string, string>();
  for (const [path, content] of Object.entries(files)) {
    const module = suiteScriptModuleOf(path);
    if (module) byModule.set(module, content);
  }
  const modules = [...byModule.keys()].sort();
  return [
    ...modules.map((m) => ({ filePath: `${TYPINGS_ROOT}${m}.d.ts`, content: byModule.get(m) ?? '' })),
    { filePath: AMD_LIB_URI, content: amdLoaderLib(modules) },
  ];
}

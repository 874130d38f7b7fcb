/**
 * renderer/workspaces/monaco-typescript-lib.d.ts: types for two files of Monaco's TypeScript language
 * feature that ship without declarations: the TypeScript it bundles (5.9, the compiler its worker
 * runs; typed with the project's own `typescript` package, whose API these uses share) and its map
 * of lib files. Only renderer/workspaces/suitescript-libs.test.ts imports them, to run the language
 * service in Node as Monaco's worker does.
 */
declare module 'monaco-editor/languages/features/typescript/lib/typescriptServices.js' {
  import type * as ts from 'typescript';
  export const typescript: typeof ts;
}

declare module 'monaco-editor/languages/features/typescript/lib/lib.js' {
  export const libFileMap: Readonly<Record<string, string>>;
}

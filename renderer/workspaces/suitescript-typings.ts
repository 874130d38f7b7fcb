/**
 * renderer/workspaces/suitescript-typings.ts: the text of `@hitc/netsuite-types`' `N/**` declaration
 * files, bundled by Vite from node_modules (no CDN, no request to another origin: the app's CSP is
 * unchanged). Imported only dynamically (renderer/workspaces/suitescript-intellisense.ts), so the
 * files are one chunk of their own, downloaded when a JavaScript file is first shown in the editor.
 *
 * Keyed by the glob's relative path (`../../node_modules/@hitc/netsuite-types/N/record.d.ts`);
 * renderer/workspaces/suitescript-libs.ts turns keys into module names. `exhaustive` lets the glob
 * into node_modules, which Vite's globs skip by default.
 */
export const SUITESCRIPT_TYPING_FILES: Readonly<Record<string, string>> = import.meta.glob<string>(
  '../../node_modules/@hitc/netsuite-types/N/**/*.d.ts',
  { eager: true, query: '?raw', import: 'default', exhaustive: true },
);

/**
 * renderer/workspaces/suitescript-intellisense.ts: gives Monaco's JavaScript language service the
 * SuiteScript `N/*` typings (renderer/workspaces/suitescript-libs.ts), once per page, when the
 * workspace editor first shows a JavaScript file.
 *
 *   CodeEditor shows a .js model ─► next paint ─► loadSuiteScriptTypings()
 *     ─► import('./suitescript-typings.ts')   (one chunk, same origin)
 *     ─► javascriptDefaults.addExtraLib(…) per lib   (the TypeScript worker gets them as they change;
 *        it parses them on its next request, off the main thread)
 *
 * Guarantees: the file's first paint never waits for the typings; loading runs at most once at a time
 * and, once it has succeeded, never again; a failed chunk load leaves the editor working without
 * typings and is tried again the next time. The compiler options (suitescript-libs.ts) are set by
 * renderer/workspaces/monaco.ts before any model exists, so the worker is not restarted here.
 * Timings are recorded as performance measures `outpost:suitescript-typings:import` and
 * `outpost:suitescript-typings:add` (read by e2e/workspaces.spec.ts and docs/benchmarks.md).
 */
import { javascriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import { suiteScriptLibs } from './suitescript-libs.ts';

export interface SuiteScriptTypingsLoad {
  /** Libs handed to the language service (the package's modules and the AMD loader's). */
  readonly libs: number;
  /** Their characters in total. */
  readonly chars: number;
}

let loading: Promise<SuiteScriptTypingsLoad> | null = null;

/** Adds the typings to the JavaScript language service (at most once per page). */
export function loadSuiteScriptTypings(): Promise<SuiteScriptTypingsLoad> {
  loading ??= addTypings().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

async function addTypings(): Promise<SuiteScriptTypingsLoad> {
  const started = performance.now();
  const { SUITESCRIPT_TYPING_FILES } = await import('./suitescript-typings.ts');
  const imported = performance.now();
  const libs = suiteScriptLibs(SUITESCRIPT_TYPING_FILES);
  for (const lib of libs) javascriptDefaults.addExtraLib(lib.content, lib.filePath);
  performance.measure('outpost:suitescript-typings:import', { start: started, end: imported });
  performance.measure('outpost:suitescript-typings:add', { start: imported, end: performance.now() });
  return { libs: libs.length, chars: libs.reduce((n, lib) => n + lib.content.length, 0) };
}

/** Runs `task` after the next frame is painted (a frame, then a task after it). */
export function afterNextPaint(task: () => void): void {
  requestAnimationFrame(() => setTimeout(task, 0));
}

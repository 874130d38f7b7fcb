/**
 * renderer/workspaces/monaco.ts: Monaco, bundled from npm (no CDN), with only what the workspace
 * editor needs: the editor, its features (find and replace among them), the languages of workspace
 * files (JavaScript/SuiteScript, TypeScript, XML, JSON, SQL/SuiteQL, Markdown) and its workers.
 *
 * Workers: Vite bundles each `?worker` import as a module worker file of the app's own origin
 * (dist-web/assets/*.js, out/renderer/assets/*.js), so they load under the renderer's CSP
 * (`worker-src 'self' blob:`, common/host/content-security-policy.ts) with no change to it; Monaco's
 * styles are injected as <style> elements, which `style-src 'self' 'unsafe-inline'` already allows,
 * and its codicon font is an asset of the app (`font-src 'self'`). The build configs set
 * `worker.format: 'es'` (vite.web.config.ts, electron.vite.config.ts): the TypeScript worker is split
 * into chunks, which classic (iife) workers cannot load.
 *
 * Loaded only by the workspace editor (renderer/workspaces/CodeEditor.tsx, itself loaded lazily), so
 * the other views never download it.
 *
 * SuiteScript: the JavaScript language service gets the compiler options of
 * renderer/workspaces/suitescript-libs.ts here, before any model exists (changing them later would
 * restart its worker); the `N/*` typings themselves come later and lazily
 * (renderer/workspaces/suitescript-intellisense.ts).
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/xml/register';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/features/json/register';
import 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import TypeScriptWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import { javascriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import type { FileType } from './file-tree.ts';
import { suiteScriptCompilerOptions } from './suitescript-libs.ts';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker(_workerId, label) {
    if (label === 'json') return new JsonWorker();
    if (label === 'typescript' || label === 'javascript') return new TypeScriptWorker();
    return new EditorWorker();
  },
};

javascriptDefaults.setCompilerOptions({
  ...javascriptDefaults.getCompilerOptions(),
  ...suiteScriptCompilerOptions(),
});

/** Monaco's language id for a file type (common/../file-tree.ts fileTypeOf). */
export const MONACO_LANGUAGE: Readonly<Record<FileType, string>> = {
  javascript: 'javascript',
  typescript: 'typescript',
  xml: 'xml',
  json: 'json',
  sql: 'sql',
  markdown: 'markdown',
  text: 'plaintext',
};

export { monaco };

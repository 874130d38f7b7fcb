/**
 * renderer/workspaces/CodeEditor.tsx: the Monaco editor of the workspace view (loaded lazily with
 * Monaco itself, renderer/workspaces/monaco.ts). One editor; one Monaco model per open tab, kept while
 * the tab is open so undo history and scroll position survive switching tabs; language by extension.
 *
 * Guarantees: the model's text is the tab's text when it is created, and from then on every change
 * of the model (typing, paste, find and replace) is reported to editFile, which debounces it into the
 * local draft; closing a tab disposes its model. Validation problems are this editor's markers
 * (owner `outpost-validate`), set on every open model whenever the problems change. A reveal asked
 * through editor-handle.ts (a problem, a search result) moves the cursor there, selecting the match
 * when it has a length, and focuses the editor. While it has focus it holds the `editorFocus` context
 * key, so single-key shortcuts stay off. Once a JavaScript (SuiteScript) model has been painted, the
 * `N/*` typings are added to the language service (renderer/workspaces/suitescript-intellisense.ts):
 * completion and hover of `define`/`require` modules, never delaying the file's first paint.
 */
import { useEffect, useRef } from 'react';
import { useFocusContextKey } from '../context-keys/held-keys.ts';
import { setEditorHandle, takeFocusRequest, takeReveal } from './editor-handle.ts';
import { fileTypeOf } from './file-tree.ts';
import { monaco, MONACO_LANGUAGE } from './monaco.ts';
import { afterNextPaint, loadSuiteScriptTypings } from './suitescript-intellisense.ts';
import { markersOf } from './validation.ts';
import { editFile } from './workspace-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';

const MARKER_OWNER = 'outpost-validate';

function prefersDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export default function CodeEditor(props: { readonly workspaceId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const models = useRef(new Map<string, monaco.editor.ITextModel>());
  const viewStates = useRef(new Map<string, monaco.editor.ICodeEditorViewState | null>());
  const shown = useRef<string | null>(null);
  const tabs = useWorkspaceEditor((s) => s.tabs);
  const problems = useWorkspaceEditor((s) => s.problems);
  useFocusContextKey('editorFocus', host);

  useEffect(() => {
    if (!host.current) return;
    const instance = monaco.editor.create(host.current, {
      model: null,
      automaticLayout: true,
      theme: prefersDark() ? 'vs-dark' : 'vs',
      fontSize: 13,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      tabSize: 4,
      ariaLabel: 'File editor',
    });
    editor.current = instance;
    setEditorHandle({
      focus: () => instance.focus(),
      selectedText: () => {
        const selection = instance.getSelection();
        const model = instance.getModel();
        if (!selection || !model || selection.isEmpty()) return null;
        if (selection.startLineNumber !== selection.endLineNumber) return null;
        return model.getValueInRange(selection);
      },
    });
    const owned = models.current;
    return () => {
      setEditorHandle(null);
      instance.dispose();
      for (const model of owned.values()) model.dispose();
      owned.clear();
      editor.current = null;
    };
  }, [props.workspaceId]);

  // Models follow the tabs: one per open path, disposed when its tab closes; the active one is shown.
  useEffect(() => {
    const instance = editor.current;
    if (!instance) return;
    const open = new Set(tabs.tabs.map((t) => t.path));
    for (const [path, model] of models.current)
      if (!open.has(path)) {
        model.dispose();
        models.current.delete(path);
        viewStates.current.delete(path);
      }
    for (const tab of tabs.tabs) {
      if (models.current.has(tab.path)) continue;
      const uri = monaco.Uri.from({
        scheme: 'workspace',
        authority: props.workspaceId,
        path: `/${tab.path}`,
      });
      const model =
        monaco.editor.getModel(uri) ??
        monaco.editor.createModel(tab.text, MONACO_LANGUAGE[fileTypeOf(tab.path)], uri);
      model.onDidChangeContent(() => editFile(tab.path, model.getValue()));
      models.current.set(tab.path, model);
    }
    const active = tabs.active;
    if (shown.current !== active) {
      if (shown.current) viewStates.current.set(shown.current, instance.saveViewState());
      const model = active ? (models.current.get(active) ?? null) : null;
      instance.setModel(model);
      shown.current = active;
      const state = active ? viewStates.current.get(active) : null;
      if (state) instance.restoreViewState(state);
      if (model?.getLanguageId() === 'javascript')
        afterNextPaint(() => {
          loadSuiteScriptTypings().catch((error: unknown) => {
            console.warn('SuiteScript typings were not loaded; the editor works without them.', error);
          });
        });
    }
    if (active && instance.getModel() && takeFocusRequest()) instance.focus();
    const at = active ? takeReveal(active) : null;
    if (at) {
      instance.setSelection({
        startLineNumber: at.line,
        startColumn: at.column,
        endLineNumber: at.line,
        endColumn: at.column + at.length,
      });
      instance.revealLineInCenterIfOutsideViewport(at.line);
      instance.focus();
    }
  }, [tabs, props.workspaceId]);

  // Validation problems as markers, on every open model: set when a validation ends or a file opens,
  // not on keystrokes (Monaco moves markers with the edits).
  const openPaths = tabs.tabs.map((t) => t.path).join('\n');
  useEffect(() => {
    for (const [path, model] of models.current)
      monaco.editor.setModelMarkers(model, MARKER_OWNER, problems ? markersOf(problems, path) : []);
  }, [problems, openPaths]);

  return <div ref={host} className="ws-monaco" data-testid="workspace-editor" />;
}

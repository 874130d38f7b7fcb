/**
 * renderer/changesets/DiffEditor.tsx: Monaco's diff editor for one file of a changeset (loaded lazily
 * with Monaco, renderer/workspaces/monaco.ts): the text before on the left and after on the right, or
 * inline; read-only; language by extension. Lines with review comments carry a gutter mark, and the
 * line the cursor is on (in either side) is what a new comment is about (review-store's `cursor`).
 *
 * Guarantees: the models are this component's and disposed with it or when the file changes; a
 * request to reveal a line (revealLine) waits until its file is shown and its diff computed; while it has focus it holds the
 * `editorFocus` context key, so single-key shortcuts stay off.
 */
import { useEffect, useRef } from 'react';
import { useFocusContextKey } from '../context-keys/held-keys.ts';
import { fileTypeOf } from '../workspaces/file-tree.ts';
import { monaco, MONACO_LANGUAGE } from '../workspaces/monaco.ts';
import { setShown, takePending, type Side } from './diff-handle.ts';
import { useReview } from './review-store.ts';

export interface DiffEditorProps {
  readonly path: string;
  readonly original: string;
  readonly modified: string;
  readonly sideBySide: boolean;
  /** Lines with comments, by side. */
  readonly commentLines: { readonly old: readonly number[]; readonly new: readonly number[] };
}

function prefersDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

function marks(lines: readonly number[]): monaco.editor.IModelDeltaDecoration[] {
  return lines.map((line) => ({
    range: new monaco.Range(line, 1, line, 1),
    options: {
      isWholeLine: true,
      glyphMarginClassName: 'review-comment-glyph',
      glyphMarginHoverMessage: { value: 'Review comment' },
    },
  }));
}

export default function DiffEditor(props: DiffEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  const shownPath = useRef<string | null>(null);
  const reveal = useRef<((line: number, side: Side) => void) | null>(null);
  const decorations = useRef<{
    old: monaco.editor.IEditorDecorationsCollection;
    new: monaco.editor.IEditorDecorationsCollection;
  } | null>(null);
  useFocusContextKey('editorFocus', host);

  useEffect(() => {
    if (!host.current) return;
    const instance = monaco.editor.createDiffEditor(host.current, {
      automaticLayout: true,
      readOnly: true,
      originalEditable: false,
      theme: prefersDark() ? 'vs-dark' : 'vs',
      fontSize: 13,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      glyphMargin: true,
      renderSideBySide: true,
      // The reader chooses the layout (t); Monaco would otherwise go inline below 900 px wide.
      useInlineViewWhenSpaceIsLimited: false,
      ariaLabel: 'Changes',
      originalAriaLabel: 'Before the change',
      modifiedAriaLabel: 'After the change',
    });
    editor.current = instance;
    const track = (side: Side, e: monaco.editor.ICodeEditor) =>
      e.onDidChangeCursorPosition((event) => {
        const path = shownPath.current;
        if (path) useReview.setState({ cursor: { path, line: event.position.lineNumber, side } });
      });
    const subscriptions = [
      track('old', instance.getOriginalEditor()),
      track('new', instance.getModifiedEditor()),
    ];
    decorations.current = {
      old: instance.getOriginalEditor().createDecorationsCollection(),
      new: instance.getModifiedEditor().createDecorationsCollection(),
    };
    reveal.current = (line, side) => {
      const target = side === 'old' ? instance.getOriginalEditor() : instance.getModifiedEditor();
      target.setPosition({ lineNumber: line, column: 1 });
      target.revealLineInCenter(line);
      target.focus();
    };
    return () => {
      for (const s of subscriptions) s.dispose();
      const model = instance.getModel();
      instance.dispose();
      model?.original.dispose();
      model?.modified.dispose();
      editor.current = null;
      decorations.current = null;
      reveal.current = null;
      shownPath.current = null;
      setShown(null, null);
    };
  }, []);

  useEffect(() => {
    const instance = editor.current;
    if (!instance) return;
    const language = MONACO_LANGUAGE[fileTypeOf(props.path)];
    const before = instance.getModel();
    instance.setModel({
      original: monaco.editor.createModel(props.original, language),
      modified: monaco.editor.createModel(props.modified, language),
    });
    before?.original.dispose();
    before?.modified.dispose();
    shownPath.current = props.path;
    useReview.setState({ cursor: null });
    // The diff is computed asynchronously: until it is there a request waits (pending), and the
    // newest one is taken once it is, so the line stays in view and a click meanwhile is not lost.
    setShown(null, null);
    const once = instance.onDidUpdateDiff(() => {
      once.dispose();
      setShown(props.path, (line, side) => reveal.current?.(line, side));
      const at = takePending(props.path);
      if (at) reveal.current?.(at.line, at.side);
    });
    return () => once.dispose();
  }, [props.path, props.original, props.modified]);

  useEffect(() => {
    editor.current?.updateOptions({ renderSideBySide: props.sideBySide });
  }, [props.sideBySide]);

  useEffect(() => {
    decorations.current?.old.set(marks(props.commentLines.old));
    decorations.current?.new.set(marks(props.commentLines.new));
  }, [props.commentLines, props.path, props.original, props.modified]);

  return <div ref={host} className="review-monaco" data-testid="review-diff" />;
}

/**
 * renderer/workspaces/FileDialog.tsx: the dialog of New file…, Rename… and Delete (file-actions.ts).
 * New and rename ask for the path (checked as it is typed: file-paths.ts), with the cursor after the
 * folder (new) or on the name without its extension (rename); delete asks to confirm and says the
 * file goes only when a changeset of it is applied. Enter confirms, Escape cancels.
 */
import { useEffect, useRef, useState } from 'react';
import { DialogForm } from '../shell/DialogForm.tsx';
import { closeFileDialog, confirmFileDialog, useFileDialog } from './file-actions.ts';
import { pathProblem } from './file-paths.ts';

function selectName(input: HTMLInputElement, path: string): void {
  const slash = path.lastIndexOf('/') + 1;
  const dot = path.lastIndexOf('.');
  input.setSelectionRange(slash, dot > slash ? dot : path.length);
}

export function FileDialog(props: { readonly taken: ReadonlySet<string> }) {
  const dialog = useFileDialog((s) => s.dialog);
  const error = useFileDialog((s) => s.error);
  const busy = useFileDialog((s) => s.busy);
  const [path, setPath] = useState(() =>
    dialog?.kind === 'new' ? dialog.initial : dialog?.kind === 'rename' ? dialog.from : '',
  );
  const [touched, setTouched] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const input = field.current;
    if (!input || !dialog) return;
    input.focus();
    if (dialog.kind === 'rename') selectName(input, dialog.from);
    else input.setSelectionRange(input.value.length, input.value.length);
  }, [dialog]);
  if (!dialog) return null;
  const live =
    dialog.kind !== 'delete' && touched
      ? pathProblem(path, props.taken, dialog.kind === 'rename' ? dialog.from : null)
      : null;
  const shown = error ?? live;
  const title =
    dialog.kind === 'new'
      ? 'New file'
      : dialog.kind === 'rename'
        ? `Rename ${dialog.from}`
        : `Delete ${dialog.path}?`;
  return (
    <DialogForm
      label={title}
      title={title}
      testId="file-dialog"
      submitLabel={dialog.kind === 'new' ? 'Create' : dialog.kind === 'rename' ? 'Rename' : 'Delete'}
      tone={dialog.kind === 'delete' ? 'danger' : 'primary'}
      busy={busy}
      focusSubmit={dialog.kind === 'delete'}
      onSubmit={() => void confirmFileDialog(path, props.taken)}
      onCancel={closeFileDialog}
    >
      {dialog.kind === 'delete' ? (
        <p>
          The file is marked deleted in your drafts; it leaves the workspace when a changeset with this change
          is applied.
        </p>
      ) : (
        <>
          <label htmlFor="ws-file-path">Path in the workspace</label>
          <input
            id="ws-file-path"
            className="ws-file-path"
            ref={field}
            value={path}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={shown ? true : undefined}
            aria-describedby={shown ? 'ws-file-path-problem' : undefined}
            onChange={(e) => {
              setPath(e.target.value);
              setTouched(true);
              if (error) useFileDialog.setState({ error: null });
            }}
          />
        </>
      )}
      {shown ? (
        <p id="ws-file-path-problem" className="field-problem" role="alert">
          {shown}
        </p>
      ) : null}
    </DialogForm>
  );
}

/**
 * renderer/workspaces/ChangesetForm.tsx: "Create changeset": a title and a description for the
 * changeset made of this user's drafts in the workspace, one patch per changed file (listed). Problems
 * are said next to their field before anything is sent (changeset-form.ts); a refusal by the core
 * (changeset.create's own checks) is shown as its sentence, and the form keeps what was typed.
 * Unsaved edits of open files are saved first. Escape closes it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  changedFiles,
  checkChangesetForm,
  type ChangesetField,
  type ChangesetFormFields,
} from './changeset-form.ts';
import { isDirty } from './editor-tabs.ts';
import { closeChangesetForm, proposeChangeset } from './workspace-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';

const OPERATION_TEXT = { create: 'added', modify: 'modified', delete: 'deleted' } as const;

function Problem({ id, text }: { readonly id: string; readonly text: string | undefined }) {
  return text ? (
    <p className="field-problem" id={id} role="alert">
      {text}
    </p>
  ) : null;
}

export function ChangesetForm() {
  const drafts = useWorkspaceEditor((s) => s.drafts);
  const tabs = useWorkspaceEditor((s) => s.tabs.tabs);
  const [fields, setFields] = useState<ChangesetFormFields>({ title: '', description: '' });
  const [problems, setProblems] = useState<Partial<Record<ChangesetField, string>>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const title = useRef<HTMLInputElement>(null);
  const files = changedFiles(drafts ?? [], tabs);
  const unsaved = tabs.filter(isDirty).length;

  useEffect(() => title.current?.focus(), []);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const check = checkChangesetForm(fields, files.length);
    setRefusal(null);
    if (!check.ok) {
      setProblems(check.problems);
      if (check.problems.title) title.current?.focus();
      return;
    }
    setProblems({});
    setSending(true);
    const refused = await proposeChangeset(check.values);
    setSending(false);
    if (refused) setRefusal(refused);
  }

  return (
    <form
      className="ws-form card"
      aria-label="Create changeset"
      data-testid="changeset-form"
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          closeChangesetForm();
        }
      }}
    >
      <h2>Create changeset</h2>
      <p className="muted">
        One patch per changed file, made against the text each file had when you began editing it. It waits on
        this device until it is sent, then for review.
      </p>
      <label htmlFor="changeset-title">Title</label>
      <input
        id="changeset-title"
        ref={title}
        value={fields.title}
        aria-invalid={problems.title ? true : undefined}
        aria-describedby={problems.title ? 'changeset-title-problem' : undefined}
        onChange={(e) => setFields({ ...fields, title: e.target.value })}
        placeholder="Round FX amounts in payout reconciliation"
      />
      <Problem id="changeset-title-problem" text={problems.title} />
      <label htmlFor="changeset-description">
        Description <span className="muted">(optional)</span>
      </label>
      <textarea
        id="changeset-description"
        rows={4}
        value={fields.description}
        aria-invalid={problems.description ? true : undefined}
        aria-describedby={problems.description ? 'changeset-description-problem' : undefined}
        onChange={(e) => setFields({ ...fields, description: e.target.value })}
        placeholder="Why, and how a reviewer can check it"
      />
      <Problem id="changeset-description-problem" text={problems.description} />
      <h3>
        Files <span className="muted">{files.length}</span>
      </h3>
      {files.length > 0 ? (
        <ul className="ws-form-files" data-testid="changeset-files">
          {files.map((f) => (
            <li key={f.path}>
              <span className={`ws-mark ws-mark-${f.operation[0]?.toUpperCase() ?? ''}`}>
                {f.operation[0]?.toUpperCase()}
              </span>{' '}
              {f.path} <span className="muted">({OPERATION_TEXT[f.operation]})</span>
            </li>
          ))}
        </ul>
      ) : null}
      <Problem id="changeset-files-problem" text={problems.files} />
      {unsaved > 0 ? (
        <p className="muted">
          {unsaved === 1 ? 'One open file has' : `${unsaved} open files have`} unsaved edits: they are saved
          first.
        </p>
      ) : null}
      {refusal ? (
        <p className="error-box" role="alert">
          {refusal}
        </p>
      ) : null}
      <div className="ws-form-actions">
        <button type="submit" className="button button-primary" disabled={sending}>
          {sending ? 'Creating…' : 'Create changeset'}
        </button>
        <button type="button" className="button" onClick={closeChangesetForm}>
          Cancel
        </button>
      </div>
    </form>
  );
}

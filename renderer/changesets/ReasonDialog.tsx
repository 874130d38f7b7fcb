/**
 * renderer/changesets/ReasonDialog.tsx: the reason a changeset's rejection needs. Focus starts in the
 * reason; Enter sends (Shift+Enter: a new line), Escape cancels. An empty reason is refused with a
 * sentence next to the field and never sent; the author reads the reason when they revise.
 */
import { useRef, useState } from 'react';
import { DialogForm } from '../shell/DialogForm.tsx';
import { closeDialog, reject } from './review-actions.ts';
import { useReview } from './review-store.ts';

export function ReasonDialog(props: { readonly changesetId: string; readonly title: string }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const busy = useReview((s) => s.busy);
  const field = useRef<HTMLTextAreaElement>(null);
  const send = async () => {
    if (reason.trim() === '') {
      setError('Say why: the author reads this reason when they revise the changeset.');
      field.current?.focus();
      return;
    }
    await reject(props.changesetId, reason);
  };
  return (
    <DialogForm
      label="Request changes"
      title={`Request changes to “${props.title}”`}
      testId="review-reject-dialog"
      submitLabel="Request changes"
      tone="danger"
      busy={busy}
      onSubmit={() => void send()}
      onCancel={closeDialog}
    >
      <p className="muted">
        The changeset goes back to its author as rejected, with your reason; they can revise it and submit it
        again.
      </p>
      <label htmlFor="review-reason">Reason</label>
      <textarea
        id="review-reason"
        ref={field}
        autoFocus
        rows={4}
        value={reason}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'review-reason-error' : undefined}
        onChange={(e) => {
          setReason(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            void send();
          }
        }}
      />
      {error ? (
        <p id="review-reason-error" role="alert" className="field-problem">
          {error}
        </p>
      ) : null}
    </DialogForm>
  );
}

/**
 * renderer/inbox/RejectDialog.tsx: the reason a rejection needs, asked once for every item it rejects
 * (one item, or the selection). The focus is in the reason field when it opens; Enter rejects (with
 * Shift+Enter a new line), Escape cancels. An empty reason is refused with a sentence, never sent.
 */
import { useRef, useState } from 'react';
import { DialogForm } from '../shell/DialogForm.tsx';
import { cancelReject, decide } from './inbox-actions.ts';
import type { InboxItem } from './inbox-model.ts';

export function RejectDialog({ items }: { readonly items: readonly InboxItem[] }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const submit = async () => {
    if (reason.trim() === '') {
      setError('Say why you reject: the requester reads this reason.');
      field.current?.focus();
      return;
    }
    setBusy(true);
    await decide('reject', reason.trim(), items);
  };
  return (
    <DialogForm
      label="Reject"
      title={`Reject ${items.length === 1 ? `“${items[0]?.title ?? ''}”` : `${items.length} items`}`}
      testId="reject-dialog"
      submitLabel="Reject"
      tone="danger"
      busy={busy}
      onSubmit={() => void submit()}
      onCancel={cancelReject}
    >
      <label htmlFor="reject-reason">Reason (required)</label>
      <textarea
        id="reject-reason"
        ref={field}
        autoFocus
        rows={3}
        value={reason}
        aria-invalid={error !== null}
        aria-describedby={error ? 'reject-reason-error' : undefined}
        onChange={(e) => {
          setReason(e.target.value);
          if (error) setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      {error ? (
        <p className="field-problem" id="reject-reason-error" role="alert">
          {error}
        </p>
      ) : null}
    </DialogForm>
  );
}

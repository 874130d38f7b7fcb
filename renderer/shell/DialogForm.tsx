/**
 * renderer/shell/DialogForm.tsx: the frame of a view's small dialogs that ask for one thing and act
 * on it (the inbox's rejection reason, the review's "request changes", the editor's new file, rename
 * and delete): a modal form over a dimmed backdrop with a title, the caller's fields, and Cancel plus
 * one submit button. Escape or a click outside cancels; submitting calls `onSubmit` (Enter in a
 * single-line field submits, as in any form).
 *
 * Guarantees: while open it holds the `overlay` context key, so the views' single-key shortcuts stay
 * off; Escape never reaches the shell's own Escape binding; the submit button is disabled while busy.
 */
import type { ReactNode } from 'react';
import { useContextKey } from '../context-keys/held-keys.ts';

export function DialogForm(props: {
  readonly label: string;
  readonly title: ReactNode;
  readonly testId: string;
  readonly submitLabel: string;
  readonly tone?: 'primary' | 'danger';
  readonly busy?: boolean;
  /** Focus the submit button on open (a confirmation with no field). */
  readonly focusSubmit?: boolean;
  readonly onSubmit: () => void;
  readonly onCancel: () => void;
  readonly children: ReactNode;
}) {
  useContextKey('overlay', 'dialog');
  return (
    <div className="overlay" onMouseDown={props.onCancel}>
      <form
        className="dialog-form"
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        data-testid={props.testId}
        onMouseDown={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            props.onCancel();
          }
        }}
      >
        <h2>{props.title}</h2>
        {props.children}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button button-${props.tone ?? 'primary'}`}
            disabled={props.busy === true}
            autoFocus={props.focusSubmit === true}
          >
            {props.submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * renderer/shell/Modal.tsx: the frame of the app's overlays (command palette, keyboard shortcuts, a
 * view's own such as the workspace editor's Quick open): a modal dialog over a dimmed backdrop that
 * closes on a click outside (`onClose`; by default it closes the ui store's overlay, for which Escape
 * is the shell's keybinding in the `overlay` context; a view's own overlay handles Escape itself);
 * focus moves into it on open and goes back where it was on close (the caller names the element to
 * focus). While open it holds the `overlay` context key ('dialog' unless the ui store names the
 * overlay), so single-key shortcuts of the views stay off.
 *
 * Focus moves in layout effects, so a caller that closes the modal with flushSync and then moves focus
 * itself (the palette running "Filter the table") has the last word.
 */
import { useLayoutEffect, type ReactNode, type RefObject } from 'react';
import { useContextKey } from '../context-keys/held-keys.ts';
import { useUi } from '../state/ui-store.ts';

export function Modal(props: {
  readonly label: string;
  readonly className: string;
  readonly initialFocus: RefObject<HTMLElement | null>;
  /** A click outside; default: close the ui store's overlay. */
  readonly onClose?: () => void;
  readonly children: ReactNode;
}) {
  const open = useUi((s) => s.open);
  const { initialFocus, onClose } = props;
  useContextKey('overlay', 'dialog');
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    initialFocus.current?.focus();
    return () => previous?.focus?.();
  }, [initialFocus]);
  return (
    <div className="overlay" onMouseDown={() => (onClose ? onClose() : open(null))}>
      <div
        className={props.className}
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        onMouseDown={(e) => e.stopPropagation()}
      >
        {props.children}
      </div>
    </div>
  );
}

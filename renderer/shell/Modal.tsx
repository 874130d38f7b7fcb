/**
 * renderer/shell/Modal.tsx: the frame of the app's overlays (command palette, keyboard shortcuts): a
 * modal dialog over a dimmed backdrop that closes on a click outside; focus moves into it on open and
 * goes back where it was on close (the caller names the element to focus).
 */
import { useEffect, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { useUi } from '../state/ui-store.ts';

export function Modal(props: {
  readonly label: string;
  readonly className: string;
  readonly initialFocus: RefObject<HTMLElement | null>;
  readonly onKeyDown?: (event: KeyboardEvent) => void;
  readonly children: ReactNode;
}) {
  const open = useUi((s) => s.open);
  const { initialFocus } = props;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    initialFocus.current?.focus();
    return () => previous?.focus?.();
  }, [initialFocus]);
  return (
    <div className="overlay" onMouseDown={() => open(null)}>
      <div
        className={props.className}
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={props.onKeyDown}
      >
        {props.children}
      </div>
    </div>
  );
}

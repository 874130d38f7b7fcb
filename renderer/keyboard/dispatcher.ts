/**
 * renderer/keyboard/dispatcher.ts: which keybinding a key press runs (pure: strokes in, a decision
 * out; the window listener that feeds it is renderer/keyboard/install-keyboard.ts).
 *
 *   stroke ──typing and a typing stroke?──yes──► none (the text field's; a chord in progress ends)
 *     │ no
 *     ▼
 *   sequence = pending strokes (if younger than the chord timeout) + stroke
 *     ├─ a binding that applies is longer and starts with it ──► pending (wait for the next stroke)
 *     ├─ bindings that apply equal it ──► run the one registered last
 *     └─ nothing ──► a chord in progress? start again with this stroke alone : none
 *
 * "Applies" is the caller's: its when-clause, its command's when-clause and permission, evaluated
 * against the context of this key press (renderer/shell/registry.ts keybindingApplies).
 *
 * Guarantees: while the user types (`inputFocus`), a stroke without Ctrl, Alt or ⌘ (other than Escape
 * and function keys) never runs or starts a binding, whatever its when-clause says. A chord waits at
 * most `chordTimeoutMs` between strokes. When a prefix and a whole binding both apply (`g` and `g h`),
 * the chord wins; the registry refuses the pair when both have the same when-clause. Among bindings
 * that apply to the same strokes, the one registered last wins (views are registered after the
 * shell, so a view's binding overrides a global one in that view's context).
 */
import { isTypingStroke } from './keys.ts';

export interface DispatchBinding {
  /** Strokes as strokeOf gives them for this platform. */
  readonly strokes: readonly string[];
}

export type DispatchOutcome<B> =
  | { readonly kind: 'run'; readonly binding: B }
  | { readonly kind: 'pending'; readonly strokes: readonly string[] }
  | { readonly kind: 'none' };

export interface KeyPress {
  /** strokeFromEvent's stroke; null for a modifier alone (ignored, a chord in progress stays). */
  readonly stroke: string | null;
  /** The `inputFocus` context key: the user is typing in a field. */
  readonly typing: boolean;
  /** Milliseconds, monotonic (the event's timeStamp). */
  readonly now: number;
}

export const CHORD_TIMEOUT_MS = 1_500;

const startsWith = (strokes: readonly string[], prefix: readonly string[]) =>
  prefix.length <= strokes.length && prefix.every((stroke, i) => strokes[i] === stroke);

export class KeyDispatcher<B extends DispatchBinding> {
  private pending: readonly string[] = [];
  private pendingAt = 0;

  constructor(
    private readonly bindings: readonly B[],
    private readonly chordTimeoutMs = CHORD_TIMEOUT_MS,
  ) {}

  /** The chord in progress (its first strokes), if any. */
  get chord(): readonly string[] {
    return this.pending;
  }

  reset(): void {
    this.pending = [];
  }

  press(press: KeyPress, applies: (binding: B) => boolean): DispatchOutcome<B> {
    const { stroke } = press;
    if (stroke === null) return { kind: 'none' };
    if (press.typing && isTypingStroke(stroke)) {
      this.reset();
      return { kind: 'none' };
    }
    if (this.pending.length > 0 && press.now - this.pendingAt > this.chordTimeoutMs) this.reset();
    const sequence = [...this.pending, stroke];
    const candidates = this.bindings.filter((b) => startsWith(b.strokes, sequence) && applies(b));
    if (candidates.some((b) => b.strokes.length > sequence.length)) {
      this.pending = sequence;
      this.pendingAt = press.now;
      return { kind: 'pending', strokes: sequence };
    }
    const exact = candidates.filter((b) => b.strokes.length === sequence.length);
    const chosen = exact[exact.length - 1];
    const wasPending = this.pending.length > 0;
    this.reset();
    if (chosen) return { kind: 'run', binding: chosen };
    return wasPending ? this.press(press, applies) : { kind: 'none' };
  }
}

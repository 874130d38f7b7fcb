/**
 * renderer/changesets/review-store.ts: the changeset review's screen state, one zustand store: which
 * changeset is open and which of its files shows, the diff's layout, the line the diff editor's cursor is on (what a new comment is
 * about), which dialog is open and the sentence about the last action.
 *
 * Guarantees: only renderer/changesets/review-actions.ts and the review's own components change it;
 * opening another changeset resets everything of the previous one except the layout, which is the
 * reader's preference (kept on this device).
 */
import { create } from 'zustand';

export type ReviewDialog = 'reject' | null;

export interface CursorLine {
  readonly path: string;
  readonly line: number;
  readonly side: 'old' | 'new';
}

export interface ReviewState {
  readonly changesetId: string | null;
  /** The changeset's file paths in order, the one shown and its patch version (for j / k / v). */
  readonly paths: readonly string[];
  readonly path: string | null;
  readonly version: string | null;
  readonly sideBySide: boolean;
  readonly cursor: CursorLine | null;
  readonly dialog: ReviewDialog;
  /** The comment form's text (kept while the reader moves between files). */
  readonly commentDraft: string;
  readonly busy: boolean;
  readonly notice: { readonly text: string; readonly tone: 'info' | 'error' } | null;
}

const LAYOUT_KEY = 'outpost.review.sideBySide';

function storedLayout(): boolean {
  try {
    return globalThis.localStorage?.getItem(LAYOUT_KEY) !== 'inline';
  } catch {
    return true;
  }
}

export function storeLayout(sideBySide: boolean): void {
  try {
    globalThis.localStorage?.setItem(LAYOUT_KEY, sideBySide ? 'side' : 'inline');
  } catch {
    // Storage refused (private mode): the layout holds for this session only.
  }
}

export const NO_REVIEW = {
  changesetId: null,
  paths: [],
  path: null,
  version: null,
  cursor: null,
  dialog: null,
  commentDraft: '',
  busy: false,
  notice: null,
} as const;

export const useReview = create<ReviewState>()(() => ({ ...NO_REVIEW, sideBySide: storedLayout() }));

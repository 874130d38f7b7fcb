/**
 * renderer/explorer/explorer-ui.ts: the explorer's window-level state that its commands act on (the
 * `n` and Escape keybindings, the palette's "New row"): which row detail is open. The table view
 * (Explorer.tsx) renders it and clears it when it closes, so another table never opens with this
 * one's detail.
 */
import { create } from 'zustand';
import { FILTER_VALUE_ID } from './FilterBar.tsx';
import type { DetailTarget } from './RowDetail.tsx';

interface ExplorerUiState {
  readonly detail: DetailTarget | null;
}

export const useExplorerUi = create<ExplorerUiState>()(() => ({ detail: null }));

export function openRowDetail(detail: DetailTarget): void {
  useExplorerUi.setState({ detail });
}

/** The grid of the open table (it has the keyboard when the table opens). */
export function focusGrid(): void {
  document.querySelector<HTMLElement>('.table-view [role=grid]')?.focus();
}

/** Closes the row detail and gives the keyboard back to the grid. */
export function closeRowDetail(options: { readonly focusGrid: boolean }): void {
  useExplorerUi.setState({ detail: null });
  if (options.focusGrid) focusGrid();
}

export function focusFilter(): void {
  document.getElementById(FILTER_VALUE_ID)?.focus();
}

/**
 * renderer/search/search-store.ts: what the search view holds across renders and visits in this
 * window: the text typed, the filters chosen, and the active hit (by chunk id, so it survives new
 * answers). The query itself is a live named query (search.hybrid) the view follows while on screen.
 */
import { create } from 'zustand';
import { NO_FILTERS, type SearchFilters } from './search-model.ts';

export interface SearchState {
  readonly text: string;
  readonly filters: SearchFilters;
  readonly active: string | null;
}

export const useSearch = create<SearchState>()(() => ({ text: '', filters: NO_FILTERS, active: null }));

export function setSearchText(text: string): void {
  useSearch.setState({ text });
}

export function setSearchFilter(change: Partial<SearchFilters>): void {
  useSearch.setState((s) => ({ filters: { ...s.filters, ...change } }));
}

export function setActiveHit(chunkId: string | null): void {
  useSearch.setState({ active: chunkId });
}

/** Moves focus to the search field (the `/` key and the palette command). */
export function focusSearchField(): void {
  const input = document.getElementById('search-query');
  if (input instanceof HTMLInputElement) {
    input.focus();
    input.select();
  }
}

/** Moves focus to the first filter. */
export function focusSearchFilters(): void {
  document.getElementById('search-filter-document')?.focus();
}

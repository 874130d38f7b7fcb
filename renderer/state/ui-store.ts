/**
 * renderer/state/ui-store.ts: window-level UI state: which overlay is open (command palette, keyboard
 * shortcuts). One overlay at a time.
 */
import { create } from 'zustand';

export type Overlay = 'palette' | 'shortcuts' | null;

interface UiState {
  readonly overlay: Overlay;
  open: (overlay: Overlay) => void;
}

export const useUi = create<UiState>()((set) => ({
  overlay: null,
  open: (overlay) => set({ overlay }),
}));

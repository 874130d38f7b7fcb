/**
 * renderer/state/notices.ts: short-lived notices (toasts) for the outcome of user actions. Rejected
 * writes are not notices: they stay until dismissed (renderer/sync/RejectedWrites.tsx).
 */
import { create } from 'zustand';

export interface Notice {
  readonly id: number;
  readonly tone: 'info' | 'error';
  readonly text: string;
}

interface NoticeState {
  readonly notices: readonly Notice[];
}

export const useNotices = create<NoticeState>()(() => ({ notices: [] }));

let next = 1;

export function notify(notice: Omit<Notice, 'id'>, ttlMs = 5_000): void {
  const id = next++;
  useNotices.setState((s) => ({ notices: [...s.notices.slice(-3), { ...notice, id }] }));
  setTimeout(() => dismissNotice(id), ttlMs);
}

export function dismissNotice(id: number): void {
  useNotices.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

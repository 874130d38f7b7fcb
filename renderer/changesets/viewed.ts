/**
 * renderer/changesets/viewed.ts: the "viewed" mark a reviewer puts on each file of a changeset, kept
 * on this device per user (localStorage), the way GitHub's "Viewed" checkbox works: a mark belongs to
 * one version of a file's patch, so a revised patch shows as not viewed again.
 *
 * Guarantees: marks of one user are never read for another; at most MAX_CHANGESETS changesets are
 * kept per user (the oldest marked are dropped first); storage that refuses or holds garbage reads as
 * no marks, never an error.
 */
import { useMemo, useSyncExternalStore } from 'react';

export const MAX_CHANGESETS = 200;

type Marks = Record<string, { readonly at: number; readonly versions: readonly string[] }>;

const keyOf = (userId: string) => `outpost.review.viewed.${userId}`;
const listeners = new Set<() => void>();
let cache: { key: string; raw: string | null; marks: Marks } | null = null;

function read(userId: string): Marks {
  const key = keyOf(userId);
  let raw: string | null;
  try {
    raw = globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    raw = null;
  }
  if (cache?.key === key && cache.raw === raw) return cache.marks;
  let marks: Marks = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) marks = parsed as Marks;
  } catch {
    marks = {};
  }
  cache = { key, raw, marks };
  return marks;
}

/** The versions (FileReview.version) `userId` marked viewed in `changesetId`. */
export function viewedVersions(userId: string, changesetId: string): ReadonlySet<string> {
  const entry = read(userId)[changesetId];
  return new Set(Array.isArray(entry?.versions) ? entry.versions : []);
}

/** Marks (or unmarks) one version of a file as viewed; `now` is the time of the mark. */
export function setViewed(
  userId: string,
  changesetId: string,
  version: string,
  viewed: boolean,
  now = Date.now(),
): void {
  const marks = { ...read(userId) };
  const versions = new Set(marks[changesetId]?.versions ?? []);
  if (viewed) versions.add(version);
  else versions.delete(version);
  if (versions.size === 0) delete marks[changesetId];
  else marks[changesetId] = { at: now, versions: [...versions] };
  const kept = Object.entries(marks)
    .sort(([, a], [, b]) => b.at - a.at)
    .slice(0, MAX_CHANGESETS);
  try {
    globalThis.localStorage?.setItem(keyOf(userId), JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // Storage refused: the mark is lost with the page, which is all a viewed mark risks.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The viewed versions of `changesetId` for `userId`, re-rendered when a mark changes. */
export function useViewed(userId: string | null, changesetId: string): ReadonlySet<string> {
  const snapshot = useSyncExternalStore(subscribe, () =>
    userId ? JSON.stringify(read(userId)[changesetId]?.versions ?? []) : '[]',
  );
  return useMemo(() => new Set(JSON.parse(snapshot) as string[]), [snapshot]);
}

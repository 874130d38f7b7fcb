/**
 * Viewed marks (viewed.ts): per user and changeset, per version of a file's patch, bounded, and
 * tolerant of storage that refuses or holds garbage.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CHANGESETS, setViewed, viewedVersions } from './viewed.ts';

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  };
}

describe('viewed marks', () => {
  beforeEach(() => vi.stubGlobal('localStorage', memoryStorage()));
  afterEach(() => vi.unstubAllGlobals());

  it('keeps a mark per user, changeset and patch version, and takes it back', () => {
    setViewed('ann', 'cs1', 'p1:aaaa', true);
    expect([...viewedVersions('ann', 'cs1')]).toEqual(['p1:aaaa']);
    expect(viewedVersions('ann', 'cs1').has('p1:bbbb')).toBe(false);
    expect(viewedVersions('bob', 'cs1').size).toBe(0);
    expect(viewedVersions('ann', 'cs2').size).toBe(0);
    setViewed('ann', 'cs1', 'p1:aaaa', false);
    expect(viewedVersions('ann', 'cs1').size).toBe(0);
  });

  it('keeps the most recently marked changesets only', () => {
    for (let i = 0; i <= MAX_CHANGESETS; i++) setViewed('ann', `cs${i}`, 'v', true, 1_000 + i);
    expect(viewedVersions('ann', 'cs0').size).toBe(0);
    expect(viewedVersions('ann', `cs${MAX_CHANGESETS}`).size).toBe(1);
    expect(viewedVersions('ann', 'cs1').size).toBe(1);
  });

  it('reads garbage or a refusing storage as no marks', () => {
    localStorage.setItem('outpost.review.viewed.ann', '{not json');
    expect(viewedVersions('ann', 'cs1').size).toBe(0);
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    });
    expect(() => setViewed('ann', 'cs1', 'v', true)).not.toThrow();
    expect(viewedVersions('ann', 'cs1').size).toBe(0);
  });
});

/** Tests of renderer/changesets/diff-handle.ts: a reveal asked for while no diff is shown waits for it. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { revealLine, setShown, takePending } from './diff-handle.ts';

afterEach(() => {
  setShown(null, null);
  takePending('a.js');
  takePending('b.js');
});

describe('revealLine', () => {
  it('reveals at once in the file shown', () => {
    const reveal = vi.fn();
    setShown('a.js', reveal);
    revealLine('a.js', 40);
    expect(reveal).toHaveBeenCalledWith(40, 'new');
    expect(takePending('a.js')).toBeNull();
  });

  it('keeps a request made while the diff is being computed, for when it is shown', () => {
    const reveal = vi.fn();
    setShown('a.js', reveal);
    // The model changes: nothing is shown until the new diff is computed.
    setShown(null, null);
    revealLine('a.js', 212, 'old');
    expect(reveal).not.toHaveBeenCalled();
    expect(takePending('a.js')).toEqual({ line: 212, side: 'old' });
    expect(takePending('a.js')).toBeNull();
  });

  it('keeps only the newest request, and only for its own file', () => {
    revealLine('a.js', 1);
    revealLine('b.js', 2);
    expect(takePending('a.js')).toBeNull();
    expect(takePending('b.js')).toEqual({ line: 2, side: 'new' });
  });
});

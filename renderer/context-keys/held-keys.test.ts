import { describe, expect, it } from 'vitest';
import { heldContextKeys, holdContextKey } from './held-keys.ts';

describe('held context keys', () => {
  it('holds a key until released, the latest holder counting', () => {
    const first = holdContextKey('listFocus', true);
    expect(heldContextKeys()['listFocus']).toBe(true);
    const second = holdContextKey('listFocus', false);
    expect(heldContextKeys()['listFocus']).toBe(false);
    second();
    expect(heldContextKeys()['listFocus']).toBe(true);
    first();
    expect('listFocus' in heldContextKeys()).toBe(false);
  });

  it('releases only its own hold, whatever the order', () => {
    const a = holdContextKey('x.key', 'a');
    const b = holdContextKey('x.key', 'b');
    a();
    expect(heldContextKeys()['x.key']).toBe('b');
    a();
    expect(heldContextKeys()['x.key']).toBe('b');
    b();
    expect(heldContextKeys()).toEqual({});
  });
});

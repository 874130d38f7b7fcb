/**
 * preload/port-relay.test.ts: the handshake works in either order, and ports are never delivered
 * before the page asked, twice, or left open when replaced.
 */
import { describe, expect, it } from 'vitest';
import { createPortRelay } from './port-relay.ts';

function port(name: string) {
  return {
    name,
    closed: false,
    close() {
      this.closed = true;
    },
  };
}

describe('createPortRelay', () => {
  it('keeps a port that arrives before the page asks', () => {
    const delivered: string[] = [];
    const relay = createPortRelay<ReturnType<typeof port>>((p) => delivered.push(p.name));
    relay.fromMain(port('a'));
    expect(delivered).toEqual([]);
    relay.pageAsked();
    expect(delivered).toEqual(['a']);
    relay.pageAsked();
    expect(delivered).toEqual(['a']);
  });

  it('forwards at once a port that arrives after the page asked, and every later one', () => {
    const delivered: string[] = [];
    const relay = createPortRelay<ReturnType<typeof port>>((p) => delivered.push(p.name));
    relay.pageAsked();
    relay.fromMain(port('a'));
    relay.fromMain(port('b'));
    expect(delivered).toEqual(['a', 'b']);
  });

  it('closes a kept port that a newer one replaces', () => {
    const delivered: string[] = [];
    const relay = createPortRelay<ReturnType<typeof port>>((p) => delivered.push(p.name));
    const first = port('a');
    relay.fromMain(first);
    relay.fromMain(port('b'));
    expect(first.closed).toBe(true);
    relay.pageAsked();
    expect(delivered).toEqual(['b']);
  });
});

/**
 * The network gate: while the server cannot be reached, requests wait and only probes go out (at most
 * 10 a minute, growing waits capped at 30 s); an answer releases every waiting request at once; the
 * browser's `online` event (or a nudge) probes at once and its `offline` event marks the network down; an aborted request neither waits forever nor marks the
 * network down.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NetworkGate } from './network-gate.ts';

describe('NetworkGate', () => {
  let reachable: boolean;
  let requests: number;
  let probes: number;
  let changes: boolean[];
  let gate: NetworkGate;

  beforeEach(() => {
    vi.useFakeTimers();
    reachable = true;
    requests = 0;
    probes = 0;
    changes = [];
    gate = new NetworkGate({
      fetch: () => {
        requests++;
        return reachable
          ? Promise.resolve(new Response('ok'))
          : Promise.reject(new TypeError('fetch failed'));
      },
      probe: () => {
        probes++;
        return reachable ? Promise.resolve(true) : Promise.reject(new TypeError('fetch failed'));
      },
      onChange: (down) => changes.push(down),
      random: () => 0.5,
    });
  });
  afterEach(() => {
    gate.stop();
    vi.useRealTimers();
  });

  it('holds requests while down, probes at most 10 times a minute, and releases them on an answer', async () => {
    reachable = false;
    await expect(gate.fetch('https://server/v1/shape')).rejects.toThrow('fetch failed');
    expect(gate.isDown).toBe(true);
    expect(changes).toEqual([true]);

    let settled = 0;
    const waiting = Array.from({ length: 98 }, () =>
      gate.fetch('https://server/v1/shape').then(() => settled++),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toBe(1); // only the first one went out
    expect(probes).toBeLessThanOrEqual(10);
    expect(probes).toBeGreaterThanOrEqual(5); // 0.25, 0.5, 1, 2, 4, 8, 16, 30 s
    const firstMinute = probes;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(probes - firstMinute).toBeLessThanOrEqual(4); // capped at one per 30 s

    reachable = true;
    await vi.advanceTimersByTimeAsync(30_000);
    await Promise.all(waiting);
    expect(settled).toBe(98);
    expect(gate.isDown).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('probes at once when nudged, and goes down at once when told the network is gone', async () => {
    gate.markDown();
    expect(gate.isDown).toBe(true);
    const held = gate.fetch('https://server/v1/shape');
    await vi.advanceTimersByTimeAsync(10);
    expect(requests).toBe(0);
    gate.nudge();
    await held;
    expect(probes).toBe(1);
    expect(requests).toBe(1);
    expect(gate.isDown).toBe(false);
  });

  it('follows the runtime’s offline and online events until stopped', async () => {
    const events = new EventTarget();
    const watching = new NetworkGate({
      fetch: () => Promise.resolve(new Response('ok')),
      probe: () => {
        probes++;
        return Promise.resolve(true);
      },
      onChange: (down) => changes.push(down),
      networkEvents: events,
    });
    events.dispatchEvent(new Event('offline'));
    expect(watching.isDown).toBe(true);
    events.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(probes).toBe(1);
    expect(watching.isDown).toBe(false);
    watching.stop();
    events.dispatchEvent(new Event('offline'));
    expect(watching.isDown).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('calls fetch unbound, as a browser requires', async () => {
    const strict = new NetworkGate({
      fetch: function (this: unknown) {
        return this === undefined
          ? Promise.resolve(new Response())
          : Promise.reject(new TypeError('Illegal invocation'));
      },
      probe: () => Promise.resolve(true),
      onChange: () => undefined,
    });
    await expect(strict.fetch('https://server')).resolves.toBeInstanceOf(Response);
    expect(strict.isDown).toBe(false);
  });

  it('lets an aborted request go without marking the network down', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborting = new NetworkGate({
      fetch: (_input, init) =>
        init?.signal?.aborted
          ? Promise.reject(new DOMException('aborted', 'AbortError'))
          : Promise.resolve(new Response()),
      probe: () => Promise.resolve(true),
      onChange: (down) => changes.push(down),
    });
    await expect(aborting.fetch('https://server', { signal: controller.signal })).rejects.toThrow('aborted');
    expect(aborting.isDown).toBe(false);

    gate.markDown();
    const waiting = new AbortController();
    const held = gate.fetch('https://server', { signal: waiting.signal });
    waiting.abort();
    await expect(held).rejects.toThrow();
    aborting.stop();
  });
});

/**
 * main/window/window-state.test.ts: the window-state file (bad files give defaults) and the clamping
 * of restored bounds to the connected displays.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_SIZE,
  parseWindowState,
  readWindowState,
  restoreWindowState,
  writeWindowState,
  type Rectangle,
  type WindowState,
} from './window-state.ts';

const primary: Rectangle = { x: 0, y: 25, width: 1920, height: 1055 };
const right: Rectangle = { x: 1920, y: 0, width: 1280, height: 1024 };
const state = (bounds: Rectangle, maximized = false, fullScreen = false): WindowState => ({
  bounds,
  maximized,
  fullScreen,
});

function inside(bounds: Rectangle, area: Rectangle): boolean {
  return (
    bounds.x >= area.x &&
    bounds.y >= area.y &&
    bounds.x + bounds.width <= area.x + area.width &&
    bounds.y + bounds.height <= area.y + area.height
  );
}

describe('parseWindowState', () => {
  it('accepts a valid state', () => {
    const valid = state({ x: 10, y: 20, width: 1000, height: 700 }, true);
    expect(parseWindowState(JSON.stringify(valid))).toEqual(valid);
  });

  it('rejects anything else', () => {
    for (const text of [
      '',
      '{',
      'null',
      '[]',
      '{"bounds":{"x":0,"y":0,"width":100,"height":100},"maximized":false}',
      '{"bounds":{"x":0,"y":0,"width":0,"height":100},"maximized":false,"fullScreen":false}',
      '{"bounds":{"x":1e9,"y":0,"width":100,"height":100},"maximized":false,"fullScreen":false}',
      '{"bounds":{"x":"0","y":0,"width":100,"height":100},"maximized":false,"fullScreen":false}',
      '{"bounds":{"x":0.5,"y":0,"width":100,"height":100},"maximized":false,"fullScreen":false}',
    ]) {
      expect(parseWindowState(text)).toBeNull();
    }
  });
});

describe('restoreWindowState', () => {
  it('centres the default size on the primary display without a saved state', () => {
    const restored = restoreWindowState(null, [primary, right], primary);
    expect(restored).toEqual({
      bounds: { x: 280, y: 122, width: DEFAULT_WINDOW_SIZE.width, height: DEFAULT_WINDOW_SIZE.height },
      maximized: false,
      fullScreen: false,
    });
  });

  it('keeps a window that is fully visible', () => {
    const saved = state({ x: 2000, y: 50, width: 1000, height: 700 }, true, false);
    expect(restoreWindowState(saved, [primary, right], primary)).toEqual(saved);
  });

  it('moves a window that hangs off its display back inside it', () => {
    const saved = state({ x: 2900, y: 800, width: 1000, height: 700 });
    const restored = restoreWindowState(saved, [primary, right], primary);
    expect(restored.bounds).toEqual({ x: 2200, y: 324, width: 1000, height: 700 });
    expect(inside(restored.bounds, right)).toBe(true);
  });

  it('shrinks a window larger than its display, but not below the minimum where it fits', () => {
    const small: Rectangle = { x: 0, y: 0, width: 1024, height: 700 };
    const restored = restoreWindowState(state({ x: 0, y: 0, width: 3000, height: 2000 }), [small], small);
    expect(restored.bounds).toEqual(small);
    const tiny = restoreWindowState(state({ x: 10, y: 10, width: 200, height: 100 }), [primary], primary);
    expect(tiny.bounds).toMatchObject({ width: 900, height: 600 });
  });

  it('centres on the primary display a window whose display is gone', () => {
    const saved = state({ x: 4000, y: 100, width: 1000, height: 700 }, false, true);
    const restored = restoreWindowState(saved, [primary], primary);
    expect(restored).toEqual({
      bounds: { x: 460, y: 202, width: 1000, height: 700 },
      maximized: false,
      fullScreen: true,
    });
  });

  it('treats a sliver of overlap as hidden', () => {
    const saved = state({ x: -990, y: 100, width: 1000, height: 700 });
    expect(inside(restoreWindowState(saved, [primary], primary).bounds, primary)).toBe(true);
    expect(restoreWindowState(saved, [primary], primary).bounds.x).toBe(460);
  });

  it('picks the display the window overlapped most', () => {
    const saved = state({ x: 1500, y: 100, width: 1000, height: 700 });
    const restored = restoreWindowState(saved, [primary, right], primary);
    expect(inside(restored.bounds, right)).toBe(true);
  });
});

describe('window-state.json', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outpost-window-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips, rounding fractional bounds', async () => {
    const file = path.join(dir, 'sub', 'window-state.json');
    await writeWindowState(file, state({ x: 10.4, y: 20.6, width: 1000, height: 700 }, true));
    expect(await readWindowState(file)).toEqual(state({ x: 10, y: 21, width: 1000, height: 700 }, true));
  });

  it('reads a missing or corrupt file as null', async () => {
    const file = path.join(dir, 'window-state.json');
    expect(await readWindowState(file)).toBeNull();
    await writeFile(file, '{"bounds":');
    expect(await readWindowState(file)).toBeNull();
    expect(await readWindowState(dir)).toBeNull();
  });
});

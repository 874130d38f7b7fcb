/**
 * main/window/window-state.ts: the main window's remembered bounds, maximized and full-screen state
 * (userData/window-state.json), and where to put the window when the displays have changed since.
 *
 * Guarantees: reading never throws: a missing, corrupt or out-of-range file gives the defaults; a
 * restored window lies entirely inside the work area of one connected display (the one it overlapped
 * most), at least the minimum size where that display allows it; a window that would be hidden (its
 * display is gone, or it overlaps by less than a title bar) is centred on the primary display. Writes
 * are atomic (temporary file + rename). No electron import: displays are passed in.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  /** The normal (not maximized, not full-screen) bounds. */
  readonly bounds: Rectangle;
  readonly maximized: boolean;
  readonly fullScreen: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1360, height: 860 } as const;
export const MIN_WINDOW_SIZE = { width: 900, height: 600 } as const;
/** How much of a window must overlap a display to count as visible there (a grabbable title bar). */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

const coordinate = z.number().int().min(-100_000).max(100_000);
const length = z.number().int().min(1).max(100_000);
const WindowStateSchema = z.object({
  bounds: z.object({ x: coordinate, y: coordinate, width: length, height: length }),
  maximized: z.boolean(),
  fullScreen: z.boolean(),
});

/** The saved state, or null when the text is not a valid window state. */
export function parseWindowState(text: string): WindowState | null {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function intersection(a: Rectangle, b: Rectangle): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

function fitSize(
  size: { width: number; height: number },
  area: Rectangle,
): { width: number; height: number } {
  return {
    width: Math.min(area.width, Math.max(MIN_WINDOW_SIZE.width, size.width)),
    height: Math.min(area.height, Math.max(MIN_WINDOW_SIZE.height, size.height)),
  };
}

function centred(size: { width: number; height: number }, area: Rectangle): Rectangle {
  const fitted = fitSize(size, area);
  return {
    ...fitted,
    x: area.x + Math.floor((area.width - fitted.width) / 2),
    y: area.y + Math.floor((area.height - fitted.height) / 2),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/**
 * Where the window opens: the saved state moved inside the display it overlapped most, or the default
 * size centred on the primary display. `workAreas` are the connected displays' work areas.
 */
export function restoreWindowState(
  saved: WindowState | null,
  workAreas: readonly Rectangle[],
  primaryWorkArea: Rectangle,
): WindowState {
  const fallback: WindowState = {
    bounds: centred(DEFAULT_WINDOW_SIZE, primaryWorkArea),
    maximized: false,
    fullScreen: false,
  };
  if (!saved) return fallback;
  let best: { area: Rectangle; overlap: number } | null = null;
  for (const area of workAreas) {
    const { width, height } = intersection(saved.bounds, area);
    if (width < MIN_VISIBLE.width || height < MIN_VISIBLE.height) continue;
    if (!best || width * height > best.overlap) best = { area, overlap: width * height };
  }
  const flags = { maximized: saved.maximized, fullScreen: saved.fullScreen };
  if (!best) return { ...flags, bounds: centred(saved.bounds, primaryWorkArea) };
  const { area } = best;
  const size = fitSize(saved.bounds, area);
  return {
    ...flags,
    bounds: {
      ...size,
      x: clamp(saved.bounds.x, area.x, area.x + area.width - size.width),
      y: clamp(saved.bounds.y, area.y, area.y + area.height - size.height),
    },
  };
}

/** Reads userData/window-state.json; null when missing or invalid (never throws). */
export async function readWindowState(file: string): Promise<WindowState | null> {
  try {
    return parseWindowState(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Writes the state atomically; the caller decides what a failure means (main logs and goes on). */
export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const { x, y, width, height } = state.bounds;
  const rounded = {
    ...state,
    bounds: { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) },
  };
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(WindowStateSchema.parse(rounded)));
  await rename(temp, file);
}

/**
 * renderer/workspaces/run-text.ts: a run's state and duration in words (pure).
 */

const STATES: Readonly<Record<string, string>> = {
  queued: 'Queued',
  running: 'Running',
  passed: 'Passed',
  failed: 'Failed',
  error: 'Could not run',
  cancelled: 'Cancelled',
};

/** "Queued", "Passed", "Could not run"; a queued run still on this device waits for the network. */
export function runStateText(state: string, waitsForNetwork: boolean): string {
  if (state === 'queued' && waitsForNetwork) return 'Queued · waits for the network';
  return STATES[state] ?? state;
}

/** "850 ms", "12.4 s", "3 min 5 s" between two timestamps; null until both are known. */
export function durationText(startedAt: string | null, finishedAt: string | null): string | null {
  if (!startedAt || !finishedAt) return null;
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

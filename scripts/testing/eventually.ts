/**
 * scripts/testing/eventually.ts: waits until an asynchronous condition holds, polling every 50 ms;
 * fails with "timed out waiting for <what>" after `timeoutMs`.
 */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The seeded workspaces' Jest test passes in the server's run sandbox (sync-server/workspaces/
 * jest-run.ts), so a Jest run of a seeded workspace (e2e/runs.spec.ts) has something true to show.
 */
import { describe, expect, it } from 'vitest';
import { runJestTests } from '../../../sync-server/workspaces/jest-run.ts';
import { DEFAULT_LIMITS, sandboxAvailable } from '../../../sync-server/workspaces/sandbox.ts';
import { Rng } from './random.ts';
import { initialParams, PROJECT_FILES } from './suitescript.ts';

describe.runIf(sandboxAvailable())('the seeded Jest test', { timeout: 120_000 }, () => {
  it('passes in the run sandbox, with and without the credit hold check', async () => {
    const initial = initialParams(Rng.stream(1, 'workspaces:acme'), 'acme');
    for (const checkCreditHold of [false, true]) {
      const params = { ...initial, checkCreditHold, maxDiscountPct: checkCreditHold ? 10 : 25 };
      const files = PROJECT_FILES.map((f) => ({ path: f.path, content: f.render(params, 'acme') }));
      const outcome = await runJestTests(files, DEFAULT_LIMITS);
      expect(outcome.stdout).toMatch(/Tests: [34] passed, 0 failed/);
      expect(outcome.event).toBe('pass');
    }
  });
});

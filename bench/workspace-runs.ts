/**
 * bench/workspace-runs.ts: what a run of record costs on the server, without the database: the seeded
 * workspace's Jest tests in the run sandbox (a process under prlimit and unshare with Node's permission
 * model, Jest 30 with the SuiteCloud stubs), and the server-side validate of the same files.
 *
 *   npx tsx bench/workspace-runs.ts [--rounds 3]
 *
 * Prints JSON: per step the median and the maximum ms over the rounds, and the tests counted.
 */
import { performance } from 'node:perf_hooks';
import { Rng } from '../scripts/db/seed/random.ts';
import { initialParams, PROJECT_FILES } from '../scripts/db/seed/suitescript.ts';
import { runJestTests } from '../sync-server/workspaces/jest-run.ts';
import { validateOnServer } from '../sync-server/workspaces/run-checks.ts';

const i = process.argv.indexOf('--rounds');
const rounds = i > 0 ? Number(process.argv[i + 1] ?? 3) : 3;
const params = initialParams(Rng.stream(1, 'workspaces:acme'), 'acme');
const files = PROJECT_FILES.map((f) => ({ path: f.path, content: f.render(params, 'acme') }));

const jest: number[] = [];
const validate: number[] = [];
let tests: unknown = null;
for (let r = 0; r < rounds; r++) {
  let t = performance.now();
  const outcome = await runJestTests(files);
  jest.push(performance.now() - t);
  if (outcome.event !== 'pass') throw new Error(`the seeded tests did not pass: ${outcome.stderr}`);
  tests = outcome.report['tests'];
  t = performance.now();
  validateOnServer(files);
  validate.push(performance.now() - t);
}
const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    median_ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    max_ms: Math.round(sorted.at(-1) ?? 0),
  };
};
console.log(
  JSON.stringify(
    { rounds, files: files.length, tests, jest_run: stats(jest), validate_on_server: stats(validate) },
    null,
    2,
  ),
);

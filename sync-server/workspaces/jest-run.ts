/**
 * sync-server/workspaces/jest-run.ts: a workspace's own Jest tests (`*.test.js`, anywhere; other files
 * under `__tests__/` are helpers) against the `@oracle/suitecloud-unit-testing` stubs of the `N/*` modules, in the
 * sandbox (sandbox.ts).
 *
 *   fresh temp dir ─► the workspace's files under ws/ ─► jest.config.json beside it (Jest looks for a
 *   config from its cwd up; finding it there it never looks outside the dir) (SuiteCloud's moduleNameMapper for
 *   N/*, its AMD-to-CommonJS Babel transform without config-file lookups, a reporter that writes one
 *   line per test to stdout) ─► jest --runInBand --ci --json --outputFile in the sandbox
 *   ─► pass (every test passed) | fail (a test failed, a suite did not run, or a limit ended it)
 *      | crash (no tests, no sandbox here) ─► the temp dir is removed
 *
 * Guarantees: the workspace's paths are written only inside the temp dir's ws/ (a path with `..` or
 * an absolute path is refused), apart from the runner's own files; the config is built here,
 * outside the sandbox, so the child reads only its dir and the test framework.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { WorkspaceFileText } from '../../common/workspaces/validate.ts';
import { DEFAULT_LIMITS, runSandboxed, sandboxAvailable, type SandboxLimits } from './sandbox.ts';
import type { CheckOutcome } from './run-checks.ts';

const require = createRequire(import.meta.url);
/** The node_modules the test framework lives in (the sandbox may read it). */
const NODE_MODULES = resolve(dirname(require.resolve('jest/package.json')), '..');
const REPO_ROOT = dirname(NODE_MODULES);

const TEST_FILE = /\.test\.js$/;

const REPORTER = `class OutpostLines {
  onTestResult(_test, result) {
    for (const t of result.testResults)
      process.stdout.write((t.status === 'passed' ? 'PASS ' : t.status === 'failed' ? 'FAIL ' : 'SKIP ') + t.fullName + ' (' + (t.duration ?? 0) + ' ms)\\n');
    if (result.failureMessage) process.stdout.write(result.failureMessage + '\\n');
  }
  onRunComplete(_contexts, r) {
    process.stdout.write('\\nTests: ' + r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed, ' + r.numTotalTests + ' total\\n');
  }
}
module.exports = OutpostLines;
`;

function transformSource(): string {
  const at = (m: string) => JSON.stringify(require.resolve(m));
  return `module.exports = require(${at('babel-jest')}).default.createTransformer({
  babelrc: false, configFile: false,
  presets: [require(${at('@babel/preset-env')})],
  plugins: [require(${at('babel-plugin-transform-amd-to-commonjs')})],
});
`;
}

export function jestConfig(dir: string): Record<string, unknown> {
  const suitecloud =
    require('@oracle/suitecloud-unit-testing/jest-configuration/SuiteCloudJestConfiguration.js') as {
      build(options: {
        projectFolder: string;
        projectType: string;
        rootDir: string;
      }): Record<string, unknown>;
      ProjectType: { ACP: string };
    };
  const base = suitecloud.build({
    projectFolder: '.',
    projectType: suitecloud.ProjectType.ACP,
    rootDir: REPO_ROOT,
  });
  return {
    ...base,
    rootDir: join(dir, 'ws'),
    roots: [join(dir, 'ws')],
    testMatch: ['**/*.test.js'],
    transform: { '^.+\\.js$': join(dir, '.outpost-transform.cjs') },
    reporters: ['default', join(dir, '.outpost-reporter.cjs')],
    cacheDirectory: join(dir, '.outpost-cache'),
    watchman: false,
    haste: { forceNodeFilesystemAPI: true },
  };
}

/** Writes the files under dir/ws; a path that would leave it is refused. */
async function writeWorkspace(dir: string, files: readonly WorkspaceFileText[]): Promise<void> {
  for (const file of files) {
    if (file.path.startsWith('/') || file.path.split('/').includes('..'))
      throw new Error(`refused path ${JSON.stringify(file.path)}`);
    const target = join(dir, 'ws', file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
}

interface JestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numRuntimeErrorTestSuites: number;
  success: boolean;
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: {
      fullName: string;
      status: string;
      duration?: number | null;
      failureMessages: string[];
    }[];
  }[];
}

export async function runJestTests(
  files: readonly WorkspaceFileText[],
  limits: SandboxLimits = DEFAULT_LIMITS,
): Promise<CheckOutcome> {
  const tests = files.filter((f) => TEST_FILE.test(f.path)).map((f) => f.path);
  if (tests.length === 0) return crash('This workspace has no Jest tests (files named *.test.js).');
  if (!sandboxAvailable())
    return crash('The run sandbox is not available on this server (prlimit and user namespaces are needed).');
  const dir = await mkdtemp(join(tmpdir(), 'outpost-run-'));
  try {
    await writeWorkspace(dir, files);
    await writeFile(join(dir, '.outpost-transform.cjs'), transformSource());
    await writeFile(join(dir, '.outpost-reporter.cjs'), REPORTER);
    await writeFile(join(dir, 'jest.config.json'), JSON.stringify(jestConfig(dir)));
    const out = join(dir, '.outpost-result.json');
    const result = await runSandboxed({
      dir,
      readable: [NODE_MODULES],
      args: [
        join(NODE_MODULES, 'jest/bin/jest.js'),
        '--config',
        join(dir, 'jest.config.json'),
        '--runInBand',
        '--ci',
        '--json',
        `--outputFile=${out}`,
      ],
      limits,
    });
    const json = await readFile(out, 'utf8').then(
      (text) => JSON.parse(text) as JestJson,
      () => null,
    );
    const passed = result.limit === null && result.exitCode === 0 && json !== null && json.success;
    const reason =
      result.limit !== null
        ? `The tests were stopped by the sandbox's ${result.limit.replace('_', ' ')} limit.`
        : passed
          ? null
          : json === null
            ? 'Jest ended without a result.'
            : `${json.numFailedTests} test(s) failed, ${json.numRuntimeErrorTestSuites} suite(s) could not run.`;
    return {
      event: passed ? 'pass' : 'fail',
      stdout: result.stdout,
      stderr: result.stderr,
      report: {
        reason,
        limit: result.limit,
        exit_code: result.exitCode,
        signal: result.signal,
        duration_ms: result.durationMs,
        limits,
        test_files: tests,
        tests: json && {
          total: json.numTotalTests,
          passed: json.numPassedTests,
          failed: json.numFailedTests,
        },
        suites: (json?.testResults ?? []).map((s) => ({
          file: s.name.startsWith(`${dir}/ws/`) ? s.name.slice(dir.length + 4) : s.name,
          status: s.status,
          ...(s.message ? { message: s.message } : {}),
          tests: s.assertionResults.map((t) => ({
            name: t.fullName,
            status: t.status,
            duration_ms: t.duration ?? null,
            failures: t.failureMessages,
          })),
        })),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function crash(reason: string): CheckOutcome {
  return { event: 'crash', stdout: '', stderr: `${reason}\n`, report: { reason } };
}

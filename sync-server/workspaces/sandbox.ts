/**
 * sync-server/workspaces/sandbox.ts: runs untrusted workspace code (a workspace's Jest tests) in a
 * separate Node process with limits, on Linux.
 *
 *   prlimit --cpu=<s> --as=<bytes> --nofile=256 --core=0 --       RLIMIT_CPU, RLIMIT_AS (whole process)
 *     unshare --user --map-root-user --net --                     an empty network namespace: no route,
 *                                                                 not even to the host's 127.0.0.1
 *       node --experimental-permission                            Node's permission model: reads only
 *            --allow-fs-read=<dir>/* <readable>/*                 the run's dir and the test framework,
 *            --allow-fs-write=<dir>/*                             writes only the run's dir; no child
 *            --allow-addons                                       processes, no worker threads
 *            --max-old-space-size=<MB> <script> <args>
 *   env: PATH, TMPDIR=HOME=<dir>, NODE_ENV=test, CI=1 only (no server secrets)
 *   the parent: a wall-clock timer and an output cap kill the whole process group (SIGKILL)
 *
 * Guarantees: the child never outlives `wallMs`; stdout and stderr are each cut at `outputBytes`
 * (the child is killed when either is exceeded); `limit` says which limit ended it (wall_time,
 * cpu_time, memory, output) or null when it exited by itself. The caller owns `dir` (a fresh temp
 * dir) and removes it.
 *
 * Security notes (docs/security.md, "The run sandbox"): --allow-addons is needed because Jest 30
 * resolves modules with a native addon (unrs-resolver); Node warns that an addon can leave the
 * permission model, so a test that writes and loads its own addon escapes the file-system rule (not
 * the network namespace, the rlimits or the clean environment). `sandboxAvailable()` checks that
 * prlimit and user+network namespaces work here; without them no run starts.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface SandboxLimits {
  /** CPU seconds (RLIMIT_CPU: SIGKILL when reached). */
  readonly cpuSeconds: number;
  /** Address space in bytes (RLIMIT_AS). */
  readonly memoryBytes: number;
  /** V8 heap in MB (--max-old-space-size), below memoryBytes. */
  readonly heapMb: number;
  /** Wall time in ms: the parent kills the process group. */
  readonly wallMs: number;
  /** Cap of each of stdout and stderr, in bytes. */
  readonly outputBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  cpuSeconds: 60,
  memoryBytes: 4 * 1024 ** 3,
  heapMb: 512,
  wallMs: 120_000,
  outputBytes: 1024 * 1024,
};

export type SandboxLimit = 'wall_time' | 'cpu_time' | 'memory' | 'output';

export interface SandboxResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The limit that ended the child, or null when it exited by itself. */
  readonly limit: SandboxLimit | null;
  readonly durationMs: number;
}

export interface SandboxRequest {
  /** The run's own directory: readable and writable, the child's cwd. */
  readonly dir: string;
  /** Other directories the child may read (the test framework's node_modules). */
  readonly readable: readonly string[];
  /** The script and its arguments, after the node flags. */
  readonly args: readonly string[];
  readonly limits: SandboxLimits;
}

let available: boolean | null = null;

/** Whether prlimit and an unprivileged user + network namespace work on this machine (checked once). */
export function sandboxAvailable(): boolean {
  available ??=
    spawnSync('prlimit', ['--cpu=1', '--', 'unshare', '--user', '--map-root-user', '--net', '--', 'true'], {
      stdio: 'ignore',
      timeout: 10_000,
    }).status === 0;
  return available;
}

const MEMORY_SIGNS = /heap out of memory|Allocation failed|Cannot allocate memory|std::bad_alloc/;

export function runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
  const { dir, limits } = request;
  const nodeArgs = [
    '--experimental-permission',
    `--allow-fs-read=${dir}/*`,
    ...request.readable.map((r) => `--allow-fs-read=${r}/*`),
    `--allow-fs-write=${dir}/*`,
    '--allow-addons',
    '--no-warnings',
    `--max-old-space-size=${limits.heapMb}`,
    ...request.args,
  ];
  const started = performance.now();
  const child = spawn(
    'prlimit',
    [
      `--cpu=${limits.cpuSeconds}`,
      `--as=${limits.memoryBytes}`,
      '--nofile=256',
      '--core=0',
      '--',
      'unshare',
      '--user',
      '--map-root-user',
      '--net',
      '--',
      process.execPath,
      ...nodeArgs,
    ],
    {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', TMPDIR: dir, HOME: dir, NODE_ENV: 'test', CI: '1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let limit: SandboxLimit | null = null;
  const kill = (why: SandboxLimit) => {
    limit ??= why;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const capture = (stream: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (size >= limits.outputBytes) return;
      const room = limits.outputBytes - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size >= limits.outputBytes) kill('output');
    });
    return () => Buffer.concat(chunks).toString('utf8');
  };
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  const timer = setTimeout(() => kill('wall_time'), limits.wallMs);
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const err = stderr();
      const bySignal = signal ?? (exitCode !== null && exitCode > 128 ? signalOf(exitCode - 128) : null);
      if (limit === null && bySignal !== null)
        limit = bySignal === 'SIGABRT' || MEMORY_SIGNS.test(err) ? 'memory' : 'cpu_time';
      else if (limit === null && MEMORY_SIGNS.test(err)) limit = 'memory';
      resolve({
        exitCode,
        signal: bySignal,
        stdout: stdout(),
        stderr: err,
        limit,
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}

/** The signal of a shell-style exit status 128 + n (unshare passes its child's death on that way). */
function signalOf(n: number): NodeJS.Signals | null {
  const names: Readonly<Record<number, NodeJS.Signals>> = { 6: 'SIGABRT', 9: 'SIGKILL', 24: 'SIGXCPU' };
  return names[n] ?? null;
}

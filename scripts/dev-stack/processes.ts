/**
 * scripts/dev-stack/processes.ts: the child processes of `npm start` and the order they stop in.
 *
 *   startChild(name, command, args) ─► own process group, stdin closed, output to our terminal
 *   StopRequest: the first reason to stop wins (Ctrl+C, SIGTERM, a child that died, a failed step)
 *   Teardown: cleanups run last-added-first, one after the other, each awaited, exactly once
 *
 * Why process groups: Ctrl+C in a terminal signals the whole foreground group at once, which would
 * stop the sync server while the app still talks to it. Each child runs in a group of its own
 * (`detached`), so only this process receives Ctrl+C and stops the children in order; stopping a
 * child signals its whole group, so grandchildren (Electron under electron-vite) go too. A child's
 * stdin is closed: a background group reading the terminal would be stopped by SIGTTIN.
 * Guarantee: if this process exits while a child is still running (a bug, an uncaught error), the
 * child's group is killed on the way out, so nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export const describeExit = (exit: ChildExit): string =>
  exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

export class ManagedChild {
  readonly exited: Promise<ChildExit>;
  private exitInfo: ChildExit | undefined;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined;
  }

  /** SIGTERM to the child's group; SIGKILL after `graceMs`; resolves once the child has exited. */
  async stop(graceMs = 10_000): Promise<ChildExit> {
    if (!this.isRunning) return this.exited;
    signalGroup(this.child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.child, 'SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    signalGroup(this.child, 'SIGTERM'); // whatever of its group is left (e.g. a helper process)
    return exit;
  }

  kill(): void {
    signalGroup(this.child, 'SIGKILL');
  }
}

export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): ManagedChild {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const child of running) signalGroup(child, 'SIGKILL');
    });
  }
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('error', (error) => console.error(`outpost: could not start ${name}: ${error.message}`));
  return new ManagedChild(name, child);
}

export type StopReason =
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'child-exited'; readonly name: string; readonly exit: ChildExit };

/** The first reason to stop; `promise` resolves with it. */
export class StopRequest {
  reason: StopReason | undefined;
  readonly promise: Promise<StopReason>;
  private resolve!: (reason: StopReason) => void;

  constructor() {
    this.promise = new Promise((resolve) => (this.resolve = resolve));
  }

  request(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.resolve(reason);
  }

  /** Stop when `child` exits on its own (not because the teardown stopped it). */
  watch(child: ManagedChild): void {
    void child.exited.then((exit) => this.request({ kind: 'child-exited', name: child.name, exit }));
  }
}

/** Thrown by a startup step that noticed a stop request. */
export class StopRequestedError extends Error {
  constructor() {
    super('stopped before the stack was up');
    this.name = 'StopRequestedError';
  }
}

/** `work`, unless a stop is requested first (then StopRequestedError). */
export async function unlessStopped<T>(stop: StopRequest, work: Promise<T>): Promise<T> {
  if (stop.reason) throw new StopRequestedError();
  return Promise.race([
    work,
    stop.promise.then(() => {
      throw new StopRequestedError();
    }),
  ]);
}

export class Teardown {
  private readonly steps: { readonly name: string; readonly run: () => Promise<void> }[] = [];
  private done: Promise<boolean> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  /** Runs every step, last added first; resolves false if any failed (each failure is logged). */
  run(): Promise<boolean> {
    this.done ??= (async () => {
      let ok = true;
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          ok = false;
          this.log(`could not stop ${step.name}: ${(error as Error).message}`);
        }
      }
      return ok;
    })();
    return this.done;
  }
}

/**
 * bench/process-memory.ts: this process's memory after full garbage collections, for benchmarks that
 * measure what an idle client or shape costs a server process (the difference of two measurements).
 * Exposes gc at run time if the process was not started with --expose-gc.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

export async function measureMemory(): Promise<Memory> {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

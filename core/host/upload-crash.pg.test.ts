/**
 * A kill during upload causes no duplicate and no loss: the real-server sibling of
 * core/outbox/crash.pglite.test.ts. A child process runs the engine in its Node host on a data
 * directory, writes workflows through the RPC as a UI does (`table.write`) and reports each write the
 * engine accepted, while the engine's own uploader sends the outbox to the real gated sync server
 * (POST /v1/mutations) on a seeded throwaway Postgres. The test kills the child with SIGKILL at varied
 * moments: during the first sign-in's initial sync, right after a resume, while many writes are pending,
 * right after a burst, while a batch is in flight (often applied, its answer lost), while an answer is
 * being applied to the outbox. After every kill a new host on the same directory (taking the stale lock over)
 * resumes, drains the outbox, and the central database holds every accepted write exactly once, never a
 * name twice, and nothing the child never attempted.
 *
 *   round n:  child: startNodeHost ─► signIn (first) / resume ─► loop { table.write crash-<i>; print }
 *             parent: SIGKILL a random delay (seeded; UPLOAD_CRASH_SEED) after the round's trigger:
 *                     N writes accepted, a batch of k in flight, an answer being applied
 *             parent: startNodeHost(same dir) ─► resume ─► sync.retry ─► writes.list empty
 *                     ─► central: each accepted name once, others at most once ─► (next round) close
 *   end:      the last host's local view shows each accepted row once
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../common/rpc/client.ts';
import { DEMO_PASSWORD, follow } from '../../scripts/testing/engine-contract.ts';
import { gatedWithWrites } from '../../scripts/testing/gated.ts';
import { migratedPGliteDump, migrationFiles } from '../../scripts/testing/migrated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import { startNodeHost, type NodeHost } from './node-host.ts';
import { seededRandom } from '../../scripts/testing/seeded-random.ts';

const root = path.resolve(import.meta.dirname, '../..');
const moduleUrl = (file: string) => pathToFileURL(path.join(root, file)).href;
const ENGINE_TIMING = { statusIntervalMs: 100, uploadPollMs: 50, uploadRetryBaseMs: 25 };
const ACCOUNT = { email: 'admin@acme.test', password: DEMO_PASSWORD, tenant: 'acme' };

/**
 * The child: the engine in its Node host, signed in (first run) or resumed, writing crash-<i> from
 * `first` on, in bursts of `burst` writes with `pauseMs` between them (0: no pause). It prints
 * `writing <name>` before and `accepted <name>` after each call (stdout to a pipe is synchronous on
 * Linux, so a printed line was written before the kill).
 */
const CHILD = `
const { startNodeHost } = await import(${JSON.stringify(moduleUrl('core/host/node-host.ts'))});
const { loadMigrationFiles } = await import(${JSON.stringify(moduleUrl('scripts/db/migration-files.ts'))});
const [dataDir, serverUrl, firstArg, start, synced, burstArg, pauseArg] = process.argv.slice(-7);
const first = Number(firstArg), burst = Number(burstArg), pauseMs = Number(pauseArg);
const initial = start === 'sign-in'
  ? { initialDataDir: (await import(${JSON.stringify(moduleUrl('scripts/testing/migrated.ts'))})).migratedPGliteDump.bind(null, 'local') }
  : {};
const host = await startNodeHost({ dataDir, migrations: await loadMigrationFiles(), ...initial, ...${JSON.stringify(ENGINE_TIMING)} });
const client = host.connect();
if (start === 'sign-in') await client.call('session.signIn', { serverUrl, ...${JSON.stringify(ACCOUNT)} });
else await client.call('session.resume', undefined);
client.subscribe('writes.list', undefined, (list) => {
  const uploading = list.filter((w) => w.status === 'uploading').length;
  const reason = list.find((w) => w.retryReason)?.retryReason ?? '';
  process.stdout.write('outbox ' + (list.length - uploading) + ' pending ' + uploading + ' uploading ' + reason.slice(0, 200) + '\\n');
});
if (synced === 'synced')
  await new Promise((resolve) => client.subscribe('sync.status', undefined, (s) => s.state === 'up-to-date' && resolve()));
process.stdout.write('ready\\n');
for (let i = first; ; i++) {
  process.stdout.write('writing crash-' + i + '\\n');
  await client.call('table.write', { table: 'workflows', op: 'insert', values: { name: 'crash-' + i } });
  process.stdout.write('accepted crash-' + i + '\\n');
  if (burst > 0 && (i - first + 1) % burst === 0) await new Promise((r) => setTimeout(r, pauseMs));
}
`;

/** When the parent kills the child (counted from `ready`, after the child's sign-in or resume). */
type KillTrigger =
  /** Once this many writes were accepted (0: at `ready`). */
  | { readonly kind: 'accepted'; readonly n: number }
  /** Once the child's outbox shows a batch of at least `size` mutations being uploaded. */
  | { readonly kind: 'batch-in-flight'; readonly size: number }
  /** Once the child starts applying an answer (the number of uploading mutations goes down). */
  | { readonly kind: 'answer' };

interface KillPlan {
  readonly name: string;
  readonly trigger: KillTrigger;
  /** The kill comes a random delay in [min, max) ms after the trigger. */
  readonly delayMs: readonly [number, number];
  /** Writes in bursts of `burst` with `pauseMs` between them (default: no pause). */
  readonly burst?: number;
  readonly pauseMs?: number;
  /** Start writing at once, while the (initial or catch-up) sync runs; else only once up to date. */
  readonly duringSync?: boolean;
}

const PLANS: readonly KillPlan[] = [
  {
    name: 'early, during the first sign-in and its initial sync',
    trigger: { kind: 'accepted', n: 3 },
    delayMs: [10, 80],
    duringSync: true,
  },
  {
    name: 'right after a resume, its token refresh and catch-up sync in flight',
    trigger: { kind: 'accepted', n: 0 },
    delayMs: [20, 150],
    duringSync: true,
  },
  { name: 'while many writes are pending', trigger: { kind: 'accepted', n: 40 }, delayMs: [50, 300] },
  {
    name: 'right after a burst',
    trigger: { kind: 'accepted', n: 30 },
    delayMs: [0, 30],
    burst: 15,
    pauseMs: 600,
  },
  {
    name: 'while a batch is in flight',
    trigger: { kind: 'batch-in-flight', size: 3 },
    delayMs: [100, 700],
    burst: 5,
    pauseMs: 100,
  },
  {
    name: 'while an answer is being applied',
    trigger: { kind: 'answer' },
    delayMs: [0, 20],
    burst: 4,
    pauseMs: 50,
  },
  {
    name: 'in the pause after a burst',
    trigger: { kind: 'accepted', n: 20 },
    delayMs: [60, 250],
    burst: 20,
    pauseMs: 800,
  },
  { name: 'while writing without pause, again', trigger: { kind: 'accepted', n: 60 }, delayMs: [10, 120] },
];

interface ChildRun {
  readonly accepted: string[];
  readonly attempted: string[];
  /** Milliseconds from `ready` to the kill. */
  readonly killedAfterReadyMs: number;
  /** The child's outbox as last reported before the kill: pending and uploading. */
  readonly lastOutbox: { pending: number; uploading: number };
  /** Answers the child applied (times the uploading count went down). */
  readonly answers: number;
  /** The trigger never came; the child was killed 30 s after `ready`. */
  readonly fallback: boolean;
}

/** Runs the child until the plan kills it; returns what it attempted and what it reported accepted. */
async function runChild(
  args: { dataDir: string; serverUrl: string; first: number; signIn: boolean },
  plan: KillPlan,
  random: () => number,
): Promise<ChildRun> {
  const accepted: string[] = [];
  const attempted: string[] = [];
  let lastOutbox = { pending: 0, uploading: 0 };
  let answers = 0;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      CHILD,
      args.dataDir,
      args.serverUrl,
      String(args.first),
      args.signIn ? 'sign-in' : 'resume',
      plan.duringSync ? 'syncing' : 'synced',
      String(plan.burst ?? 0),
      String(plan.pauseMs ?? 0),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let ready = 0;
  let killedAt = 0;
  let scheduled = false;
  let fallback = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    const [min, max] = plan.delayMs;
    setTimeout(
      () => {
        killedAt = Date.now();
        child.kill('SIGKILL');
      },
      min + random() * (max - min),
    );
  };
  const trigger = plan.trigger;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const outbox = /^outbox (\d+) pending (\d+) uploading/.exec(line);
      if (outbox) {
        const now = { pending: Number(outbox[1]), uploading: Number(outbox[2]) };
        if (now.uploading < lastOutbox.uploading) {
          answers++;
          if (trigger.kind === 'answer' && ready) schedule();
        }
        if (trigger.kind === 'batch-in-flight' && ready && now.uploading >= trigger.size) schedule();
        lastOutbox = now;
      }
      if (line.startsWith('writing ')) attempted.push(line.slice('writing '.length));
      if (line.startsWith('accepted ')) accepted.push(line.slice('accepted '.length));
      if (line === 'ready') {
        ready = Date.now();
        // Should the trigger never come (uploads stalled), the round still ends, and says so.
        setTimeout(() => {
          if (scheduled) return;
          fallback = true;
          schedule();
        }, 30_000);
      }
      if (trigger.kind === 'accepted' && ready && accepted.length === trigger.n) schedule();
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  if (child.signalCode !== 'SIGKILL') throw new Error(`child exited on its own (${code}): ${stderr}`);
  return { accepted, attempted, killedAfterReadyMs: killedAt - ready, lastOutbox, answers, fallback };
}

describe('a kill during upload', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  let dataDir = '';
  let host: NodeHost | null = null;
  let client: RpcClient | null = null;
  const seed = Number(process.env['UPLOAD_CRASH_SEED'] ?? Date.now() % 1_000_000);
  const random = seededRandom(seed);
  const accepted: string[] = [];
  const attempted = new Set<string>();
  let next = 0;
  const reSignIns: string[] = [];

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('uploadcrash', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, { auth: gatedWithWrites() });
    dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-upload-crash-'));
    console.log(`upload-crash: seed ${seed} (UPLOAD_CRASH_SEED=${seed} replays the schedule)`);
  }, 180_000);

  afterAll(async () => {
    await host?.close().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  /** crash-* names on the central database, with how often each appears. */
  async function centralCounts(): Promise<Map<string, number>> {
    const { rows } = await seeded.client.query<{ name: string; n: number }>(
      `SELECT name, count(*)::int AS n FROM workflows WHERE name LIKE 'crash-%' GROUP BY name`,
    );
    return new Map(rows.map((r) => [r.name, r.n]));
  }

  /**
   * Opens a new host on the directory (the killed child's lock is stale), resumes and waits until the
   * outbox is drained. A refresh token rotated on the server but not saved before the kill ends the
   * session (sign-in-required): then it signs in again (same account, same database) and notes it.
   */
  async function reopenAndDrain(round: string): Promise<{ pendingAtStart: number }> {
    host = await startNodeHost({
      dataDir,
      migrations: await migrationFiles(),
      initialDataDir: () => migratedPGliteDump('local'),
      ...ENGINE_TIMING,
    });
    const c = host.connect();
    client = c;
    await c.call('session.resume', undefined);
    await c.call('sync.retry', undefined);
    const writes = follow(c, 'writes.list', undefined);
    const status = follow(c, 'sync.status', undefined);
    try {
      const first = await writes.until(() => true);
      const started = Date.now();
      let signedInAgain = false;
      for (;;) {
        const list = writes.latest ?? [];
        const rejected = list.filter((w) => w.status === 'rejected');
        if (rejected.length > 0)
          throw new Error(`${round}: the server refused writes: ${JSON.stringify(rejected).slice(0, 800)}`);
        if (list.length === 0) break;
        if (status.latest?.state === 'sign-in-required' && !signedInAgain) {
          signedInAgain = true;
          reSignIns.push(round);
          console.log(`upload-crash: ${round}: the saved session was refused; signing in again`);
          await c.call('session.signIn', { serverUrl: sync.server.url, ...ACCOUNT });
        }
        if (Date.now() - started > 180_000)
          throw new Error(
            `${round}: the outbox did not drain: ${JSON.stringify(list).slice(0, 800)}; status ${JSON.stringify(status.latest).slice(0, 400)}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
      return { pendingAtStart: first.length };
    } finally {
      writes.stop();
      status.stop();
    }
  }

  it.each(PLANS.map((plan, index) => [plan.name, plan, index] as const))(
    'keeps every accepted write exactly once after a kill %s',
    async (_name, plan, index) => {
      const round = `round ${index + 1}`;
      await host?.close();
      host = null;
      client = null;
      const t0 = Date.now();
      const run = await runChild(
        { dataDir, serverUrl: sync.server.url, first: next, signIn: index === 0 },
        plan,
        random,
      );
      // What the server had of this round's writes at the kill (an answer may have been lost).
      const atKill = await centralCounts();
      const appliedAtKill = run.attempted.filter((name) => atKill.has(name)).length;
      accepted.push(...run.accepted);
      for (const name of run.attempted) attempted.add(name);
      const numbers = run.attempted.map((n) => Number(n.slice('crash-'.length)));
      next = Math.max(next, ...numbers.map((n) => n + 1));
      const t1 = Date.now();
      const { pendingAtStart } = await reopenAndDrain(round);
      const counts = await centralCounts();
      const summary =
        `${round} (${plan.name}): killed ${run.killedAfterReadyMs} ms after ready` +
        `${run.fallback ? ' (trigger never came)' : ''}; ${run.accepted.length} accepted / ` +
        `${run.attempted.length} attempted; child outbox at the kill ${run.lastOutbox.pending} pending + ` +
        `${run.lastOutbox.uploading} uploading after ${run.answers} answers; ${appliedAtKill} of the round's ` +
        `writes on the server at the kill; ${pendingAtStart} pending on reopen; child ${t1 - t0} ms, ` +
        `reopen and drain ${Date.now() - t1} ms`;
      console.log(`upload-crash: ${summary}`);
      // Every accepted write is on the server exactly once.
      expect(accepted.filter((name) => counts.get(name) !== 1).map((n) => [n, counts.get(n) ?? 0])).toEqual(
        [],
      );
      // No name twice, and nothing the child never attempted.
      expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
      expect([...counts.keys()].filter((name) => !attempted.has(name))).toEqual([]);
    },
    420_000,
  );

  it('shows each accepted row once in the local view of the last host', async () => {
    const c = client;
    if (!c) throw new Error('no host is open (an earlier round failed)');
    const central = await centralCounts();
    const expected = [...central.values()].reduce((a, b) => a + b, 0);
    const localNames = async () => {
      const names: string[] = [];
      for (let offset = 0; ; offset += 1000) {
        const page = await c.call('table.query', {
          table: 'workflows',
          filters: [{ column: 'name', op: 'contains', value: 'crash-' }],
          offset,
          limit: 1000,
        });
        names.push(...page.rows.map((r) => String(r['name'])));
        if (names.length >= page.total || page.rows.length === 0) return names;
      }
    };
    const status = follow(c, 'sync.status', undefined);
    try {
      await status.until((s) => s.state === 'up-to-date', 240_000);
    } finally {
      status.stop();
    }
    const started = Date.now();
    let names = await localNames();
    while (names.length !== expected && Date.now() - started < 60_000) {
      await new Promise((r) => setTimeout(r, 200));
      names = await localNames();
    }
    const local = new Map<string, number>();
    for (const name of names) local.set(name, (local.get(name) ?? 0) + 1);
    expect(accepted.filter((name) => local.get(name) !== 1).map((n) => [n, local.get(n) ?? 0])).toEqual([]);
    expect([...local].filter(([name, n]) => n !== central.get(name))).toEqual([]);
    console.log(
      `upload-crash: ${PLANS.length} kills, ${accepted.length} accepted writes, ${attempted.size} attempted, ` +
        `${expected} on the server; sessions signed in again after a kill: ${reSignIns.join(', ') || 'none'}`,
    );
  }, 300_000);
});

/**
 * Crash safety of the outbox: a child process writes through the views of a persistent local database
 * and uploads to a fake write API (which deduplicates by mutation id, as the real one does); the test
 * kills it with SIGKILL while it writes, while the server holds its request (the batch applied, the
 * answer lost), and right after an answer. After every kill the database reopens, and every write the
 * child reported as committed is exactly once in the outbox or on the server; draining the outbox then
 * puts each on the server exactly once.
 */
import type { PGlite } from '@electric-sql/pglite';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mutation } from '../../common/mutations/protocol.ts';
import { asServerState, migratedPGliteDump, migrationFiles } from '../../scripts/testing/migrated.ts';
import { openLocalDatabase } from '../database/local-database.ts';
import { allMutations } from './outbox.ts';
import { uploadOnce, type SendMutations } from './upload.ts';

const TENANT = '50000000-0000-4000-8000-000000000001';
const root = path.resolve(import.meta.dirname, '../..');
const moduleUrl = (file: string) => pathToFileURL(path.join(root, file)).href;

/** The child: write, report each committed write, upload every third write. */
const CHILD = `
const { openLocalDatabase } = await import(${JSON.stringify(moduleUrl('core/database/local-database.ts'))});
const { loadMigrationFiles } = await import(${JSON.stringify(moduleUrl('scripts/db/migration-files.ts'))});
const { uploadOnce } = await import(${JSON.stringify(moduleUrl('core/outbox/upload.ts'))});
const [dataDir, url, first] = process.argv.slice(-3);
const { db } = await openLocalDatabase({ dataDir, migrations: await loadMigrationFiles() });
const send = async (request) => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  return { status: r.status, body: await r.json() };
};
process.stdout.write('ready\\n');
for (let i = Number(first); ; i++) {
  await db.query('INSERT INTO workflows (tenant_id, name) VALUES ($1, $2)', [${JSON.stringify(TENANT)}, 'w' + i]);
  process.stdout.write('accepted w' + i + '\\n');
  if (i % 3 === 2) await uploadOnce(db, send, 4);
}
`;

type KillMode = 'while-writing' | 'while-server-holds-request' | 'after-answer';

/** A write API that applies each mutation id once and can kill the child at chosen moments. */
class FakeWriteApi {
  readonly applied = new Map<string, string>();
  private txid = 100;
  child: ChildProcess | null = null;
  killOn: KillMode | null = null;
  requests = 0;
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { mutations } = JSON.parse(body) as { mutations: Mutation[] };
        const txid = ++this.txid;
        const results = mutations.map((m, index) => {
          const name = 'table' in m ? String(m.values?.['name']) : '?';
          const replay = this.applied.has(m.id);
          if (!replay) this.applied.set(m.id, name);
          return { index, id: m.id, status: replay ? 'replayed' : 'applied', txid, result: {} };
        });
        this.requests++;
        if (this.killOn === 'while-server-holds-request' && this.requests >= 2) {
          this.child?.kill('SIGKILL');
          res.destroy();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ txid, results }));
        if (this.killOn === 'after-answer' && this.requests >= 2) this.child?.kill('SIGKILL');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/mutations`;
  }

  /** Sends in-process (for the drain after a crash). */
  readonly send: SendMutations = async (request) => {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    return { status: response.status, body: await response.json() };
  };

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Runs the child until it is killed; returns the writes it reported as committed. */
async function runChild(
  api: FakeWriteApi,
  dataDir: string,
  first: number,
  mode: KillMode,
): Promise<string[]> {
  const accepted: string[] = [];
  api.killOn = mode;
  api.requests = 0;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', CHILD, dataDir, api.url, String(first)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  api.child = child;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('accepted ')) accepted.push(line.slice('accepted '.length));
      // Some milliseconds after the 11th write: anywhere in the 12th or 13th write, or in an upload.
      if (mode === 'while-writing' && accepted.length === 11)
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 30);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  if (child.signalCode !== 'SIGKILL') throw new Error(`child exited on its own (${code}): ${stderr}`);
  return accepted;
}

describe('outbox crash safety', () => {
  let dir: string;
  const api = new FakeWriteApi();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outpost-crash-'));
    await api.start();
    const { db } = await openLocalDatabase({
      dataDir: dir,
      migrations: await migrationFiles(),
      loadDataDir: await migratedPGliteDump('local'),
    });
    await asServerState(db, (tx) =>
      tx.exec(`INSERT INTO tenants (id, name, slug) VALUES ('${TENANT}', 'T', 't')`),
    );
    await db.close();
  });
  afterAll(async () => {
    api.child?.kill('SIGKILL');
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Every accepted write is carried by exactly one mutation id, held by the outbox or the server. */
  async function expectEachWriteOnce(db: PGlite, accepted: readonly string[]): Promise<void> {
    const local = new Map((await allMutations(db)).map((m) => [m.id, String(m.values?.['name'])]));
    const idsOf = new Map<string, Set<string>>();
    for (const [id, name] of [...local, ...api.applied]) {
      if (!idsOf.has(name)) idsOf.set(name, new Set());
      idsOf.get(name)?.add(id);
    }
    for (const name of accepted) expect([name, idsOf.get(name)?.size]).toEqual([name, 1]);
    // The local view shows every accepted write.
    const { rows } = await db.query<{ name: string }>(`SELECT name FROM workflows`);
    const visible = new Set(rows.map((r) => r.name));
    expect(accepted.filter((n) => !visible.has(n))).toEqual([]);
  }

  const allAccepted: string[] = [];
  it.each<[KillMode, number]>([
    ['while-writing', 0],
    ['while-server-holds-request', 1000],
    ['after-answer', 2000],
    ['while-writing', 3000],
  ])(
    'keeps every committed write after a kill %s',
    async (mode, first) => {
      const accepted = await runChild(api, dir, first, mode);
      api.killOn = null;
      expect(accepted.length).toBeGreaterThan(0);
      allAccepted.push(...accepted);
      const { db } = await openLocalDatabase({ dataDir: dir, migrations: await migrationFiles() });
      try {
        await expectEachWriteOnce(db, allAccepted);
        // Drain: everything pending reaches the server, replays are answered from the first application.
        for (let i = 0; i < 50; i++) if ((await uploadOnce(db, api.send, 7)).sent === 0) break;
        const statuses = new Set((await allMutations(db)).map((m) => m.status));
        expect([...statuses]).toEqual(statuses.size === 0 ? [] : ['acknowledged']);
        const onServer = [...api.applied.values()];
        expect(allAccepted.filter((n) => onServer.filter((x) => x === n).length !== 1)).toEqual([]);
        await expectEachWriteOnce(db, allAccepted);
      } finally {
        await db.close();
      }
    },
    120_000,
  );
});

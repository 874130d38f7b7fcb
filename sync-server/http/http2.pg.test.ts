/**
 * HTTP/2 with a locally generated certificate: a browser allows six HTTP/1.1 connections per origin
 * and every live shape holds a long-poll, so the browser host needs many live shapes on one
 * connection. Proven here: twenty held long-polls multiplexed on one HTTP/2 session are all answered
 * by one write, and the real ShapeStream syncs over HTTP/2 (undici with allowH2). HTTP/1.1 over TLS
 * still works for clients without HTTP/2.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type ClientHttp2Session } from 'node:http2';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ShapeStream, type Row } from '@electric-sql/client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AUTH_SECRET, type SignedIn } from '../../scripts/testing/gated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import { loadOrCreateDevCertificate, type TlsMaterial } from './dev-certificate.ts';

function request(
  session: ClientHttp2Session,
  pathAndQuery: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': pathAndQuery, ...headers });
    let status = 0;
    let head: Record<string, unknown> = {};
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (h) => {
      status = Number(h[':status']);
      head = h;
    });
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => resolve({ status, headers: head, body }));
    stream.on('error', reject);
    stream.end();
  });
}

describe('HTTP/2 over TLS', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  let tls: TlsMaterial;
  let certDir: string;
  let acme: SignedIn;
  let agent: Agent;

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('http2', { scale: 1 });
    certDir = await mkdtemp(path.join(tmpdir(), 'outpost-cert-'));
    tls = await loadOrCreateDevCertificate(certDir);
    sync = await startTestSyncServer(seeded.db.url, {
      auth: { secret: TEST_AUTH_SECRET },
      tls: { cert: tls.cert, key: tls.key },
    });
    agent = new Agent({ allowH2: true, connect: { ca: tls.cert } });
    const login = await undiciFetch(`${sync.server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@acme.test', password: 'outpost-demo', tenant: 'acme' }),
      dispatcher: agent,
    });
    acme = (await login.json()) as SignedIn;
  }, 120_000);

  afterAll(async () => {
    await agent?.close();
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
    await rm(certDir, { recursive: true, force: true });
  });

  it('reuses the certificate while it is valid', async () => {
    const again = await loadOrCreateDevCertificate(certDir);
    expect(again.fingerprint256).toBe(tls.fingerprint256);
    expect(sync.server.url).toMatch(/^https:/);
  });

  it('allows more concurrent streams than a browser’s default of 100 (one per live shape)', async () => {
    const session = connect(sync.server.url, { ca: tls.cert });
    try {
      // Sent in the server's SETTINGS: Chromium keeps 100 unless told otherwise (and caps at 256).
      await new Promise<void>((resolve) => session.once('remoteSettings', () => resolve()));
      expect(session.remoteSettings.maxConcurrentStreams).toBeGreaterThanOrEqual(256);
      expect(session.remoteSettings.maxConcurrentStreams).toBeLessThan(2 ** 32 - 1);
    } finally {
      session.close();
    }
  });

  it('answers twenty live long-polls multiplexed on one connection after one write', async () => {
    const session = connect(sync.server.url, { ca: tls.cert });
    try {
      const auth = { authorization: `Bearer ${acme.token}` };
      const shapes = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const where = encodeURIComponent(`name <> 'not-${i}'`);
          let offset = '-1';
          let handle = '';
          for (;;) {
            const r = await request(
              session,
              `/v1/shape?table=dashboards&where=${where}&offset=${offset}${handle ? `&handle=${handle}` : ''}`,
              auth,
            );
            expect(r.status).toBe(200);
            handle = String(r.headers['electric-handle']);
            offset = String(r.headers['electric-offset']);
            if ('electric-up-to-date' in r.headers) return { where, offset, handle };
          }
        }),
      );
      const held = shapes.map((s) =>
        request(
          session,
          `/v1/shape?table=dashboards&where=${s.where}&offset=${s.offset}&handle=${s.handle}&live=true`,
          auth,
        ),
      );
      await new Promise((r) => setTimeout(r, 300));
      await seeded.client.query(`INSERT INTO dashboards (tenant_id, name) VALUES ($1, 'over h2')`, [
        acme.tenant.id,
      ]);
      const answers = await Promise.all(held);
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(a.body).toContain('over h2');
      }
    } finally {
      session.close();
    }
  });

  it('syncs with the real ShapeStream over HTTP/2', async () => {
    const stream = new ShapeStream<Row>({
      url: `${sync.server.url}/v1/shape`,
      params: { table: 'workflows' },
      headers: { authorization: `Bearer ${acme.token}` },
      fetchClient: (input: string | URL | Request, init?: RequestInit) =>
        undiciFetch(input as string, { ...(init as object), dispatcher: agent }),
    });
    const rows = new Map<string, Row>();
    const unsubscribe = stream.subscribe((messages) => {
      for (const m of messages) if ('key' in m) rows.set(m.key, m.value);
    });
    const { rows: count } = await seeded.client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM workflows WHERE tenant_id = $1`,
      [acme.tenant.id],
    );
    for (let i = 0; i < 200 && !(stream.isUpToDate && rows.size === Number(count[0]?.n)); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(rows.size).toBe(Number(count[0]?.n));
    unsubscribe();
    stream.unsubscribeAll();
  });

  it('still serves HTTP/1.1 over TLS', async () => {
    const h1 = new Agent({ connect: { ca: tls.cert } });
    try {
      const r = await undiciFetch(`${sync.server.url}/v1/health`, { dispatcher: h1 });
      expect(r.status).toBe(200);
    } finally {
      await h1.close();
    }
  });
});

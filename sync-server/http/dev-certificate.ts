/**
 * sync-server/http/dev-certificate.ts: a locally generated TLS certificate for development and tests,
 * so the sync server can speak HTTP/2 (a browser allows only six HTTP/1.1 connections per origin, and
 * every live shape holds one long-poll; over HTTP/2 they share one connection).
 *
 * Guarantees: the certificate is self-signed (ECDSA P-256, SHA-256), valid for localhost, 127.0.0.1
 * and ::1 only, for 30 days; it is stored with its key (mode 0600) in the given directory and reused
 * while it has more than a day left, so a browser exception or a pinned fingerprint stays valid
 * across restarts. Never use it in production: deployments pass their own certificate (TLS_CERT,
 * TLS_KEY).
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint of the certificate, `AA:BB:...` (what a client may pin). */
  readonly fingerprint256: string;
}

const DAY = 24 * 3600 * 1000;

export async function loadOrCreateDevCertificate(dir: string): Promise<TlsMaterial> {
  const certPath = path.join(dir, 'dev-cert.pem');
  const keyPath = path.join(dir, 'dev-key.pem');
  try {
    const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    const x509 = new X509Certificate(cert);
    if (new Date(x509.validTo).getTime() - Date.now() > DAY)
      return { cert, key, fingerprint256: x509.fingerprint256 };
  } catch {
    // missing or unreadable: make a new one
  }
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 30 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  return {
    cert: pems.cert,
    key: pems.private,
    fingerprint256: new X509Certificate(pems.cert).fingerprint256,
  };
}

/**
 * scripts/testing/nginx-cache.ts: a real nginx `proxy_cache` in front of a server, for tests of what
 * a CDN-style cache does with the Shape API's responses.
 *
 * Starts Debian's nginx (scripts/setup-system installs it) in the foreground with its own prefix
 * directory, cache and logs under a temporary directory, on a free loopback port. The cache is keyed
 * by the URL (nginx's default key) and honours the origin's Cache-Control, ETag and Vary; concurrent
 * misses of one URL wait for the first (`proxy_cache_lock`), which is how a cache collapses live
 * requests. Every response carries `x-cache-status` (MISS, HIT, EXPIRED, UPDATING, ...).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const NGINX_BINARY = '/usr/sbin/nginx';

export interface NginxCache {
  /** Base URL of the cache (proxying to the origin). */
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function config(dir: string, port: number, origin: URL): string {
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  return `${user}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=shapes:10m max_size=256m inactive=10m use_temp_path=off;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass ${origin.origin};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_read_timeout 90s;
      proxy_cache shapes;
      proxy_cache_lock on;
      proxy_cache_lock_timeout 60s;
      proxy_cache_lock_age 60s;
      proxy_cache_revalidate on;
      proxy_cache_use_stale updating;
      add_header x-cache-status $upstream_cache_status always;
    }
  }
}
`;
}

/** Starts nginx caching `origin`; resolves once it accepts connections. */
export async function startNginxCache(origin: string): Promise<NginxCache> {
  if (!existsSync(NGINX_BINARY))
    throw new Error(
      `${NGINX_BINARY} is missing: run scripts/setup-system as root (it installs nginx-light).`,
    );
  const dir = await mkdtemp(path.join(tmpdir(), 'outpost-nginx-'));
  const port = await freePort();
  const file = path.join(dir, 'nginx.conf');
  await writeFile(file, config(dir, port, new URL(origin)));
  const child: ChildProcess = spawn(NGINX_BINARY, ['-p', dir, '-c', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  while (!(await accepting(port))) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    if (Date.now() - started > 15_000) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

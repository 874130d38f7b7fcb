/**
 * scripts/postgres/cluster.ts: a private PostgreSQL cluster on this machine, for tests and for the
 * local development stack.
 *
 * Guarantees:
 *   - The cluster is ours alone: its own data directory, a free TCP port on 127.0.0.1 only, and its
 *     unix socket inside its own directory. Nothing system-wide is touched or started.
 *   - Logical replication is on (`wal_level=logical`), so the sync server can run against it.
 *   - Postgres refuses to run as root; when this process is root, every server command runs as the
 *     `postgres` system user and the directory is handed to that user.
 *   - A throwaway cluster (`persistent: false`) runs with fsync off and its directory is removed on
 *     stop. A persistent cluster keeps its data directory and runs with the durable defaults.
 *
 * Security note: authentication is `trust`, but the server listens only on 127.0.0.1 and on a socket
 * in a directory readable by its owner; it is a development and test database, never a deployment.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PG_MAJOR = 15;

export interface ClusterOptions {
  /** Directory that holds `data/`, the socket and the log. Omitted: a new temp directory. */
  readonly baseDir?: string;
  /** Keep the data between runs and run durably. Default: false (throwaway). */
  readonly persistent?: boolean;
  /** TCP port; default: a free port chosen at start. */
  readonly port?: number;
}

export class PostgresToolsMissingError extends Error {
  constructor(binDir: string) {
    super(
      `PostgreSQL ${PG_MAJOR} server binaries were not found in ${binDir}. ` +
        `Install them with: sudo scripts/setup-system (or set OUTPOST_PG_BIN to their directory).`,
    );
    this.name = 'PostgresToolsMissingError';
  }
}

function pgBinDir(): string {
  return process.env['OUTPOST_PG_BIN'] ?? `/usr/lib/postgresql/${PG_MAJOR}/bin`;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('postgres:'));
  const fields = line?.split(':');
  if (!fields || fields.length < 4) {
    throw new Error('Running as root needs the `postgres` system user; run sudo scripts/setup-system.');
  }
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** Runs a PostgreSQL server program, as the postgres user when we are root. */
async function pgCommand(program: string, args: readonly string[]): Promise<string> {
  const bin = path.join(pgBinDir(), program);
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]];
  try {
    const { stdout } = await run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${program} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`, {
      cause: error,
    });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not allocate a free port'));
      });
    });
  });
}

export class PostgresCluster {
  private constructor(
    readonly baseDir: string,
    readonly port: number,
    private readonly persistent: boolean,
  ) {}

  get dataDir(): string {
    return path.join(this.baseDir, 'data');
  }

  get socketDir(): string {
    return this.baseDir;
  }

  /** A connection URL for `database` as the superuser `postgres`. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  /** Creates the cluster if needed and starts it; resolves once it accepts connections. */
  static async start(options: ClusterOptions = {}): Promise<PostgresCluster> {
    if (!existsSync(path.join(pgBinDir(), 'postgres'))) throw new PostgresToolsMissingError(pgBinDir());
    const persistent = options.persistent ?? false;
    const baseDir = options.baseDir ?? (await mkdtemp(path.join(tmpdir(), 'outpost-pg-')));
    await mkdir(baseDir, { recursive: true, mode: 0o700 });
    if (isRoot()) {
      const { uid, gid } = await postgresUserIds();
      await chown(baseDir, uid, gid);
    }
    const cluster = new PostgresCluster(baseDir, options.port ?? (await freePort()), persistent);
    if (!existsSync(path.join(cluster.dataDir, 'PG_VERSION'))) {
      await pgCommand('initdb', [
        '-D',
        cluster.dataDir,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--no-locale',
        ...(persistent ? [] : ['--no-sync']),
      ]);
    }
    await cluster.writeSettings();
    await pgCommand('pg_ctl', [
      '-D',
      cluster.dataDir,
      '-l',
      path.join(baseDir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    return cluster;
  }

  /** Server settings live in postgresql.auto.conf, rewritten at each start (port may change). */
  private async writeSettings(): Promise<void> {
    const settings: Record<string, string | number> = {
      port: this.port,
      listen_addresses: '127.0.0.1',
      unix_socket_directories: this.socketDir,
      wal_level: 'logical',
      max_wal_senders: 32,
      max_replication_slots: 32,
      max_connections: 200,
      shared_buffers: '256MB',
      ...(this.persistent ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
    };
    const body = Object.entries(settings)
      .map(([k, v]) => `${k} = ${typeof v === 'number' ? v : `'${v}'`}`)
      .join('\n');
    const file = path.join(this.dataDir, 'postgresql.auto.conf');
    await writeFile(file, `# Written by scripts/postgres/cluster.ts at each start.\n${body}\n`);
    if (isRoot()) {
      const { uid, gid } = await postgresUserIds();
      await chown(file, uid, gid);
    }
  }

  /** Stops the server; a throwaway cluster's directory is removed. */
  async stop(): Promise<void> {
    if (existsSync(path.join(this.dataDir, 'postmaster.pid'))) {
      await pgCommand('pg_ctl', ['-D', this.dataDir, '-w', '-t', '60', '-m', 'fast', 'stop']);
    }
    if (!this.persistent) await rm(this.baseDir, { recursive: true, force: true });
  }
}

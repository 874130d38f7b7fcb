/**
 * sync-server/server.ts: the sync server's composition root: PostgreSQL pool, shape engine,
 * replication stream, the security layer (sign-in, the tenant gate, the write API) and the HTTP front,
 * started and stopped in order.
 *
 *   start: pool ─► audit partitions ahead ─► engine.start() (reload shapes) ─► replication.start()
 *          ─► gate catalog (sync rules × columns × server-only registry) ─► jobs (pg-boss: the approval
 *          expiry job and the workspace runs of record, when `jobs` is set) ─► listen
 *   stop:  close HTTP ─► jobs.stop() (the running job finishes) ─► replication.stop() ─► engine.stop()
 *          (flush logs) ─► pool.end()
 *
 * Modes: `auth` set = gated (every shape needs a token; only ruled tables; the write API); `auth`
 * null = insecure development mode (no authentication; main.ts allows it only with --insecure-dev, on
 * loopback). `upstream` set = proxy mode: no local engine or replication; gated shape requests are
 * forwarded to that Shape API (docs/scaling.md).
 *
 * Health (`GET /v1/health`): 200 `{"status":"active", ...}` only while the replication stream is
 * connected and has handed every received message to the engine; 503 otherwise, with the reason. In
 * proxy mode, the upstream's health.
 */
import { createServer, Server } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { createSecureServer, type Http2SecureServer, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { AuthService } from './auth/auth-service.ts';
import type { ThrottleOptions } from './auth/throttle.ts';
import { loadGateCatalog, ShapeGate } from './gate/shape-gate.ts';
import { createSyncRequestHandler, type HealthReport, type SyncHttpOptions } from './http/server.ts';
import type { MutationHandler } from './mutations/mutation-handler.ts';
import { ReplicationStream } from './replication/replication-stream.ts';
import { formatLsn } from './replication/types.ts';
import { ApprovalExpiryRunner, type ApprovalExpiryRunnerOptions } from './approvals/expiry-runner.ts';
import { WorkspaceRunRunner, type WorkspaceRunRunnerOptions } from './workspaces/run-runner.ts';
import { keepAuditPartitions, type AuditPartitionKeeper } from './maintenance/audit-partitions.ts';
import type { CompactionSettings } from './shapes/compaction.ts';
import { ShapeEngine } from './shapes/shape-engine.ts';

/** Concurrent HTTP/2 streams a client may open: one per live shape, and more (browsers cap it at 256). */
const HTTP2_MAX_STREAMS = 1000;

export interface SyncServerConfig {
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly slotName?: string;
  readonly publication?: string;
  readonly longPollMs?: number;
  /** How long one `live_sse` response is held (default 60 s, as Electric). */
  readonly sseHoldMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly log?: (line: string) => void;
  /** Bytes one shape response carries at most (a log chunk; default 4 MiB). */
  readonly chunkBytes?: number;
  /** Shape log compaction thresholds (shapes/compaction.ts), or false to never compact. */
  readonly compaction?: CompactionSettings | false;
  /**
   * Gated mode. Absent or null: insecure development mode, no authentication at all (tests of the
   * engine; main.ts allows it only with --insecure-dev).
   */
  readonly auth?: AuthConfig | null;
  /** Proxy mode: forward gated shape requests to this Shape API (needs `auth`). */
  readonly upstream?: { readonly url: string; readonly secret?: string } | null;
  /**
   * TLS: serve HTTPS with HTTP/2 (and HTTP/1.1 for clients without it), so a browser's live shapes
   * share one connection. Absent: plain HTTP/1.1.
   */
  readonly tls?: { readonly cert: string; readonly key: string } | null;
  /**
   * The server's jobs on pg-boss (docs/architecture.md, "The job runner"): the approval expiry job.
   * Absent or null: no jobs (tests of other parts; main.ts runs them unless OUTPOST_JOBS=off).
   */
  readonly jobs?: JobsConfig | null;
}

export interface JobsConfig {
  readonly approvalExpiry?: Pick<
    ApprovalExpiryRunnerOptions,
    'cron' | 'pollingIntervalSeconds' | 'sweep' | 'onSweep'
  >;
  /** Runs of record of workspaces (sync-server/workspaces/run-runner.ts); false: not on this server. */
  readonly workspaceRuns?: Pick<WorkspaceRunRunnerOptions, 'dispatchMs' | 'limits' | 'onRun'> | false;
}

export interface AuthConfig {
  /** HS256 signing secret for access tokens, at least 32 bytes (AUTH_SECRET). */
  readonly secret: string;
  readonly accessTtlSeconds?: number;
  readonly refreshTtlSeconds?: number;
  readonly principalCacheMs?: number;
  readonly sessionRecheckMs?: number;
  readonly throttle?: ThrottleOptions;
  readonly mutationRequestsPerMinute?: number;
  readonly mutationBodyBytes?: number;
  /** The write API; absent: POST /v1/mutations answers 404. */
  readonly mutations?: (pool: pg.Pool) => MutationHandler;
}

export const DEFAULT_SLOT = 'outpost_sync';
export const DEFAULT_PUBLICATION = 'outpost_sync';

export class SyncServer {
  private constructor(
    readonly url: string,
    /** null in proxy mode. */
    private readonly local: {
      readonly engine: ShapeEngine;
      readonly replication: ReplicationStream;
      readonly partitions: AuditPartitionKeeper;
    } | null,
    readonly auth: AuthService | null,
    private readonly http: Server | Http2SecureServer,
    private readonly closeConnections: () => void,
    private readonly pool: pg.Pool,
    /** The approval expiry job, when `jobs` is configured. */
    readonly approvalExpiry: ApprovalExpiryRunner | null,
    /** The workspace run jobs, when `jobs` is configured and does not turn them off. */
    readonly workspaceRuns: WorkspaceRunRunner | null,
  ) {}

  get engine(): ShapeEngine {
    if (!this.local) throw new Error('this sync server is in proxy mode: no local engine');
    return this.local.engine;
  }

  get replication(): ReplicationStream {
    if (!this.local) throw new Error('this sync server is in proxy mode: no replication');
    return this.local.replication;
  }

  static async start(config: SyncServerConfig): Promise<SyncServer> {
    const log = config.log ?? ((line: string) => console.error(line));
    if (config.upstream && !config.auth) throw new Error('proxy mode needs the gate (auth)');
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    pool.on('error', (error) => log(`sync-server: idle database connection failed: ${error.message}`));
    let local: {
      engine: ShapeEngine;
      replication: ReplicationStream;
      partitions: AuditPartitionKeeper;
    } | null = null;
    let security: SyncHttpOptions['security'] = { mode: 'insecure-dev' };
    let auth: AuthService | null = null;
    let approvalExpiry: ApprovalExpiryRunner | null = null;
    let workspaceRuns: WorkspaceRunRunner | null = null;
    try {
      if (!config.upstream) local = await SyncServer.startLocal(config, pool, log);
      if (config.auth) {
        const catalog = await loadGateCatalog(pool);
        if (catalog.missing.length > 0)
          log(`sync-server: sync rules name tables this database lacks: ${catalog.missing.join(', ')}`);
        auth = new AuthService({
          pool,
          secret: config.auth.secret,
          ...(config.auth.accessTtlSeconds === undefined
            ? {}
            : { accessTtlSeconds: config.auth.accessTtlSeconds }),
          ...(config.auth.refreshTtlSeconds === undefined
            ? {}
            : { refreshTtlSeconds: config.auth.refreshTtlSeconds }),
          ...(config.auth.principalCacheMs === undefined
            ? {}
            : { principalCacheMs: config.auth.principalCacheMs }),
          ...(config.auth.throttle ? { throttle: config.auth.throttle } : {}),
        });
        security = {
          mode: 'gated',
          auth,
          gate: new ShapeGate(catalog),
          upstream: config.upstream ?? null,
          mutations: config.auth.mutations ? config.auth.mutations(pool) : null,
          ...(config.auth.sessionRecheckMs === undefined
            ? {}
            : { sessionRecheckMs: config.auth.sessionRecheckMs }),
          ...(config.auth.mutationRequestsPerMinute === undefined
            ? {}
            : { mutationRequestsPerMinute: config.auth.mutationRequestsPerMinute }),
          ...(config.auth.mutationBodyBytes === undefined
            ? {}
            : { mutationBodyBytes: config.auth.mutationBodyBytes }),
        };
      }
      if (config.jobs)
        approvalExpiry = await ApprovalExpiryRunner.start({
          connectionString: config.databaseUrl,
          pool,
          log,
          ...config.jobs.approvalExpiry,
        });
      if (config.jobs && config.jobs.workspaceRuns !== false)
        workspaceRuns = await WorkspaceRunRunner.start({
          connectionString: config.databaseUrl,
          pool,
          log,
          ...config.jobs.workspaceRuns,
        });
    } catch (error) {
      await approvalExpiry?.stop().catch(() => undefined);
      if (local) await SyncServer.stopLocal(local).catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw error;
    }
    const health = local
      ? localHealth(local.engine, local.replication)
      : upstreamHealth(config.upstream?.url ?? '');
    const handler = createSyncRequestHandler({
      engine: local?.engine ?? null,
      health,
      log,
      security,
      ...(config.longPollMs === undefined ? {} : { longPollMs: config.longPollMs }),
      ...(config.sseHoldMs === undefined ? {} : { sseHoldMs: config.sseHoldMs }),
    });
    const sessions = new Set<Http2Session>();
    const sockets = new Set<TLSSocket>();
    let http: Server | Http2SecureServer;
    if (config.tls) {
      const secure = createSecureServer(
        {
          allowHTTP1: true,
          cert: config.tls.cert,
          key: config.tls.key,
          // Said explicitly: without it Chromium keeps its initial limit of 100 streams, so a client
          // with more live shapes than that (104 for the acme admin) had the rest queued behind held
          // long-polls, answered only at their 20 s timeout. Chromium caps this at 256.
          settings: { maxConcurrentStreams: HTTP2_MAX_STREAMS },
        },
        handler,
      );
      secure.on('session', (session: Http2Session) => {
        sessions.add(session);
        session.on('close', () => sessions.delete(session));
      });
      secure.on('secureConnection', (socket: TLSSocket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      secure.setTimeout(0);
      http = secure;
    } else {
      const plain = createServer(handler);
      plain.keepAliveTimeout = 65_000;
      plain.headersTimeout = 66_000;
      http = plain;
    }
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port ?? 0, config.host ?? '127.0.0.1', () => resolve());
    });
    const address = http.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const closeConnections = () => {
      if (http instanceof Server) http.closeAllConnections();
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    };
    const scheme = config.tls ? 'https' : 'http';
    return new SyncServer(
      `${scheme}://${host}:${address.port}`,
      local,
      auth,
      http,
      closeConnections,
      pool,
      approvalExpiry,
      workspaceRuns,
    );
  }

  private static async startLocal(config: SyncServerConfig, pool: pg.Pool, log: (line: string) => void) {
    const publication = config.publication ?? DEFAULT_PUBLICATION;
    const engine = new ShapeEngine({
      pool,
      dataDir: config.dataDir,
      publication,
      log,
      ...(config.compaction === undefined ? {} : { compaction: config.compaction }),
      ...(config.chunkBytes === undefined ? {} : { chunkBytes: config.chunkBytes }),
    });
    const replication = new ReplicationStream({
      connectionString: config.databaseUrl,
      slotName: config.slotName ?? DEFAULT_SLOT,
      publicationName: publication,
      consumer: engine,
      ...(config.heartbeatIntervalMs === undefined
        ? {}
        : { heartbeatIntervalMs: config.heartbeatIntervalMs }),
    });
    const partitions = keepAuditPartitions(pool, { log });
    const local = { engine, replication, partitions };
    try {
      await partitions.runOnce();
      await engine.start();
      await replication.start();
    } catch (error) {
      await SyncServer.stopLocal(local).catch(() => undefined);
      throw error;
    }
    return local;
  }

  private static async stopLocal(local: {
    engine: ShapeEngine;
    replication: ReplicationStream;
    partitions: AuditPartitionKeeper;
  }): Promise<void> {
    local.partitions.stop();
    await local.replication.stop().catch(() => undefined);
    await local.engine.stop();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.closeConnections();
    });
    await this.approvalExpiry?.stop().catch(() => undefined);
    await this.workspaceRuns?.stop().catch(() => undefined);
    if (this.local) await SyncServer.stopLocal(this.local);
    await this.pool.end();
  }
}

function localHealth(engine: ShapeEngine, replication: ReplicationStream): () => HealthReport {
  return () => {
    const s = replication.status;
    const body = {
      status: s.connected && s.bufferedMessages === 0 ? 'active' : s.state,
      replication: s.state,
      lag_bytes: s.lagBytes === null ? null : Number(s.lagBytes),
      processed_lsn: formatLsn(engine.processedLsn),
      acknowledged_lsn: s.lastAcknowledgedLsn === null ? null : formatLsn(s.lastAcknowledgedLsn),
      shapes: engine.shapeCount,
      ...(s.error ? { error: s.error } : {}),
    };
    return { healthy: body.status === 'active', body };
  };
}

/** Proxy mode: the upstream's own health, with its body under `upstream`. */
function upstreamHealth(url: string): () => Promise<HealthReport> {
  return async () => {
    try {
      const response = await fetch(new URL('/v1/health', url), { signal: AbortSignal.timeout(5_000) });
      const upstream: unknown = await response.json().catch(() => null);
      const healthy = response.ok;
      return {
        healthy,
        body: { status: healthy ? 'active' : 'upstream-unhealthy', mode: 'proxy', upstream },
      };
    } catch (error) {
      return {
        healthy: false,
        body: { status: 'upstream-unreachable', mode: 'proxy', error: (error as Error).message },
      };
    }
  };
}

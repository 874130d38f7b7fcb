/**
 * sync-server/server.ts: the sync server's composition root: PostgreSQL pool, shape engine,
 * replication stream and HTTP front, started and stopped in order.
 *
 *   start: pool ─► audit partitions ahead ─► engine.start() (reload shapes) ─► replication.start() ─► listen
 *   stop:  close HTTP ─► replication.stop() ─► engine.stop() (flush logs) ─► pool.end()
 *
 * Health (`GET /v1/health`): 200 `{"status":"active", ...}` only while the replication stream is
 * connected and has handed every received message to the engine; 503 otherwise, with the reason.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createSyncRequestHandler, type HealthReport } from './http/server.ts';
import { ReplicationStream } from './replication/replication-stream.ts';
import { formatLsn } from './replication/types.ts';
import { keepAuditPartitions, type AuditPartitionKeeper } from './maintenance/audit-partitions.ts';
import { ShapeEngine } from './shapes/shape-engine.ts';

export interface SyncServerConfig {
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly slotName?: string;
  readonly publication?: string;
  readonly longPollMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly log?: (line: string) => void;
}

export const DEFAULT_SLOT = 'outpost_sync';
export const DEFAULT_PUBLICATION = 'outpost_sync';

export class SyncServer {
  private constructor(
    readonly url: string,
    readonly engine: ShapeEngine,
    readonly replication: ReplicationStream,
    private readonly http: Server,
    private readonly pool: pg.Pool,
    private readonly partitions: AuditPartitionKeeper,
  ) {}

  static async start(config: SyncServerConfig): Promise<SyncServer> {
    const log = config.log ?? ((line: string) => console.error(line));
    const publication = config.publication ?? DEFAULT_PUBLICATION;
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    pool.on('error', (error) => log(`sync-server: idle database connection failed: ${error.message}`));
    const engine = new ShapeEngine({ pool, dataDir: config.dataDir, publication });
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
    try {
      await partitions.runOnce();
      await engine.start();
      await replication.start();
    } catch (error) {
      partitions.stop();
      await replication.stop().catch(() => undefined);
      await engine.stop().catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw error;
    }
    const health = (): HealthReport => {
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
    const http = createServer(
      createSyncRequestHandler({
        engine,
        health,
        log,
        ...(config.longPollMs === undefined ? {} : { longPollMs: config.longPollMs }),
      }),
    );
    http.keepAliveTimeout = 65_000;
    http.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port ?? 0, config.host ?? '127.0.0.1', () => resolve());
    });
    const address = http.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return new SyncServer(`http://${host}:${address.port}`, engine, replication, http, pool, partitions);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    this.partitions.stop();
    await this.replication.stop();
    await this.engine.stop();
    await this.pool.end();
  }
}

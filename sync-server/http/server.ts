/**
 * sync-server/http/server.ts: the HTTP front of the sync server: routing, CORS, errors.
 *
 * Routes are matched on the exact decoded path (`/v1/shape`, `/v1/health`); anything else is 404,
 * so no spelling of a path can reach a handler by another route (Electric's GHSA-m4f6-p2j8-rq76).
 * Every response carries CORS headers that let the web build and the Electron renderer read the
 * electric-* headers, and `Vary: Authorization, Origin` so no cache serves one user's data to
 * another. Expected failures are 4xx with a JSON body `{ message, code, errors? }`; an unexpected
 * error is logged with its code and answered 500 without details.
 */
import { isOutpostError, type ErrorCode } from '../../common/errors.ts';
import { handleShape, sendJson, type Request, type Response } from './shape-route.ts';
import type { ShapeEngine } from '../shapes/shape-engine.ts';

export interface HealthReport {
  readonly healthy: boolean;
  readonly body: Record<string, unknown>;
}

export interface SyncHttpOptions {
  readonly engine: ShapeEngine;
  readonly health: () => HealthReport;
  readonly longPollMs?: number;
  readonly log?: (line: string) => void;
}

const EXPOSED = [
  'electric-handle',
  'electric-offset',
  'electric-schema',
  'electric-cursor',
  'electric-up-to-date',
  'electric-has-data',
  'retry-after',
].join(', ');

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  validation: 400,
  invalid_where: 400,
  invalid_table: 400,
  invalid_offset: 400,
  invalid_columns: 400,
  shape_failed: 503,
};

function cors(req: Request, res: Response): void {
  const origin = req.headers['origin'];
  res.setHeader('access-control-allow-origin', typeof origin === 'string' ? origin : '*');
  res.setHeader('access-control-expose-headers', EXPOSED);
  res.setHeader('vary', 'Authorization, Origin');
}

export function createSyncRequestHandler(options: SyncHttpOptions): (req: Request, res: Response) => void {
  const log = options.log ?? ((line: string) => console.error(line));
  const longPollMs = options.longPollMs ?? 20_000;
  return (req, res) => {
    const run = async () => {
      cors(req, res);
      const url = new URL(req.url ?? '/', 'http://sync.local');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': 'authorization, content-type, if-none-match, traceparent',
          'access-control-max-age': '86400',
        });
        res.end();
        return;
      }
      if (url.pathname === '/v1/health' && req.method === 'GET') {
        const report = options.health();
        sendJson(res, report.healthy ? 200 : 503, report.body, report.healthy ? {} : { 'retry-after': '5' });
        return;
      }
      if (url.pathname === '/v1/shape') {
        if (req.method !== 'GET') {
          sendJson(
            res,
            405,
            { message: 'Use GET for /v1/shape.', code: 'validation' },
            { allow: 'GET, OPTIONS' },
          );
          return;
        }
        await handleShape(req, res, url, { engine: options.engine, longPollMs });
        return;
      }
      sendJson(res, 404, {
        message: `No route for ${req.method ?? 'GET'} ${url.pathname}.`,
        code: 'not_found',
      });
    };
    run().catch((error: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (isOutpostError(error)) {
        const status = STATUS_OF[error.code] ?? 400;
        const extra: Record<string, string> = status === 503 ? { 'retry-after': '1' } : {};
        sendJson(
          res,
          status,
          {
            message: error.message,
            code: error.code,
            ...(status === 400
              ? {
                  errors: {
                    [typeof error.details['param'] === 'string' ? error.details['param'] : error.code]: [
                      error.message,
                    ],
                  },
                }
              : {}),
          },
          extra,
        );
        return;
      }
      log(
        `sync-server: internal error on ${req.method ?? '?'} ${req.url ?? '?'}: ${(error as Error).stack ?? String(error)}`,
      );
      sendJson(res, 500, { message: 'Internal error; the server log has details.', code: 'internal' });
    });
  };
}

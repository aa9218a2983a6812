// An HTTP server with only `/health`, `/ready` and `/metrics`, for a
// process that serves nothing else (the worker).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ErrorCode } from '../errors/ErrorCode.js';
import { serveOperations, type OperationsEndpoints } from './serveGraphQL.js';

/** Options of {@link serveProbes}. */
export interface ServeProbesConfig extends OperationsEndpoints {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** Body of `GET /health` beside `status: "ok"`. */
  readonly health: Readonly<Record<string, unknown>>;
}

/** A listening probe server. */
export interface ServedProbes {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves `GET /health`, `GET /ready` and `GET /metrics`; 404 otherwise. */
export async function serveProbes(
  config: ServeProbesConfig,
): Promise<ServedProbes> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const json = (status: number, body: unknown): void => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    };
    if (path === '/health' && req.method === 'GET') {
      json(200, { status: 'ok', ...config.health });
      return;
    }
    serveOperations(req, res, path, config)
      .then((served) => {
        if (served) return;
        json(404, {
          errors: [
            {
              message: 'Not found: use /health, /ready or /metrics',
              extensions: { code: ErrorCode.NOT_FOUND },
            },
          ],
        });
      })
      .catch(() => {
        if (!res.headersSent) {
          json(500, {
            errors: [
              {
                message: 'Internal server error',
                extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
              },
            ],
          });
        } else res.end();
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host =
    config.host === '0.0.0.0' || !config.host ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${String(port)}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';

import { ErrorCode } from '../errors/ErrorCode.js';
import type { ComponentMetrics } from '../metrics/ComponentMetrics.js';
import { checkReadiness, type ReadyCheck } from './readiness.js';
import type { CallVerifier } from '../signing/CallVerifier.js';
import { CallRejectedError } from '../signing/errors.js';
import {
  SIGNATURE_HEADER,
  type SignedCallContext,
} from '../signing/SignedCallContext.js';
import { activeTracer, contextOfTraceparent } from '../tracing/tracing.js';

/** Options of {@link serveGraphQL}. */
export interface ServeGraphQLConfig<TContext extends BaseContext> {
  /** A started Apollo Server. */
  apollo: ApolloServer<TContext>;
  /**
   * Builds the per-request context (per-request DataLoaders live here).
   * `call` is the verified call context when {@link ServeGraphQLConfig.verifier}
   * is set, otherwise `null`.
   */
  context: (
    request: IncomingMessage,
    call: SignedCallContext | null,
  ) => Promise<TContext>;
  /**
   * Checks the gateway's call signature on every `/graphql` request, over
   * the raw body bytes, before the body is parsed or reaches Apollo;
   * refused calls get 401 `UNAUTHENTICATED`, and only POST is served. Every
   * subgraph sets it; the gateway's own endpoint does not.
   */
  verifier?: CallVerifier;
  /**
   * Body of `GET /health` (the request, to tell who asks); thrown errors
   * answer 503.
   */
  health: (request: IncomingMessage) => Promise<Record<string, unknown>>;
  /**
   * Pages served beside the API (the gateway's GraphQL IDE): asked first
   * about every request; answers it and returns `true`, or returns `false`
   * to leave it to `/health` and `/graphql`.
   */
  pages?: (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ) => boolean;
  /**
   * The checks of `GET /ready` (see checkReadiness): 200 when none fails,
   * else 503 with the reasons. Without any, `/ready` answers as `/health`.
   */
  ready?: Readonly<Record<string, ReadyCheck>>;
  /**
   * What `GET /metrics` serves (Prometheus text); 404 when unset. With
   * `mayRead`, only to the requests it accepts (403 otherwise).
   */
  metrics?: {
    readonly endpoint: ComponentMetrics;
    readonly mayRead?: (request: IncomingMessage) => Promise<boolean>;
  };
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /**
   * Largest request body accepted, in bytes; larger ones get 413.
   * @defaultValue 1048576
   */
  maxBodyBytes?: number;
  /**
   * Most operations in one batched request (a JSON array body); larger
   * batches get HTTP 400 `BATCH_TOO_LARGE` and nothing of them runs. Apollo
   * must also allow batching (`allowBatchedHttpRequests`).
   * @defaultValue 1
   */
  maxBatchSize?: number;
  /**
   * Most `/graphql` requests in flight at once; one more is answered 503
   * `SERVER_BUSY` with `Retry-After` at once, before its body is read, so
   * that memory and latency stay bounded under overload. No bound when
   * unset.
   */
  maxConcurrent?: number;
  /**
   * Longest answer sent, in bytes of JSON; a longer one is replaced by a 503
   * `RESPONSE_TOO_LARGE` error (ask for smaller pages). No bound when unset.
   */
  maxResponseBytes?: number;
  /**
   * Milliseconds `close()` lets requests in flight finish before it cuts
   * the connections still open.
   * @defaultValue 10000
   */
  closeGraceMs?: number;
  /**
   * The server span of each `/graphql` request while tracing is on: its
   * name and attributes. Its parent is the `traceparent` the gateway signed
   * into the call when {@link ServeGraphQLConfig.verifier} is set (never a
   * header), else the caller's `traceparent` header (the gateway's edge).
   * @defaultValue `{ name: 'POST /graphql' }`
   */
  span?: { name: string; attributes?: Attributes };
}

/** A listening GraphQL HTTP server. */
export interface ServedGraphQL {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** `Retry-After` of a request shed for load, in seconds. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * Serves an Apollo Server over node:http at `/graphql` (GraphQL over HTTP,
 * https://graphql.github.io/graphql-over-http/draft/) with `GET /health`.
 * Written against Apollo Server's integration API so that the raw request is
 * ours: body-size limits and call-signature checks over the exact bytes
 * (see {@link ServeGraphQLConfig.verifier}). `/health` needs no signature.
 */
export async function serveGraphQL<TContext extends BaseContext>(
  config: ServeGraphQLConfig<TContext>,
): Promise<ServedGraphQL> {
  const maxBodyBytes = config.maxBodyBytes ?? 1_048_576;
  let closing = false;
  let inFlight = 0;
  const server = createServer((req, res) => {
    // While closing, answer what arrives on open keep-alive connections but
    // tell the client to close them, so that close() can finish under load.
    if (closing) res.setHeader('connection', 'close');
    const graphql = (req.url ?? '/').startsWith('/graphql');
    if (
      graphql &&
      config.maxConcurrent !== undefined &&
      inFlight >= config.maxConcurrent
    ) {
      // Shed load before reading the body: the cheapest possible answer.
      req.resume();
      res.setHeader('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
      sendJson(res, 503, {
        errors: [
          {
            message: `The server is at its bound of ${String(config.maxConcurrent)} operations in flight; retry after ${String(BUSY_RETRY_AFTER_SECONDS)} s.`,
            extensions: { code: ErrorCode.SERVER_BUSY },
          },
        ],
      });
      return;
    }
    if (graphql) {
      inFlight += 1;
      res.once('close', () => {
        inFlight -= 1;
      });
    }
    handle(config, maxBodyBytes, req, res).catch(() => {
      if (!res.headersSent) {
        sendJson(res, 500, {
          errors: [
            {
              message: 'Internal server error',
              extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
            },
          ],
        });
      } else {
        res.end();
      }
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
    url: `http://${host}:${port}/graphql`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        // Requests in flight finish; idle keep-alive connections are closed
        // as they become idle; after the grace period the rest are cut.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(
          () => server.closeAllConnections(),
          config.closeGraceMs ?? 10_000,
        );
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

async function handle<TContext extends BaseContext>(
  config: ServeGraphQLConfig<TContext>,
  maxBodyBytes: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const startTime = Date.now();
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (config.pages?.(req, res, url) === true) return;
  if (url.pathname === '/health' && req.method === 'GET') {
    try {
      sendJson(res, 200, { status: 'ok', ...(await config.health(req)) });
    } catch (error) {
      sendJson(res, 503, {
        status: 'unavailable',
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    return;
  }
  if (
    await serveOperations(req, res, url.pathname, {
      ready: config.ready ?? {},
      ...(config.metrics ? { metrics: config.metrics } : {}),
    })
  ) {
    return;
  }
  if (url.pathname !== '/graphql') {
    sendJson(res, 404, {
      errors: [
        {
          message: 'Not found: use /graphql',
          extensions: { code: ErrorCode.NOT_FOUND },
        },
      ],
    });
    return;
  }
  const raw = await readBody(req, maxBodyBytes);
  if (raw === null) {
    sendJson(res, 413, {
      errors: [
        {
          message: `Request body is larger than ${maxBodyBytes} bytes.`,
          extensions: { code: ErrorCode.BAD_USER_INPUT },
        },
      ],
    });
    return;
  }
  let call: SignedCallContext | null = null;
  if (config.verifier) {
    try {
      call = await config.verifier.verify(req.headers[SIGNATURE_HEADER], raw);
    } catch (error) {
      if (!(error instanceof CallRejectedError)) throw error;
      sendJson(res, error.status, {
        errors: [
          {
            message: error.message,
            extensions: { code: error.code, ...error.extensions },
          },
        ],
      });
      return;
    }
    if (req.method !== 'POST') {
      // The signature covers the body, not the URL: a GET's query would be
      // unsigned.
      res.setHeader('allow', 'POST');
      sendJson(res, 405, {
        errors: [
          {
            message: 'Signed calls must be POST requests.',
            extensions: { code: ErrorCode.BAD_USER_INPUT },
          },
        ],
      });
      return;
    }
  }
  const tracer = activeTracer();
  if (tracer === null) return respond(config, req, res, url, raw, call);
  const header = req.headers['traceparent'];
  const parent = contextOfTraceparent(
    config.verifier
      ? call?.traceparent
      : typeof header === 'string'
        ? header.trim().toLowerCase()
        : undefined,
  );
  const name = config.span?.name ?? 'POST /graphql';
  await tracer.startActiveSpan(
    name,
    {
      kind: SpanKind.SERVER,
      startTime,
      attributes: {
        'http.request.method': req.method ?? 'GET',
        'http.route': '/graphql',
        ...config.span?.attributes,
      },
    },
    parent,
    async (span) => {
      try {
        await respond(config, req, res, url, raw, call);
      } finally {
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) {
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      }
    },
  );
}

/** Answers a `/graphql` request whose body was read (and signature checked). */
async function respond<TContext extends BaseContext>(
  config: ServeGraphQLConfig<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  raw: Buffer,
  call: SignedCallContext | null,
): Promise<void> {
  let body: unknown = undefined;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8')) as unknown;
    } catch {
      sendJson(res, 400, {
        errors: [
          {
            message: 'Request body is not valid JSON.',
            extensions: { code: ErrorCode.BAD_USER_INPUT },
          },
        ],
      });
      return;
    }
  }
  const maxBatchSize = config.maxBatchSize ?? 1;
  if (Array.isArray(body) && body.length > maxBatchSize) {
    sendJson(res, 400, {
      errors: [
        {
          message: `A batched request may hold at most ${String(maxBatchSize)} operation(s); this one holds ${String(body.length)}.`,
          extensions: { code: ErrorCode.BATCH_TOO_LARGE, maxBatchSize },
        },
      ],
    });
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) {
      headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
  }
  const response = await config.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: url.search,
      body,
    },
    context: () => config.context(req, call),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    const answer = response.body.string;
    if (
      config.maxResponseBytes !== undefined &&
      // A UTF-16 unit is at most 3 bytes of UTF-8: most answers are
      // measured without encoding them.
      answer.length * 3 > config.maxResponseBytes &&
      Buffer.byteLength(answer, 'utf8') > config.maxResponseBytes
    ) {
      res.removeHeader('content-length');
      res.setHeader('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
      sendJson(res, 503, {
        errors: [
          {
            message: `The answer is larger than this server's bound of ${String(config.maxResponseBytes)} bytes; ask for less (smaller pages, fewer fields).`,
            extensions: {
              code: ErrorCode.RESPONSE_TOO_LARGE,
              maxResponseBytes: config.maxResponseBytes,
            },
          },
        ],
      });
      return;
    }
    res.end(answer);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** What {@link serveOperations} answers besides `/health`. */
export interface OperationsEndpoints {
  /** The checks of `GET /ready`. */
  readonly ready: Readonly<Record<string, ReadyCheck>>;
  /** What `GET /metrics` serves; 404 when absent. */
  readonly metrics?: ServeGraphQLConfig<BaseContext>['metrics'];
}

/**
 * Answers `GET /ready` and `GET /metrics` for an operator's tools (see
 * {@link ServeGraphQLConfig.ready} and {@link ServeGraphQLConfig.metrics});
 * false for any other request, which the caller then answers.
 */
export async function serveOperations(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  endpoints: OperationsEndpoints,
): Promise<boolean> {
  if (req.method !== 'GET') return false;
  if (pathname === '/ready') {
    const readiness = await checkReadiness(endpoints.ready);
    sendJson(res, readiness.status === 'ready' ? 200 : 503, readiness);
    return true;
  }
  if (pathname === '/metrics' && endpoints.metrics !== undefined) {
    const { endpoint, mayRead } = endpoints.metrics;
    if (mayRead !== undefined && !(await mayRead(req))) {
      sendJson(res, 403, {
        errors: [
          {
            message: "/metrics needs an operator's bearer token.",
            extensions: { code: ErrorCode.FORBIDDEN },
          },
        ],
      });
      return true;
    }
    const text = await endpoint.text();
    res.statusCode = 200;
    res.setHeader('content-type', endpoint.contentType);
    res.end(text);
    return true;
  }
  return false;
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

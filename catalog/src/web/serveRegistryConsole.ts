import { readFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A demo user the console offers on its login page. */
export interface RegistryConsoleDemoUser {
  id: string;
  description: string;
}

/** Configuration of {@link serveRegistryConsole}. */
export interface RegistryConsoleConfig {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** The gateway's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  gatewayUrl: string;
  /**
   * Demo mode: the login page offers these users and `POST /api/demo-login`
   * mints a token for one of them. `null` or absent: both endpoints answer
   * 404 and reviewers paste a bearer token.
   */
  demo?: {
    users: readonly RegistryConsoleDemoUser[];
    mintToken: (userId: string) => Promise<string>;
  } | null;
}

/** A listening registry console. */
export interface RegistryConsole {
  /** The console's address, e.g. `http://127.0.0.1:4010/`. */
  readonly url: string;
  close(): Promise<void>;
}

/** The purpose of use every reviewer declares at the gateway. */
const REVIEW_PURPOSE = 'algorithm-review';
const MAX_BODY_BYTES = 1_048_576;
/** How long a proxied gateway request may take. */
const GATEWAY_TIMEOUT_MS = 30_000;
/** How long `close()` lets requests in flight finish before it cuts them. */
const CLOSE_GRACE_MS = 5_000;
/** Request headers passed on to the gateway. */
const FORWARDED_HEADERS = [
  'authorization',
  'x-govgraph-purpose',
  'content-type',
] as const;

const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * The only files served: a fixed table, so that no request path ever
 * reaches the file system (no directory traversal).
 */
const STATIC_FILES: ReadonlyMap<string, { file: string; type: string }> =
  new Map([
    ['/', { file: 'index.html', type: 'text/html; charset=utf-8' }],
    ['/index.html', { file: 'index.html', type: 'text/html; charset=utf-8' }],
    ['/app.js', { file: 'app.js', type: 'text/javascript; charset=utf-8' }],
    ['/styles.css', { file: 'styles.css', type: 'text/css; charset=utf-8' }],
  ]);

const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/**
 * Serves the algorithm reviewers' web console (算法备案审核台): the static
 * single-page app of `catalog/web/`, `POST /graphql` proxied to the gateway
 * (the caller's own bearer token and purpose go with it: the console holds
 * no authority of its own), and in demo mode `GET /api/demo-users` and
 * `POST /api/demo-login`.
 */
export async function serveRegistryConsole(
  config: RegistryConsoleConfig,
): Promise<RegistryConsole> {
  let closing = false;
  const server = createServer((req, res) => {
    if (closing) res.setHeader('connection', 'close');
    handle(config, req, res).catch(() => {
      if (!res.headersSent) {
        sendJson(
          res,
          500,
          graphQLError('Internal server error', 'INTERNAL_SERVER_ERROR'),
        );
      } else {
        res.destroy();
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
    config.host === '0.0.0.0' || config.host === undefined
      ? '127.0.0.1'
      : config.host;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${String(port)}/`,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        // Requests in flight finish; idle keep-alive connections close as
        // they become idle; after the grace period the rest are cut.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(
          () => server.closeAllConnections(),
          CLOSE_GRACE_MS,
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

async function handle(
  config: RegistryConsoleConfig,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';

  if (pathname === '/graphql') {
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    return proxyGraphQL(config.gatewayUrl, req, res);
  }

  if (pathname === '/api/demo-users' || pathname === '/api/demo-login') {
    const demo = config.demo;
    if (!demo) return notFound(res);
    if (pathname === '/api/demo-users') {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      sendJson(
        res,
        200,
        demo.users.map((u) => ({ id: u.id, description: u.description })),
      );
      return;
    }
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    const raw = await readBody(req, MAX_BODY_BYTES);
    if (raw === null) return tooLarge(res);
    const userId = parseUserId(raw);
    if (userId === null || !demo.users.some((u) => u.id === userId)) {
      sendJson(res, 400, { error: 'Unknown demo user.' });
      return;
    }
    const token = await demo.mintToken(userId);
    sendJson(res, 200, { token, purpose: REVIEW_PURPOSE });
    return;
  }

  const file = STATIC_FILES.get(pathname);
  if (file === undefined) return notFound(res);
  if (method !== 'GET' && method !== 'HEAD') {
    return methodNotAllowed(res, 'GET, HEAD');
  }
  const body = await readFile(`${WEB_ROOT}${file.file}`);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': file.type,
    'content-length': body.length,
    'cache-control': 'no-cache',
  });
  res.end(method === 'HEAD' ? undefined : body);
}

async function proxyGraphQL(
  gatewayUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw = await readBody(req, MAX_BODY_BYTES);
  if (raw === null) return tooLarge(res);
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  let upstream: Response;
  let text: string;
  try {
    upstream = await fetch(gatewayUrl, {
      method: 'POST',
      headers,
      body: raw,
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    });
    text = await upstream.text();
  } catch {
    sendJson(
      res,
      502,
      graphQLError('The gateway is unreachable.', 'BAD_GATEWAY'),
    );
    return;
  }
  res.writeHead(upstream.status, {
    'content-type':
      upstream.headers.get('content-type') ?? 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function parseUserId(raw: Buffer): string | null {
  try {
    const body = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof body !== 'object' || body === null || !('userId' in body)) {
      return null;
    }
    return typeof body.userId === 'string' ? body.userId : null;
  } catch {
    return null;
  }
}

/** The request body, or `null` when it is larger than `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLargeBody = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        tooLargeBody = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLargeBody ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function graphQLError(message: string, code: string): unknown {
  return { errors: [{ message, extensions: { code } }] };
}

function notFound(res: ServerResponse): void {
  sendJson(res, 404, { error: 'Not found.' });
}

function tooLarge(res: ServerResponse): void {
  sendJson(
    res,
    413,
    graphQLError(
      `Request body is larger than ${String(MAX_BODY_BYTES)} bytes.`,
      'BAD_USER_INPUT',
    ),
  );
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  sendJson(res, 405, { error: 'Method not allowed.' });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

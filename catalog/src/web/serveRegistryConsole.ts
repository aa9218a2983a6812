import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import {
  BadUserInputError,
  ForbiddenError,
  GraphQLErrorWithCode,
  NotFoundError,
} from '../../../subgraphs/kit/src/errors/GraphQLErrorWithCode.js';
import { ErrorCode } from '../../../subgraphs/kit/src/errors/ErrorCode.js';
import { createComponentMetrics } from '../../../subgraphs/kit/src/metrics/ComponentMetrics.js';
import {
  serveOperations,
  type OperationsEndpoints,
} from '../../../subgraphs/kit/src/http/serveGraphQL.js';
import {
  AllowedHosts,
  isLoopbackAddress,
  isLoopbackHost,
  isSameOrigin,
  parseHost,
  type HostAndPort,
} from './consoleHosts.js';

/** A demo user the console offers on its login page. */
export interface RegistryConsoleDemoUser {
  id: string;
  description: string;
  /** Its roles, shown beside it (the token says them again). */
  roles?: readonly string[];
  /**
   * The purpose of use its session declares.
   * @defaultValue 'algorithm-review'
   */
  purpose?: string;
}

/**
 * Production login by OpenID Connect (authorization code with PKCE, in the
 * browser): the identity provider's issuer URL and the console's client id
 * (a public client: no secret). The browser may then also connect to the
 * issuer's origin (CSP `connect-src`) for its discovery document, keys and
 * token endpoint.
 */
export interface RegistryConsoleOidc {
  issuer: string;
  clientId: string;
  /** @defaultValue 'openid profile' */
  scope?: string;
}

/**
 * Demo mode (what `npm start` runs): the login page offers `users` and
 * `POST /api/demo-login` mints a token for one of them — only for a caller
 * on this machine (loopback `Host` name and loopback peer address), only
 * for a same-origin `application/json` request.
 */
export interface RegistryConsoleDemoMode {
  kind: 'demo';
  users: readonly RegistryConsoleDemoUser[];
  /** Mints a token for one of `users`, valid for `ttlSeconds`. */
  mintToken: (userId: string, ttlSeconds: number) => Promise<string>;
  /**
   * Lifetime of a demo login's token, in seconds.
   * @defaultValue 3600
   */
  tokenTtlSeconds?: number;
}

/**
 * Production mode: there is no demo login at all — `GET /api/demo-users`
 * and `POST /api/demo-login` answer 404 and reviewers paste a bearer token
 * from the identity provider.
 */
export interface RegistryConsoleProductionMode {
  kind: 'production';
  users?: undefined;
  mintToken?: undefined;
  tokenTtlSeconds?: undefined;
}

/** Whether the console offers demo logins: one or the other, stated. */
export type RegistryConsoleMode =
  RegistryConsoleDemoMode | RegistryConsoleProductionMode;

/** Configuration of {@link serveRegistryConsole}. */
export interface RegistryConsoleConfig {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** The gateway's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  gatewayUrl: string;
  /**
   * `Host` names the console answers to besides `127.0.0.1`, `localhost`
   * and `[::1]` on its port and the address it listens on: the public
   * name(s) it is reached by, `name:port` for one port or a bare `name`
   * for any (behind a TLS-terminating proxy). Every request with another
   * `Host` — pages, API, the `/graphql` proxy — is refused with 421, so a
   * web page that rebinds its own DNS name to this machine reaches nothing.
   * @defaultValue []
   */
  allowedHosts?: readonly string[];
  /** Demo or production: see {@link RegistryConsoleMode}. */
  mode: RegistryConsoleMode;
  /** OpenID Connect login, when configured; see {@link RegistryConsoleOidc}. */
  oidc?: RegistryConsoleOidc | null;
  /**
   * The built console (index.html and assets/).
   * @defaultValue console/dist of this repository (`npm run build:web`)
   */
  webRoot?: string;
  /**
   * The largest body a `POST /graphql` may have, in bytes: the gateway's
   * own limit (its `MAX_BODY_BYTES`), so an evidence document of
   * REGISTRY_EVIDENCE_MAX_BYTES uploaded in base64 passes the console as it
   * passes the gateway. Larger bodies are refused with 413.
   * @defaultValue {@link DEFAULT_CONSOLE_MAX_BODY_BYTES} (8 MiB)
   */
  maxBodyBytes?: number;
}

/** A listening registry console. */
export interface RegistryConsole {
  /** The console's address, e.g. `http://127.0.0.1:4010/`. */
  readonly url: string;
  close(): Promise<void>;
}

/** The purpose of use a demo user declares unless it names its own. */
const REVIEW_PURPOSE = 'algorithm-review';
/** The scopes an OpenID Connect login asks for unless configured. */
export const DEFAULT_OIDC_SCOPE = 'openid profile';
/** Default lifetime of a demo login's token: one hour. */
const DEMO_TOKEN_TTL_SECONDS = 3_600;
/** The largest demo-login body (a user id in JSON). */
const MAX_LOGIN_BODY_BYTES = 1_048_576;
/** The gateway's default `MAX_BODY_BYTES`: the `/graphql` proxy's limit unless configured. */
export const DEFAULT_CONSOLE_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** How long a proxied gateway request may take. */
const GATEWAY_TIMEOUT_MS = 30_000;
/** How long `close()` lets requests in flight finish before it cuts them. */
const CLOSE_GRACE_MS = 5_000;
/**
 * The only request headers passed on to the gateway: the caller's own
 * token, purpose and body type. Nothing else (no cookies, no `Host`, no
 * `x-forwarded-*`) crosses the proxy.
 */
const FORWARDED_HEADERS = [
  'authorization',
  'x-govgraph-purpose',
  'content-type',
] as const;

/** Where `npm run build:web` puts the console (console/dist). */
export const CONSOLE_WEB_ROOT = fileURLToPath(
  new URL('../../../console/dist/', import.meta.url),
);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  json: 'application/json; charset=utf-8',
};

interface StaticFile {
  readonly file: string;
  readonly type: string;
  /** Content-hashed asset: cached for good. */
  readonly immutable: boolean;
}

/** The console has not been built where it is served from. */
export class ConsoleNotBuiltError extends Error {
  constructor(webRoot: string) {
    super(
      `the web console is not built (no ${webRoot}index.html): run \`npm run build:web\``,
    );
    this.name = 'ConsoleNotBuiltError';
  }
}

/**
 * The only files served, listed once at start: a fixed table of the build's
 * files, so that no request path ever reaches the file system (no
 * directory traversal). `/` is index.html.
 */
function staticFiles(webRoot: string): ReadonlyMap<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(`${webRoot}${dir}`)) {
      const relative = `${dir}${entry}`;
      if (statSync(`${webRoot}${relative}`).isDirectory()) {
        walk(`${relative}/`);
        continue;
      }
      const type = CONTENT_TYPES[entry.split('.').pop() ?? ''];
      if (type === undefined) continue;
      files.set(`/${relative}`, {
        file: relative,
        type,
        immutable: relative.startsWith('assets/'),
      });
    }
  };
  try {
    walk('');
  } catch {
    throw new ConsoleNotBuiltError(webRoot);
  }
  const index = files.get('/index.html');
  if (index === undefined) throw new ConsoleNotBuiltError(webRoot);
  files.set('/', index);
  return files;
}

/** Rules named by the console's refusals (`extensions.rule`). */
const HOST_RULE = 'console:allowed-hosts';
const SAME_ORIGIN_RULE = 'console:same-origin';
const DEMO_LOOPBACK_RULE = 'console:demo-loopback';
const DEMO_JSON_RULE = 'console:demo-json';

/**
 * The headers of every page and asset. The page loads only its own files
 * and talks only to its own origin, plus the identity provider's when
 * OpenID Connect is configured.
 */
function securityHeaders(
  oidc: RegistryConsoleOidc | null,
  styleNonce: string | null,
): OutgoingHttpHeaders {
  const connect = ["'self'", ...(oidc ? [new URL(oidc.issuer).origin] : [])];
  const style = ["'self'", ...(styleNonce ? [`'nonce-${styleNonce}'`] : [])];
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src ${style.join(' ')}; img-src 'self' data:; font-src 'self'; connect-src ${connect.join(' ')}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
  };
}

/** Where index.html takes the page's style nonce. */
const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * Serves the web console (政务数据共享控制台): the built single-page app
 * of `console/` (console/dist), `GET /api/console-config` (how to log in),
 * `POST /graphql` proxied to the gateway
 * (the caller's own bearer token and purpose go with it: the console holds
 * no authority of its own), and in demo mode `GET /api/demo-users` and
 * `POST /api/demo-login`. It answers only requests whose `Host` is one of
 * its names ({@link RegistryConsoleConfig.allowedHosts}) and takes POSTs
 * only from its own origin.
 */
export async function serveRegistryConsole(
  config: RegistryConsoleConfig,
): Promise<RegistryConsole> {
  const mode = config.mode;
  const maxBodyBytes = config.maxBodyBytes ?? DEFAULT_CONSOLE_MAX_BODY_BYTES;
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    throw new TypeError(
      `maxBodyBytes must be a positive whole number of bytes, got ${String(maxBodyBytes)}`,
    );
  }
  if (
    mode.kind === 'demo' &&
    mode.tokenTtlSeconds !== undefined &&
    !(Number.isInteger(mode.tokenTtlSeconds) && mode.tokenTtlSeconds > 0)
  ) {
    throw new TypeError(
      `tokenTtlSeconds must be a positive whole number of seconds, got ${String(mode.tokenTtlSeconds)}`,
    );
  }
  if (config.oidc) {
    const issuer = URL.canParse(config.oidc.issuer)
      ? new URL(config.oidc.issuer)
      : null;
    if (issuer === null || !/^https?:$/.test(issuer.protocol)) {
      throw new TypeError(
        `the OpenID Connect issuer must be an http(s) URL, got ${JSON.stringify(config.oidc.issuer)}`,
      );
    }
  }
  const files = staticFiles(config.webRoot ?? CONSOLE_WEB_ROOT);
  const listenHost = config.host ?? '127.0.0.1';
  // Checked before listening, so a bad name stops the start, not a request.
  AllowedHosts.of(0, listenHost, config.allowedHosts ?? []);
  let closing = false;
  const server = createServer();
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // The loopback names are allowed on the port just bound. No request can
  // have arrived yet: the handler is attached in the same tick.
  const allowedHosts = AllowedHosts.of(
    port,
    listenHost,
    config.allowedHosts ?? [],
  );
  const operations = consoleOperations(config.gatewayUrl);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.setHeader('connection', 'close');
    handle(config, allowedHosts, files, operations, req, res).catch(() => {
      if (!res.headersSent) {
        sendError(
          res,
          500,
          new GraphQLErrorWithCode(
            'Internal server error',
            ErrorCode.INTERNAL_SERVER_ERROR,
          ),
        );
      } else {
        res.destroy();
      }
    });
  });
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

/**
 * The console's `/health`, `/ready` (the gateway it proxies to answers)
 * and `/metrics` (process metrics, `component="console"`): for probes and
 * Prometheus, answered whatever the `Host` (the kubelet sends the pod's
 * address), as they hold no data.
 */
function consoleOperations(gatewayUrl: string): OperationsEndpoints {
  return {
    ready: {
      gateway: async () => {
        try {
          const res = await fetch(new URL('/health', gatewayUrl), {
            signal: AbortSignal.timeout(1_000),
          });
          await res.body?.cancel();
          return res.ok
            ? { status: 'ok' }
            : { status: 'failing', reason: 'the gateway is not healthy' };
        } catch {
          return { status: 'failing', reason: 'the gateway does not answer' };
        }
      },
    },
    metrics: { endpoint: createComponentMetrics('console') },
  };
}

async function handle(
  config: RegistryConsoleConfig,
  allowedHosts: AllowedHosts,
  files: ReadonlyMap<string, StaticFile>,
  operations: OperationsEndpoints,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/health' && req.method === 'GET') {
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ status: 'ok', console: 'ok' }));
    return;
  }
  if (await serveOperations(req, res, path, operations)) return;
  // DNS rebinding: a page of another site that points its own name at this
  // machine sends that name as Host. Such a request gets nothing here.
  const host = parseHost(req.headers.host);
  if (host === null || !allowedHosts.allows(host)) {
    return sendError(
      res,
      421,
      new ForbiddenError(
        `This console does not answer to the host name ${JSON.stringify(req.headers.host ?? '')}; add it to the console's allowed hosts (CONSOLE_ALLOWED_HOSTS) if it is one of its names.`,
        HOST_RULE,
      ),
    );
  }
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';

  if (pathname === '/graphql') {
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    if (!sameOriginOrNone(req, res, host)) return;
    return proxyGraphQL(
      config.gatewayUrl,
      config.maxBodyBytes ?? DEFAULT_CONSOLE_MAX_BODY_BYTES,
      req,
      res,
    );
  }

  if (pathname === '/api/console-config') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET');
    const oidc = config.oidc ?? null;
    sendJson(res, 200, {
      demo: config.mode.kind === 'demo',
      oidc:
        oidc === null
          ? null
          : {
              issuer: oidc.issuer,
              clientId: oidc.clientId,
              scope: oidc.scope ?? DEFAULT_OIDC_SCOPE,
            },
    });
    return;
  }

  if (pathname === '/api/demo-users' || pathname === '/api/demo-login') {
    const mode = config.mode;
    // Production: these routes do not exist.
    if (mode.kind !== 'demo') return notFound(res);
    if (!isLoopbackHost(host) || !isLoopbackAddress(req.socket.remoteAddress)) {
      return sendError(
        res,
        403,
        new ForbiddenError(
          'Demo logins are offered only to a browser on the machine that runs the console (http://127.0.0.1, localhost or [::1]).',
          DEMO_LOOPBACK_RULE,
        ),
      );
    }
    if (pathname === '/api/demo-users') {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      sendJson(
        res,
        200,
        mode.users.map((u) => ({
          id: u.id,
          description: u.description,
          roles: u.roles ?? [],
        })),
      );
      return;
    }
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    if (!sameOriginOrNone(req, res, host)) return;
    // A form or a CORS-simple fetch (text/plain, urlencoded, multipart) of
    // another page cannot send application/json without a preflight.
    if (mediaType(req.headers['content-type']) !== 'application/json') {
      return sendError(
        res,
        415,
        new BadUserInputError(
          `A demo login is a POST with content-type application/json, not ${JSON.stringify(req.headers['content-type'] ?? '(none)')}.`,
          { rule: DEMO_JSON_RULE },
        ),
      );
    }
    const raw = await readBody(req, MAX_LOGIN_BODY_BYTES);
    if (raw === null) return tooLarge(res, MAX_LOGIN_BODY_BYTES);
    const userId = parseUserId(raw);
    const user = mode.users.find((u) => u.id === userId);
    if (userId === null || user === undefined) {
      return sendError(
        res,
        400,
        new BadUserInputError(
          'Unknown demo user: send {"userId": "<id>"} with one of GET /api/demo-users.',
        ),
      );
    }
    const ttlSeconds = mode.tokenTtlSeconds ?? DEMO_TOKEN_TTL_SECONDS;
    const token = await mode.mintToken(userId, ttlSeconds);
    sendJson(res, 200, {
      token,
      purpose: user.purpose ?? REVIEW_PURPOSE,
      expiresInSeconds: ttlSeconds,
    });
    return;
  }

  const file = files.get(pathname);
  if (file === undefined) return notFound(res);
  if (method !== 'GET' && method !== 'HEAD') {
    return methodNotAllowed(res, 'GET, HEAD');
  }
  let body = await readFile(
    `${config.webRoot ?? CONSOLE_WEB_ROOT}${file.file}`,
  );
  // The page: a fresh nonce for the style elements Ant Design adds.
  const nonce =
    file.file === 'index.html' ? randomBytes(18).toString('base64') : null;
  if (nonce !== null) {
    body = Buffer.from(
      body.toString('utf8').replaceAll(NONCE_PLACEHOLDER, nonce),
    );
  }
  res.writeHead(200, {
    ...securityHeaders(config.oidc ?? null, nonce),
    'content-type': file.type,
    'content-length': body.length,
    'cache-control': file.immutable
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  });
  res.end(method === 'HEAD' ? undefined : body);
}

async function proxyGraphQL(
  gatewayUrl: string,
  maxBodyBytes: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw = await readBody(req, maxBodyBytes);
  if (raw === null) return tooLarge(res, maxBodyBytes);
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
    sendError(
      res,
      502,
      new GraphQLErrorWithCode(
        'The gateway is unreachable.',
        ErrorCode.UPSTREAM_UNAVAILABLE,
      ),
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

/**
 * Whether a POST may go on: without `Origin` (not a browser's cross-site
 * request) or with this console's own. Otherwise it answers 403 itself.
 */
function sameOriginOrNone(
  req: IncomingMessage,
  res: ServerResponse,
  host: HostAndPort,
): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || isSameOrigin(origin, host)) return true;
  sendError(
    res,
    403,
    new ForbiddenError(
      `Requests from another origin (${JSON.stringify(origin)}) are refused; use the console's own page.`,
      SAME_ORIGIN_RULE,
    ),
  );
  return false;
}

/** The media type of a `content-type` header, lower-case, without parameters. */
function mediaType(header: string | undefined): string | null {
  if (header === undefined) return null;
  return header.split(';', 1)[0]?.trim().toLowerCase() ?? null;
}

function notFound(res: ServerResponse): void {
  sendError(res, 404, new NotFoundError('Not found.'));
}

function tooLarge(res: ServerResponse, maxBytes: number): void {
  sendError(
    res,
    413,
    new BadUserInputError(
      `Request body is larger than ${String(maxBytes)} bytes.`,
    ),
  );
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  sendError(
    res,
    405,
    new BadUserInputError(`Method not allowed; use ${allow}.`),
  );
}

/** Answers `status` with the GraphQL-style body `{ errors: [error] }`. */
function sendError(
  res: ServerResponse,
  status: number,
  error: GraphQLErrorWithCode,
): void {
  sendJson(res, status, { errors: [error.toJSON()] });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

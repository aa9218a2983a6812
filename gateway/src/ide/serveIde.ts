import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

import { ErrorCode } from '../../../subgraphs/kit/src/errors/ErrorCode.js';
import { BUILD_STAMP_FILE } from '../../../subgraphs/kit/src/web/webApp.js';

/** Where the IDE's pages are served: `/ide/` (and `GET /graphql` for browsers). */
export const IDE_PATH = '/ide/';

/**
 * The content security policy of the IDE's pages: everything from the
 * gateway's own origin (scripts, Monaco's workers, styles, fonts, the
 * GraphQL requests), nothing from anywhere else, never framed. Monaco and
 * GraphiQL set inline styles and GraphiQL's stylesheet embeds its fonts as
 * `data:` URLs.
 */
export const IDE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Types worth compressing (fonts other than TTF are compressed already). */
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg|font\/ttf)/;

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  /** Content-hashed file name: cached for a year, never revalidated. */
  readonly immutable: boolean;
  gzipped?: Buffer;
}

/**
 * The IDE's built files, held in memory and served from a fixed table (no
 * request path ever reaches the file system), or why there are none.
 */
export type IdeAssets =
  | { readonly kind: 'built'; readonly files: ReadonlyMap<string, Asset> }
  | { readonly kind: 'missing'; readonly reason: string };

/**
 * Reads the IDE's build from `dir` (gateway/ide/dist, made by `npm run
 * build:ide`); `missing` when there is none.
 */
export async function loadIde(dir: string): Promise<IdeAssets> {
  let paths: string[];
  try {
    paths = await filesUnder(dir);
  } catch {
    return { kind: 'missing', reason: `no build in ${dir}` };
  }
  const files = new Map<string, Asset>();
  for (const path of paths) {
    const name = relative(dir, path).split(sep).join('/');
    if (name === BUILD_STAMP_FILE) continue;
    const body = await readFile(path);
    files.set(`${IDE_PATH}${name}`, {
      body,
      type: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      immutable: name.startsWith('assets/'),
    });
  }
  if (!files.has(`${IDE_PATH}index.html`)) {
    return { kind: 'missing', reason: `no index.html in ${dir}` };
  }
  return { kind: 'built', files };
}

/**
 * Answers the IDE's requests, and only those (returns `false` for every
 * other request): `GET`/`HEAD` of `/ide`, `/ide/` and its assets, and of
 * `/graphql` from a browser (an `Accept` naming `text/html` and no `query`
 * parameter) — the page Apollo Sandbox used to load from a CDN.
 */
export function serveIde(
  ide: IdeAssets,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): boolean {
  const { pathname } = url;
  const browserAtGraphql =
    pathname === '/graphql' &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    (req.headers.accept ?? '').includes('text/html') &&
    !url.searchParams.has('query');
  const idePath = pathname === '/ide' || pathname.startsWith(IDE_PATH);
  if (!browserAtGraphql && !idePath) return false;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    res.setHeader(name, value);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendError(res, 405, 'The IDE is read with GET.', ErrorCode.BAD_USER_INPUT);
    return true;
  }
  if (ide.kind === 'missing') {
    res.statusCode = 503;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(
      `The GraphQL IDE is not built (${ide.reason}): run "npm run build:ide" (npm install and npm start do it when Vite is installed) and restart the gateway.\n`,
    );
    return true;
  }
  const page =
    browserAtGraphql || pathname === '/ide' || pathname === IDE_PATH
      ? `${IDE_PATH}index.html`
      : pathname;
  const asset = ide.files.get(page);
  if (asset === undefined) {
    sendError(res, 404, `No IDE file ${pathname}.`, ErrorCode.NOT_FOUND);
    return true;
  }
  res.setHeader('content-type', asset.type);
  res.setHeader('etag', asset.etag);
  res.setHeader(
    'cache-control',
    asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  if (asset.type.startsWith('text/html')) {
    res.setHeader('content-security-policy', IDE_CONTENT_SECURITY_POLICY);
  }
  res.setHeader('vary', 'accept-encoding');
  if (req.headers['if-none-match'] === asset.etag) {
    res.statusCode = 304;
    res.end();
    return true;
  }
  let body = asset.body;
  if (
    COMPRESSIBLE.test(asset.type) &&
    /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
  ) {
    // Compressed once, on first request: a gateway that never serves the
    // IDE spends nothing on it.
    asset.gzipped ??= gzipSync(asset.body);
    body = asset.gzipped;
    res.setHeader('content-encoding', 'gzip');
  }
  res.statusCode = 200;
  res.setHeader('content-length', String(body.length));
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code: ErrorCode,
): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

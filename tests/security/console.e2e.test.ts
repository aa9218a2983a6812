// The web console's server (catalog/src/web/) against DNS rebinding and
// cross-site requests: it answers only its own host names, takes demo
// logins only from this machine as same-origin application/json, proxies
// only the caller's own headers, and in production (`npm run console`) has
// no demo login at all. The console runs for real in front of a recording
// upstream that stands where the gateway would, so each refusal is also
// checked never to have reached the gateway.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';

import { jwtVerify } from 'jose';
import { chromium } from 'playwright-core';

import {
  serveRegistryConsole,
  type RegistryConsole,
} from '../../catalog/src/web/serveRegistryConsole.js';
import { mintToken } from '../../gateway/src/identity/index.js';
import { findDemoUser } from '../../hub/demoUsers.js';
import { TEST_TOKEN_SECRET } from '../utils/graphql.js';
import { freePort } from '../utils/net.js';
import { LAUNCHER } from '../utils/processes.js';

const REVIEWER = 'algorithm-reviewer';
const PUBLIC_NAME = 'console.example.gov.cn';
const tokenKey = new TextEncoder().encode(TEST_TOKEN_SECRET);
const root = new URL('../..', import.meta.url);
/** An address of this machine that is not loopback, for the peer check. */
const externalIPv4 = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

/** What reached the stand-in gateway. */
interface Forwarded {
  headers: IncomingHttpHeaders;
  body: string;
}

let upstream: Server | undefined;
let upstreamUrl = '';
const forwarded: Forwarded[] = [];
let demo: RegistryConsole | undefined;

/** The demo-mode console as `npm start` configures it (hub/start.ts). */
async function demoConsole(
  options: { host?: string; allowedHosts?: string[] } = {},
): Promise<RegistryConsole> {
  const reviewer = findDemoUser(REVIEWER);
  assert.ok(reviewer);
  return serveRegistryConsole({
    port: 0,
    ...(options.host === undefined ? {} : { host: options.host }),
    gatewayUrl: upstreamUrl,
    allowedHosts: options.allowedHosts ?? [],
    mode: {
      kind: 'demo',
      users: [{ id: reviewer.id, description: reviewer.description }],
      mintToken: (id, ttlSeconds) => {
        assert.equal(id, REVIEWER);
        return mintToken(reviewer.claims, tokenKey, { ttlSeconds });
      },
    },
  });
}

before(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      forwarded.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":{"__typename":"Query"}}');
    });
  });
  await new Promise<void>((resolve) =>
    upstream!.listen(0, '127.0.0.1', resolve),
  );
  upstreamUrl = `http://127.0.0.1:${String((upstream.address() as AddressInfo).port)}/graphql`;
  demo = await demoConsole({ allowedHosts: [PUBLIC_NAME] });
});

after(async () => {
  await demo?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

interface Sent {
  status: number;
  text: string;
  json: () => {
    token?: string;
    expiresInSeconds?: number;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/**
 * One request to the console at `base` with exactly these headers: `host`
 * replaces the one the URL implies (`null`: none at all), `connectTo`
 * dials another address of the same server.
 */
function send(
  base: string,
  path: string,
  options: {
    method?: string;
    host?: string | null;
    headers?: Record<string, string>;
    body?: string;
    connectTo?: string | undefined;
  } = {},
): Promise<Sent> {
  const url = new URL(path, base);
  const headers: Record<string, string> = { ...options.headers };
  if (options.host !== null) headers['host'] = options.host ?? url.host;
  if (options.body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.connectTo ?? url.hostname,
        port: url.port,
        path: url.pathname,
        method: options.method ?? 'GET',
        headers,
        setHost: false,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text,
            json: () => JSON.parse(text) as ReturnType<Sent['json']>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const LOGIN_BODY = JSON.stringify({ userId: REVIEWER });
const JSON_TYPE = { 'content-type': 'application/json' };

/** The requests a rebinding page would make, one per kind of route. */
function everyRoute(): [string, Parameters<typeof send>[2]][] {
  return [
    ['/', {}],
    ['/index.html', {}],
    ['/api/console-config', {}],
    ['/api/demo-users', {}],
    [
      '/api/demo-login',
      { method: 'POST', headers: JSON_TYPE, body: LOGIN_BODY },
    ],
    [
      '/graphql',
      {
        method: 'POST',
        headers: { ...JSON_TYPE, authorization: 'Bearer stolen' },
        body: '{"query":"{ __typename }"}',
      },
    ],
  ];
}

function assertRefused(
  res: Sent,
  status: number,
  rule: string,
  what: string,
): void {
  assert.equal(res.status, status, `${what}: ${res.text}`);
  const error = res.json().errors?.[0];
  assert.equal(error?.extensions?.['rule'], rule, `${what}: ${res.text}`);
  assert.ok(
    error?.extensions?.['code'] === 'FORBIDDEN' ||
      error?.extensions?.['code'] === 'BAD_USER_INPUT',
    res.text,
  );
  assert.doesNotMatch(res.text, /"token"/, what);
}

describe('the reviewers’ console against DNS rebinding and cross-site requests', () => {
  it('refuses pages, demo users, demo login and the /graphql proxy for a Host that is not one of its names', async () => {
    const base = demo!.url;
    const { port } = new URL(base);
    const before = forwarded.length;
    for (const host of [
      `rebind.attacker.example:${port}`,
      'rebind.attacker.example',
      `127.0.0.1.nip.io:${port}`,
      `localhost.:${port}`,
      `localhost:${String(Number(port) + 1)}`,
      `${PUBLIC_NAME}.attacker.example`,
      `user@localhost:${port}`,
      `[::2]:${port}`,
    ]) {
      for (const [path, options] of everyRoute()) {
        const res = await send(base, path, { ...options, host });
        assertRefused(res, 421, 'console:allowed-hosts', `${host} ${path}`);
      }
    }
    const none = await send(base, '/api/demo-users', { host: null });
    assert.ok(
      none.status === 400 || none.status === 421,
      `no Host: ${String(none.status)}`,
    );
    assert.equal(forwarded.length, before, 'a refused request was proxied');
  });

  it('answers its loopback names on its port and its configured public name', async () => {
    const base = demo!.url;
    const { port } = new URL(base);
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `[::1]:${port}`,
      PUBLIC_NAME,
      `${PUBLIC_NAME}:443`,
    ]) {
      const page = await send(base, '/', { host });
      assert.equal(page.status, 200, `${host}: ${page.text}`);
      assert.match(page.text, /<html/i);
    }
    const proxied = await send(base, '/graphql', {
      method: 'POST',
      host: PUBLIC_NAME,
      headers: {
        ...JSON_TYPE,
        origin: `https://${PUBLIC_NAME}`,
        authorization: 'Bearer t',
      },
      body: '{"query":"{ __typename }"}',
    });
    assert.equal(proxied.status, 200, proxied.text);
  });

  it('offers demo users and demo logins only under a loopback name, not under its public name', async () => {
    const base = demo!.url;
    for (const [path, options] of everyRoute().filter(([p]) =>
      p.startsWith('/api/demo-'),
    )) {
      const res = await send(base, path, { ...options, host: PUBLIC_NAME });
      assertRefused(res, 403, 'console:demo-loopback', path);
    }
  });

  it('takes a demo login only as a same-origin application/json POST', async () => {
    const base = demo!.url;
    const origin = new URL(base).origin;
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
    ]) {
      const res = await send(base, '/api/demo-login', {
        method: 'POST',
        headers: { 'content-type': type, origin },
        body: LOGIN_BODY,
      });
      assertRefused(res, 415, 'console:demo-json', type);
    }
    const untyped = await send(base, '/api/demo-login', {
      method: 'POST',
      body: LOGIN_BODY,
    });
    assertRefused(untyped, 415, 'console:demo-json', 'no content-type');

    for (const foreign of [
      'http://rebind.attacker.example',
      `http://rebind.attacker.example:${new URL(base).port}`,
      'null',
      `https://${new URL(base).hostname}:1`,
    ]) {
      const res = await send(base, '/api/demo-login', {
        method: 'POST',
        headers: { ...JSON_TYPE, origin: foreign },
        body: LOGIN_BODY,
      });
      assertRefused(res, 403, 'console:same-origin', foreign);
    }
    const before = forwarded.length;
    const crossProxy = await send(base, '/graphql', {
      method: 'POST',
      headers: {
        ...JSON_TYPE,
        origin: 'http://rebind.attacker.example',
        authorization: 'Bearer t',
      },
      body: '{"query":"{ __typename }"}',
    });
    assertRefused(crossProxy, 403, 'console:same-origin', '/graphql');
    assert.equal(forwarded.length, before);

    // The console's own page: a token for one hour, not eight.
    const login = await send(base, '/api/demo-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', origin },
      body: LOGIN_BODY,
    });
    assert.equal(login.status, 200, login.text);
    const { token, expiresInSeconds } = login.json();
    assert.equal(expiresInSeconds, 3_600);
    const { payload } = await jwtVerify(token ?? '', tokenKey);
    assert.equal(payload.sub, REVIEWER);
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 3_600);
  });

  it(
    'refuses a demo login to a peer that is not on this machine, whatever Host it sends',
    { skip: externalIPv4 === undefined && 'no non-loopback IPv4 address' },
    async () => {
      const everywhere = await demoConsole({ host: '0.0.0.0' });
      try {
        const base = everywhere.url;
        const host = `127.0.0.1:${new URL(base).port}`;
        for (const [path, options] of everyRoute().filter(([p]) =>
          p.startsWith('/api/demo-'),
        )) {
          const remote = await send(base, path, {
            ...options,
            host,
            connectTo: externalIPv4,
          });
          assertRefused(remote, 403, 'console:demo-loopback', path);
        }
        const local = await send(base, '/api/demo-users', { host });
        assert.equal(local.status, 200, local.text);
      } finally {
        await everywhere.close();
      }
    },
  );

  it('passes on only the caller’s token, purpose and content type to the gateway', async () => {
    const before = forwarded.length;
    const res = await send(demo!.url, '/graphql', {
      method: 'POST',
      headers: {
        ...JSON_TYPE,
        authorization: 'Bearer reviewer-token',
        'x-govgraph-purpose': 'algorithm-review',
        cookie: 'session=1',
        'x-forwarded-for': '10.9.8.7',
        forwarded: 'for=10.9.8.7',
        'x-govgraph-signature': 'forged',
        'x-govgraph-context': 'forged',
      },
      body: '{"query":"{ __typename }"}',
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(forwarded.length, before + 1);
    const seen = forwarded.at(-1)!;
    assert.equal(seen.headers['authorization'], 'Bearer reviewer-token');
    assert.equal(seen.headers['x-govgraph-purpose'], 'algorithm-review');
    assert.equal(seen.headers['content-type'], 'application/json');
    for (const name of [
      'cookie',
      'x-forwarded-for',
      'forwarded',
      'x-govgraph-signature',
      'x-govgraph-context',
    ]) {
      assert.equal(seen.headers[name], undefined, name);
    }
    assert.equal(seen.body, '{"query":"{ __typename }"}');
  });
});

function runConsole(env: Record<string, string>): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  // As `npm run console` runs it (the launcher, one process): SIGTERM
  // reaches the console's own handler.
  const child = spawn(process.execPath, [LAUNCHER, 'catalog/src/web/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => resolve(code)),
  );
  return { child, out: () => out, err: () => err, exit };
}

describe('the console in a real browser', () => {
  it('gives a page whose own DNS name was rebound to this machine nothing, and tells a reviewer under the public name to use a token', async () => {
    const { port } = new URL(demo!.url);
    // Chromium resolves both names to 127.0.0.1, as a rebound name would.
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        `--host-resolver-rules=MAP rebind.attacker.example 127.0.0.1,MAP ${PUBLIC_NAME} 127.0.0.1`,
      ],
    });
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      const before = forwarded.length;
      // The attacker's page, now on the console's address: everything it
      // asks for, from its own origin, is refused.
      const attacked = await page.goto(
        `http://rebind.attacker.example:${port}/`,
      );
      assert.equal(attacked?.status(), 421);
      const stolen = await page.evaluate(async () => {
        const login = await fetch('/api/demo-login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: 'algorithm-reviewer' }),
        });
        const users = await fetch('/api/demo-users');
        const proxied = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        });
        return {
          statuses: [login.status, users.status, proxied.status],
          login: await login.text(),
        };
      });
      assert.deepEqual(stolen.statuses, [421, 421, 421], stolen.login);
      assert.doesNotMatch(stolen.login, /"token"/);
      assert.equal(forwarded.length, before);

      // The console under its public name: no demo accounts offered there.
      await page.goto(`http://${PUBLIC_NAME}:${port}/`);
      await page.getByText('本环境未开放演示账号').waitFor();
      assert.equal(
        await page.locator('[data-testid^="demo-user-"]').count(),
        0,
      );
    } finally {
      await browser.close();
    }
  });
});

describe('npm run console (production)', () => {
  it('has no demo login at all, answers its public name and proxies to GATEWAY_URL', async () => {
    const port = await freePort();
    const io = runConsole({
      CONSOLE_PORT: String(port),
      HOST: '127.0.0.1',
      GATEWAY_URL: upstreamUrl,
      CONSOLE_ALLOWED_HOSTS: `${PUBLIC_NAME}, review.example.gov.cn:8443`,
    });
    try {
      const until = Date.now() + 30_000;
      while (!io.out().includes('web console') && Date.now() < until) {
        assert.equal(io.child.exitCode, null, io.err());
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(
        io.out(),
        new RegExp(
          `web console http://127\\.0\\.0\\.1:${String(port)}/ \\(production: no demo login; paste a token\\)`,
        ),
      );
      const base = `http://127.0.0.1:${String(port)}/`;
      // On this machine, under a loopback name, from its own page: still
      // no such routes.
      for (const [path, options] of everyRoute().filter(([p]) =>
        p.startsWith('/api/demo-'),
      )) {
        const res = await send(base, path, {
          ...options,
          headers: { ...options?.headers, origin: base.slice(0, -1) },
        });
        assert.equal(res.status, 404, `${path}: ${res.text}`);
        assert.equal(res.json().errors?.[0]?.extensions?.['code'], 'NOT_FOUND');
      }
      for (const host of [PUBLIC_NAME, 'review.example.gov.cn:8443']) {
        assert.equal((await send(base, '/', { host })).status, 200, host);
      }
      for (const host of ['review.example.gov.cn', 'rebind.attacker.example']) {
        const res = await send(base, '/index.html', { host });
        assertRefused(res, 421, 'console:allowed-hosts', host);
      }
      const before = forwarded.length;
      const proxied = await send(base, '/graphql', {
        method: 'POST',
        host: PUBLIC_NAME,
        headers: { ...JSON_TYPE, authorization: 'Bearer t' },
        body: '{"query":"{ __typename }"}',
      });
      assert.equal(proxied.status, 200, proxied.text);
      assert.equal(forwarded.length, before + 1);
      io.child.kill('SIGTERM');
      assert.equal(await io.exit, 0, io.err());
    } finally {
      io.child.kill('SIGKILL');
    }
  });

  it('exits 1 with one clear line for a malformed CONSOLE_ALLOWED_HOSTS', async () => {
    const io = runConsole({
      CONSOLE_PORT: String(await freePort()),
      GATEWAY_URL: upstreamUrl,
      CONSOLE_ALLOWED_HOSTS: 'console.example.gov.cn/path',
    });
    assert.equal(await io.exit, 1);
    const lines = io.err().trim().split('\n');
    assert.equal(lines.length, 1, io.err());
    assert.match(
      lines[0] ?? '',
      /^govgraph console: invalid environment: CONSOLE_ALLOWED_HOSTS must be comma-separated host names/,
    );
  });
});

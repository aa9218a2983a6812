import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { SignJWT } from 'jose';
import { chromium, type Browser } from 'playwright-core';

import { IDE_APP } from '../../gateway/ide/app.js';
import { exampleQueries } from '../../hub/exampleQueries.js';
import { ensureWebAppBuilt } from '../../subgraphs/kit/src/web/buildWebApp.js';
import { findDemoUser } from '../../hub/demoUsers.js';
import {
  demoHeaders,
  postGraphQL,
  TEST_TOKEN_SECRET,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import { LAUNCHER } from '../utils/processes.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const QUERY = `{ region(code: "500103") { name } }`;
const PURPOSE = 'x-govgraph-purpose';

let t: TestHub;
let url: string;

before(async () => {
  // The gateway serves the IDE from its build (made on install; rebuilt
  // here only when its sources changed since).
  await ensureWebAppBuilt(IDE_APP);
  t = await startTestHub();
  url = t.hub.gatewayUrl;
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

/** Asks with `headers` and asserts that no SQL statement ran. */
async function refused(
  headers: Record<string, string>,
  query = QUERY,
): Promise<GraphQLResponse> {
  t.statements.reset();
  const res = await postGraphQL(url, query, undefined, headers);
  assert.equal(t.statements.count, 0, 'nothing reached a subgraph');
  assert.equal(res.data, undefined, res.text);
  assert.doesNotMatch(res.text, /stacktrace|\.ts:\d+/);
  return res;
}

function assertUnauthenticated(res: GraphQLResponse): void {
  assert.equal(res.status, 401, res.text);
  assert.equal(res.errors?.length, 1, res.text);
  assert.equal(res.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
  assert.deepEqual(Object.keys(res.errors?.[0]?.extensions ?? {}), ['code']);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('gateway identity: bearer tokens', () => {
  it('answers 401 UNAUTHENTICATED without a token', async () => {
    const res = await refused({ [PURPOSE]: 'water-pollution-tracing' });
    assertUnauthenticated(res);
    assert.match(res.errors?.[0]?.message ?? '', /Authorization: Bearer/);
  });

  it('answers 401 to an unsigned alg:none token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const user = findDemoUser('env-analyst');
    assert.ok(user);
    const { sub, ...claims } = user.claims;
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
      ...claims,
      sub,
      iss: 'govgraph',
      aud: 'govgraph-gateway',
      iat: now,
      exp: now + 3600,
    })}.`;
    const res = await refused({
      authorization: `Bearer ${token}`,
      [PURPOSE]: 'water-pollution-tracing',
    });
    assertUnauthenticated(res);
  });

  it('answers 401 to a token signed with another key', async () => {
    const res = await refused(
      await demoHeaders('env-analyst', {
        secret: 'another secret, also at least 32 bytes long',
      }),
    );
    assertUnauthenticated(res);
    assert.match(res.errors?.[0]?.message ?? '', /signature/);
  });

  it('answers 401 to an expired token', async () => {
    const user = findDemoUser('env-analyst');
    assert.ok(user);
    const { sub, ...claims } = user.claims;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(new TextEncoder().encode(TEST_TOKEN_SECRET));
    const res = await refused({
      authorization: `Bearer ${token}`,
      [PURPOSE]: 'water-pollution-tracing',
    });
    assertUnauthenticated(res);
    assert.match(res.errors?.[0]?.message ?? '', /expired/);
  });

  it('answers 400 BAD_USER_INPUT naming the header when no purpose is declared', async () => {
    const { authorization = '' } = await demoHeaders('env-analyst');
    const res = await refused({ authorization });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
    assert.match(res.errors?.[0]?.message ?? '', /x-govgraph-purpose/);
  });

  it('answers 403 FORBIDDEN with the rule for a purpose the token does not allow', async () => {
    const res = await refused(
      await demoHeaders('enforcement-jiefangbei', {
        purpose: 'water-pollution-tracing',
      }),
    );
    assert.equal(res.status, 403, res.text);
    assert.equal(res.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
    assert.equal(
      res.errors?.[0]?.extensions?.['rule'],
      'purpose-not-declarable',
    );
  });

  it('answers 200 with data for a valid token and a declarable purpose', async () => {
    const res = await postGraphQL<any>(
      url,
      QUERY,
      undefined,
      await demoHeaders('police-crowd-yuzhong'),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.errors, undefined, res.text);
    assert.equal(res.data.region.name, '渝中区');
  });

  it('keeps GET /health open', async () => {
    const res = await fetch(new URL('/health', url));
    assert.equal(res.status, 200);
  });

  it('accepts a token printed by `npm run token`', async () => {
    const token = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [LAUNCHER, 'hub/tokenMain.ts', 'algo-ruxi-oil', '--ttl', '10m'],
        {
          cwd: new URL('../..', import.meta.url),
          env: { ...process.env, GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET },
        },
        (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
      );
    });
    // An algorithm identity reads only its filed inputs: the oil-slick
    // incident is one of them, regions are not.
    const res = await postGraphQL<any>(
      url,
      `{ pollutionIncident(id: "INC-RUXI-OIL") { id } }`,
      undefined,
      {
        authorization: `Bearer ${token}`,
        [PURPOSE]: 'water-pollution-tracing',
      },
    );
    assert.equal(res.errors, undefined, res.text);
    assert.equal(res.data.pollutionIncident.id, 'INC-RUXI-OIL');
  });
});

describe('gateway limits', () => {
  let headers: Record<string, string>;
  before(async () => {
    headers = await demoHeaders('env-analyst');
  });

  async function rejected(query: string, message: RegExp): Promise<void> {
    const res = await refused(headers, query);
    assert.equal(res.status, 400, res.text);
    const error = res.errors?.find((e) => message.test(e.message));
    assert.ok(error, res.text);
    assert.equal(error.extensions?.['code'], 'GRAPHQL_VALIDATION_FAILED');
  }

  it('rejects a query deeper than the limit before any subgraph is asked', async () => {
    const deep = `{ region(code: "500103001") { ${'parent { '.repeat(14)}name${' }'.repeat(14)} } }`;
    await rejected(deep, /depth limit of 12/);
  });

  it('rejects an operation with too many aliases', async () => {
    const aliases = Array.from(
      { length: 16 },
      (_, i) => `r${i}: region(code: "500103") { name }`,
    ).join(' ');
    await rejected(`{ ${aliases} }`, /Aliases limit of 15/);
  });

  it('rejects an operation that costs too much', async () => {
    await rejected(
      `{ enterprises(first: 100) { nodes { violations(first: 100) { nodes { category } } inspections(first: 100) { nodes { id } } } } }`,
      /Cost limit of 200000/,
    );
  });

  it('hides field suggestions', async () => {
    const res = await postGraphQL(
      url,
      `{ region(code: "500103") { nam } }`,
      undefined,
      headers,
    );
    assert.equal(res.status, 400, res.text);
    assert.doesNotMatch(res.text, /Did you mean/);
  });

  it('lets every README example through', async () => {
    for (const example of exampleQueries) {
      const res = await postGraphQL(url, example.query, undefined, headers);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.errors, undefined, res.text);
    }
  });
});

describe('the GraphQL IDE', () => {
  const COMPLAINANT = `query Complainant { complaint(id: "C-20250915-JCK") { summary complainant { idNumber } } }`;

  it('serves its page to browsers at GET /graphql and /ide/, with its CSP, and nothing else there', async () => {
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.match(
      page.headers.get('content-security-policy') ?? '',
      /default-src 'self';.*connect-src 'self';.*frame-ancestors 'none'/,
    );
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const html = await page.text();
    const script =
      /<script type="module" crossorigin src="(\/ide\/assets\/[^"]+\.js)"/.exec(
        html,
      )?.[1];
    assert.ok(script, html);
    const same = await fetch(new URL('/ide/', url));
    assert.equal(await same.text(), html);
    const asset = await fetch(new URL(script, url), {
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(asset.status, 200);
    assert.equal(
      asset.headers.get('content-type'),
      'text/javascript; charset=utf-8',
    );
    assert.equal(
      asset.headers.get('cache-control'),
      'public, max-age=31536000, immutable',
    );
    assert.equal(asset.headers.get('content-encoding'), 'gzip');
    const missing = await fetch(new URL('/ide/assets/none.js', url));
    assert.equal(missing.status, 404);
    assert.equal(
      ((await missing.json()) as any).errors[0].extensions.code,
      'NOT_FOUND',
    );
    const posted = await fetch(new URL('/ide/', url), { method: 'POST' });
    assert.equal(posted.status, 405);
    assert.equal(posted.headers.get('allow'), 'GET, HEAD');
    // A GET without `text/html` is a GraphQL request, not the page (and
    // Apollo's landing page, Sandbox from a CDN, is off).
    const api = await fetch(url, { headers: { accept: 'application/json' } });
    assert.notEqual(
      api.headers.get('content-type'),
      'text/html; charset=utf-8',
    );
    assert.doesNotMatch(await api.text(), /sandbox|apollographql\.com/i);
  });

  it('loads no file from outside the gateway: every origin in the build is text', async () => {
    const files = await readdir(IDE_APP.outDir, { recursive: true });
    const found = new Map<string, string>();
    for (const name of files) {
      if (!/\.(html|js|css)$/.test(name)) continue;
      const text = await readFile(join(IDE_APP.outDir, name), 'utf8');
      if (name.endsWith('.html')) {
        // The page loads its scripts and styles from the gateway only.
        for (const [, ref] of text.matchAll(/(?:src|href)="([^"]*)"/g)) {
          assert.match(ref ?? '', /^\/ide\/assets\//, `${name}: ${ref}`);
        }
      }
      if (name.endsWith('.css')) {
        for (const [, ref] of text.matchAll(/url\(\s*["']?([^"')]+)/g)) {
          assert.match(
            ref ?? '',
            /^(data:|\/ide\/assets\/|\.\/|#)/,
            `${name}: ${ref}`,
          );
        }
      }
      // Nothing is imported, fetched or run from a URL.
      assert.doesNotMatch(
        text,
        /(?:import\(|from|importScripts\(|new Worker\(|fetch\()\s*["'`]https?:/,
        name,
      );
      for (const [origin] of text.matchAll(/https?:\/\/[a-z0-9.-]+/gi)) {
        found.set(origin.toLowerCase(), name);
      }
    }
    // The origins that remain are text: XML namespaces (SVG, XHTML, MathML)
    // and JSON Schema's draft ids, which name and are never fetched (the
    // JSON worker's schema requests are off); links in help text and error
    // messages (React's error decoder, Monaco, GraphiQL, Prettier); the
    // scalars' descriptions (IEEE 754, CommonMark). Monaco's markdown test
    // string names microsoft.com. The page's CSP (connect-src, script-src,
    // img-src 'self') stops any load from them; the browser test proves
    // none is attempted. A new origin here must be looked at.
    const TEXT_ONLY = new Set([
      'http://www.w3.org',
      'http://json-schema.org',
      'https://json-schema.org',
      'https://github.com',
      'https://code.visualstudio.com',
      'https://yarnpkg.com',
      'https://react.dev',
      'https://prettier.io',
      'https://en.wikipedia.org',
      'https://commonmark.org',
      'https://microsoft.com',
    ]);
    const unexpected = [...found].filter(([origin]) => !TEXT_ONLY.has(origin));
    assert.deepEqual(unexpected, []);
  });

  it('runs in Chromium with no network: headers set, the visible schema, a query, the explain panel of a withheld field', async () => {
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const context = await browser.newContext({
        viewport: { width: 1400, height: 900 },
      });
      const gateway = new URL(url);
      const outside: string[] = [];
      const problems: string[] = [];
      // Every request that is not for the gateway is refused, and noted.
      await context.route('**/*', (route) => {
        const target = new URL(route.request().url());
        if (target.host === gateway.host) return route.continue();
        outside.push(target.href);
        return route.abort('internetdisconnected');
      });
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      const gatewayRequests: {
        url: string;
        headers: Record<string, string>;
        body: string;
      }[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST') {
          gatewayRequests.push({
            url: request.url(),
            headers: request.headers(),
            body: request.postData() ?? '',
          });
        }
      });

      await page.goto(url);
      await page.locator('.graphiql-container').waitFor();
      const headers = await demoHeaders('env-analyst');
      const token = headers['authorization']!.replace('Bearer ', '');
      await page.getByLabel('Bearer token').fill(token);
      await page.getByLabel(/^Purpose/).fill('water-pollution-tracing');
      await page.getByRole('button', { name: 'Use' }).click();
      await page.getByTestId('caller').filter({ hasText: 'analyst' }).waitFor();

      // The schema is the caller's own: Person.idNumber, withheld from
      // everyone, is not in it, so the editor marks it unknown.
      await page.waitForFunction(() => {
        const monaco = (globalThis as any).__MONACO;
        return monaco?.editor
          .getModels()
          .some((m: any) => m.getLanguageId() === 'graphql');
      });
      await page.evaluate((query) => {
        const monaco = (globalThis as any).__MONACO;
        monaco.editor
          .getModels()
          .find((m: any) => m.getLanguageId() === 'graphql')
          .setValue(query);
      }, COMPLAINANT);
      await page.waitForFunction(() =>
        (globalThis as any).__MONACO.editor
          .getModelMarkers({})
          .some((m: any) =>
            /Cannot query field "idNumber" on type "Person"/.test(m.message),
          ),
      );

      await page.locator('.graphiql-execute-button').click();
      await page.waitForFunction(() =>
        (globalThis as any).__MONACO.editor
          .getModels()
          .some((m: any) =>
            m.getValue().includes('FORBIDDEN_BY_NEGATIVE_LIST'),
          ),
      );
      // Before "Use", the page introspected as nobody (and was refused);
      // since, every request carries the token and the purpose.
      const sent = gatewayRequests.filter(
        (r) => r.url === url && r.headers['authorization'] !== undefined,
      );
      assert.ok(
        sent.some((r) => r.body.includes('IntrospectionQuery')),
        'the schema was introspected as the caller',
      );
      assert.ok(sent.some((r) => r.body.includes('Complainant')));
      for (const request of sent) {
        assert.equal(request.headers['authorization'], `Bearer ${token}`);
        assert.equal(request.headers[PURPOSE], 'water-pollution-tracing');
      }

      await page.getByRole('button', { name: 'Show Explain' }).click();
      const withheld = page.locator(
        '[data-coordinate="Person.idNumber"][data-effect="DENY"]',
      );
      await withheld.waitFor();
      assert.match(
        await withheld.innerText(),
        /withheld \(FORBIDDEN_BY_NEGATIVE_LIST\)\s+negative-list:NL-PS-001@1/,
      );
      assert.match(
        await page.getByTestId('explanation').innerText(),
        /purpose\s+water-pollution-tracing/,
      );

      assert.deepEqual(outside, [], 'no request left the gateway');
      assert.deepEqual(
        problems.filter((p) => /Content Security Policy|Refused/i.test(p)),
        [],
      );
    } finally {
      await browser?.close();
    }
  });
});

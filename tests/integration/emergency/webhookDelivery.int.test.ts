// The address checks of webhook deliveries on real sockets: a receiver that
// counts every TCP connection it gets, DNS answers from an injected resolver
// (a rebinding DNS), and the requests sendWebhookRequest makes. A refused
// target gets no connection at all: the check is in the socket's own lookup,
// on the address it then connects to, at every delivery.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';

import {
  sendWebhookRequest,
  WebhookTargetBlockedError,
  type ResolvedAddress,
  type WebhookResolver,
} from '../../../subgraphs/emergency/src/alerting/jobs/sendWebhookRequest.js';
import {
  EMPTY_WEBHOOK_ALLOW_LIST,
  parseWebhookAllowList,
  type WebhookAllowList,
} from '../../../subgraphs/emergency/src/alerting/webhookTargets.js';

/** An HTTP server on `host` that counts connections and requests. */
interface CountingServer {
  readonly port: number;
  connections: number;
  requests: { url: string; body: string }[];
  status: number;
  location: string | undefined;
  close(): Promise<void>;
}

async function startServer(host: string, port = 0): Promise<CountingServer> {
  const state = {
    connections: 0,
    requests: [] as CountingServer['requests'],
    status: 204,
    location: undefined as string | undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests.push({
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.statusCode = state.status;
      if (state.location) res.setHeader('location', state.location);
      res.end();
    });
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return Object.assign(state, {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A DNS that answers each name from a script, one answer per lookup. */
function scriptedResolver(
  answers: Record<string, (readonly string[])[]>,
): WebhookResolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (
    hostname: string,
  ): Promise<readonly ResolvedAddress[]> => {
    lookups.push(hostname);
    const script = answers[hostname];
    const next = script && script.length > 1 ? script.shift() : script?.[0];
    if (next === undefined) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      });
    }
    return next.map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
  return Object.assign(resolve, { lookups });
}

function post(
  url: string,
  allowList: WebhookAllowList,
  resolve?: WebhookResolver,
) {
  return sendWebhookRequest(
    {
      url,
      headers: { 'content-type': 'application/json' },
      body: '{"type":"alert"}',
      timeoutMs: 2000,
    },
    { allowList, ...(resolve ? { resolve } : {}) },
  );
}

async function blocked(
  promise: Promise<unknown>,
): Promise<WebhookTargetBlockedError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof WebhookTargetBlockedError, String(error));
    return error;
  }
  assert.fail('the delivery was not refused');
}

describe('webhook deliveries connect only to allowed addresses', () => {
  let allowed: CountingServer;
  let other: CountingServer;

  before(async () => {
    // Two receivers on one port: 127.0.0.1 (the operators list it) and
    // 127.0.0.3 (they do not). Linux answers the whole of 127/8.
    allowed = await startServer('127.0.0.1');
    other = await startServer('127.0.0.3', allowed.port);
  });
  after(async () => {
    await allowed.close();
    await other.close();
  });

  it('refuses a name that resolves to a loopback address, without connecting', async () => {
    const before = allowed.connections;
    const resolve = scriptedResolver({ 'hooks.example.test': [['127.0.0.1']] });
    const error = await blocked(
      post(
        `https://hooks.example.test:${allowed.port}/x`,
        EMPTY_WEBHOOK_ALLOW_LIST,
        resolve,
      ),
    );
    assert.equal(error.address, '127.0.0.1');
    assert.match(
      error.message,
      /hooks\.example\.test \(resolved to 127\.0\.0\.1\)/,
    );
    assert.match(error.message, /loopback/);
    assert.deepEqual(resolve.lookups, ['hooks.example.test']);
    assert.equal(allowed.connections, before, 'no connection was made');
  });

  it('checks the address at every delivery: a name re-pointed after a good delivery is refused (DNS rebinding)', async () => {
    const list = parseWebhookAllowList('127.0.0.1');
    const resolve = scriptedResolver({
      'rebind.example.test': [['127.0.0.1'], ['127.0.0.3']],
    });
    const url = `http://rebind.example.test:${allowed.port}/hook`;
    const first = await post(url, list, resolve);
    assert.equal(first.status, 204);
    assert.equal(first.address, '127.0.0.1');
    assert.equal(allowed.requests.at(-1)?.url, '/hook');
    const otherBefore = other.connections;
    const error = await blocked(post(url, list, resolve));
    assert.equal(error.address, '127.0.0.3');
    assert.equal(other.connections, otherBefore, '127.0.0.3 got no connection');
    assert.equal(resolve.lookups.length, 2, 'resolved again for the second');
  });

  it('refuses a name that answers an allowed and a refused address together', async () => {
    const list = parseWebhookAllowList('127.0.0.1');
    const before = [allowed.connections, other.connections];
    const resolve = scriptedResolver({
      'mixed.example.test': [['127.0.0.1', '127.0.0.3']],
    });
    await blocked(
      post(`http://mixed.example.test:${allowed.port}/`, list, resolve),
    );
    assert.deepEqual([allowed.connections, other.connections], before);
  });

  it('refuses addresses in the URL in any spelling before connecting', async () => {
    const before = allowed.connections;
    for (const host of [
      '127.0.0.1',
      '2130706433',
      '0x7f.1',
      '0177.0.0.1',
      '127.1',
      '[::ffff:127.0.0.1]',
    ]) {
      const error = await blocked(
        post(`https://${host}:${allowed.port}/`, EMPTY_WEBHOOK_ALLOW_LIST),
      );
      assert.match(error.message, /loopback/, host);
    }
    await blocked(
      post(
        `http://user:pw@127.0.0.1:${allowed.port}/`,
        parseWebhookAllowList('127.0.0.1'),
      ),
    );
    await blocked(
      post(`ftp://127.0.0.1:${allowed.port}/`, EMPTY_WEBHOOK_ALLOW_LIST),
    );
    assert.equal(allowed.connections, before, 'no connection was made');
  });

  it('refuses plain http to a public address the list does not name', async () => {
    const resolve = scriptedResolver({
      'public.example.test': [['93.184.216.34']],
    });
    const error = await blocked(
      post('http://public.example.test/x', EMPTY_WEBHOOK_ALLOW_LIST, resolve),
    );
    assert.match(error.message, /plain http/);
  });

  it('delivers to a listed host wherever it resolves, and to a listed range', async () => {
    const byHost = parseWebhookAllowList(
      `receiver.example.test:${allowed.port}`,
    );
    const resolve = scriptedResolver({
      'receiver.example.test': [['127.0.0.1']],
    });
    const res = await post(
      `http://receiver.example.test:${allowed.port}/by-host`,
      byHost,
      resolve,
    );
    assert.equal(res.status, 204);
    assert.equal(allowed.requests.at(-1)?.body, '{"type":"alert"}');
    const byRange = parseWebhookAllowList('127.0.0.0/30');
    assert.equal(
      (await post(`http://127.0.0.1:${allowed.port}/by-range`, byRange)).status,
      204,
    );
  });

  it('does not follow redirects', async () => {
    const list = parseWebhookAllowList('127.0.0.1');
    const target = await startServer('127.0.0.1');
    try {
      allowed.status = 307;
      allowed.location = `http://127.0.0.1:${target.port}/elsewhere`;
      const res = await post(`http://127.0.0.1:${allowed.port}/redirect`, list);
      assert.equal(res.status, 307);
      assert.equal(target.connections, 0, 'the redirect was not followed');
    } finally {
      allowed.status = 204;
      allowed.location = undefined;
      await target.close();
    }
  });

  it('uses the system resolver by default: localhost is refused without a connection', async () => {
    const before = allowed.connections;
    await blocked(
      post(`https://localhost:${allowed.port}/`, EMPTY_WEBHOOK_ALLOW_LIST),
    );
    assert.equal(allowed.connections, before);
  });
});

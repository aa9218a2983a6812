import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  AllowedHosts,
  isLoopbackAddress,
  isLoopbackHost,
  isSameOrigin,
  parseHost,
} from '../../../catalog/src/web/consoleHosts.js';
import {
  readConsoleEnv,
  readConsoleOidc,
} from '../../../catalog/src/web/env.js';

describe('console hosts: parseHost', () => {
  it('splits name and port, lower-cased', () => {
    assert.deepEqual(parseHost('LocalHost:4010'), {
      name: 'localhost',
      port: 4010,
    });
    assert.deepEqual(parseHost('[::1]:4010'), { name: '[::1]', port: 4010 });
    assert.deepEqual(parseHost('review.cq.gov.cn'), {
      name: 'review.cq.gov.cn',
      port: null,
    });
  });

  it('refuses what is not a host name with an optional port', () => {
    for (const value of [
      undefined,
      '',
      'localhost.',
      'user@localhost',
      'localhost/x',
      'localhost:0',
      'localhost:65536',
      'local host',
      '[zz::1]:80',
      '-a.example',
      'localhost:',
    ]) {
      assert.equal(parseHost(value), null, String(value));
    }
  });
});

describe('console hosts: AllowedHosts', () => {
  const hosts = AllowedHosts.of(4010, '0.0.0.0', [
    'review.cq.gov.cn',
    'Intranet.example:8443',
  ]);
  const allows = (value: string): boolean => {
    const host = parseHost(value);
    return host !== null && hosts.allows(host);
  };

  it('allows the loopback names on its own port only', () => {
    assert.ok(allows('127.0.0.1:4010'));
    assert.ok(allows('localhost:4010'));
    assert.ok(allows('[::1]:4010'));
    assert.ok(!allows('localhost:4011'));
    assert.ok(!allows('localhost'));
    assert.ok(!allows('0.0.0.0:4010'), 'a wildcard listen address is no name');
  });

  it('allows a bare configured name on any port and a name:port on that port', () => {
    assert.ok(allows('review.cq.gov.cn'));
    assert.ok(allows('review.cq.gov.cn:443'));
    assert.ok(allows('intranet.example:8443'));
    assert.ok(!allows('intranet.example'));
    assert.ok(!allows('review.cq.gov.cn.attacker.example'));
  });

  it('allows a specific listen address', () => {
    const own = AllowedHosts.of(4010, '192.0.2.2', []);
    const host = parseHost('192.0.2.2:4010');
    assert.ok(host !== null && own.allows(host));
  });

  it('throws on a configured entry that is not a host name', () => {
    assert.throws(
      () => AllowedHosts.of(4010, '127.0.0.1', ['https://review.cq.gov.cn']),
      /allowed host "https:\/\/review\.cq\.gov\.cn" is not a host name/,
    );
  });
});

describe('console hosts: loopback and origin', () => {
  it('knows loopback names and peer addresses', () => {
    for (const name of ['127.0.0.1:1', 'localhost:1', '[::1]:1']) {
      assert.ok(isLoopbackHost(parseHost(name)!), name);
    }
    assert.ok(!isLoopbackHost(parseHost('review.cq.gov.cn')!));
    for (const address of [
      '127.0.0.1',
      '127.8.9.10',
      '::1',
      '::ffff:127.0.0.1',
    ]) {
      assert.ok(isLoopbackAddress(address), address);
    }
    for (const address of [
      undefined,
      '192.0.2.2',
      '::ffff:192.0.2.2',
      'fd00::2',
    ]) {
      assert.ok(!isLoopbackAddress(address), String(address));
    }
  });

  it('compares an Origin with the Host, default ports standing in', () => {
    const host = parseHost('127.0.0.1:4010')!;
    assert.ok(isSameOrigin('http://127.0.0.1:4010', host));
    assert.ok(!isSameOrigin('http://localhost:4010', host));
    assert.ok(!isSameOrigin('http://127.0.0.1:4011', host));
    assert.ok(!isSameOrigin('null', host));
    assert.ok(!isSameOrigin('file:///tmp/x.html', host));
    const proxied = parseHost('review.cq.gov.cn')!;
    assert.ok(isSameOrigin('https://review.cq.gov.cn', proxied));
    assert.ok(!isSameOrigin('https://review.cq.gov.cn:8443', proxied));
  });
});

describe('console environment', () => {
  it('reads its variables with their defaults', () => {
    assert.deepEqual(readConsoleEnv({}), {
      CONSOLE_PORT: 4010,
      HOST: '127.0.0.1',
      GATEWAY_URL: 'http://127.0.0.1:4000/graphql',
      CONSOLE_ALLOWED_HOSTS: [],
      oidc: null,
    });
    assert.deepEqual(
      readConsoleEnv({ CONSOLE_ALLOWED_HOSTS: ' a.example , b.example:8443 ,' })
        .CONSOLE_ALLOWED_HOSTS,
      ['a.example', 'b.example:8443'],
    );
  });

  it('reads the OpenID Connect login: both issuer and client id, or neither', () => {
    const issuer = 'https://id.cq.gov.cn/realms/city';
    assert.deepEqual(
      readConsoleEnv({
        CONSOLE_OIDC_ISSUER: issuer,
        CONSOLE_OIDC_CLIENT_ID: 'govgraph-console',
      }).oidc,
      { issuer, clientId: 'govgraph-console', scope: 'openid profile' },
    );
    assert.equal(
      readConsoleOidc({
        CONSOLE_OIDC_ISSUER: issuer,
        CONSOLE_OIDC_CLIENT_ID: 'c',
        CONSOLE_OIDC_SCOPE: 'openid profile roles',
      })?.scope,
      'openid profile roles',
    );
    assert.throws(
      () => readConsoleEnv({ CONSOLE_OIDC_ISSUER: issuer }),
      /invalid environment: CONSOLE_OIDC_CLIENT_ID set both CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID/,
    );
    assert.throws(
      () =>
        readConsoleOidc({
          CONSOLE_OIDC_ISSUER: 'id.cq.gov.cn',
          CONSOLE_OIDC_CLIENT_ID: 'c',
        }),
      /invalid environment: CONSOLE_OIDC_ISSUER must be an http\(s\):\/\/ URL/,
    );
    assert.throws(
      () =>
        readConsoleOidc({
          CONSOLE_OIDC_ISSUER: issuer,
          CONSOLE_OIDC_CLIENT_ID: 'c',
          CONSOLE_OIDC_SCOPE: 'profile',
        }),
      /invalid environment: CONSOLE_OIDC_SCOPE must include the scope "openid"/,
    );
  });

  it('names the bad variable', () => {
    assert.throws(
      () => readConsoleEnv({ GATEWAY_URL: 'gateway:4000' }),
      /invalid environment: GATEWAY_URL must be an http\(s\):\/\/ URL/,
    );
    assert.throws(
      () => readConsoleEnv({ CONSOLE_PORT: '70000' }),
      /invalid environment: CONSOLE_PORT/,
    );
  });
});

// Which alert webhook targets are allowed: the classification of addresses
// (every IPv4 spelling, IPv6, IPv4-mapped), the operators' allow-list and
// its parsing, the decisions at registration and at delivery, and the
// environment variable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  addressRange,
  decideWebhookAddress,
  decideWebhookTarget,
  EMPTY_WEBHOOK_ALLOW_LIST,
  parseWebhookAllowList,
  WEBHOOK_TARGET_RULE,
  WebhookAllowListError,
  webhookTargetOf,
  type WebhookAllowList,
  type WebhookTargetDecision,
} from '../../../../subgraphs/emergency/src/alerting/webhookTargets.js';
import { parseWebhookUrl } from '../../../../subgraphs/emergency/src/alerting/webhookUrl.js';
import { readEmergencyEnv } from '../../../../subgraphs/emergency/src/env.js';
import {
  EnvError,
  GraphQLErrorWithCode,
} from '../../../../subgraphs/kit/src/index.js';

function decide(url: string, list: WebhookAllowList): WebhookTargetDecision {
  const target = webhookTargetOf(new URL(url));
  assert.ok(target, url);
  return decideWebhookTarget(list, target);
}

function refusal(
  url: string,
  list: WebhookAllowList = EMPTY_WEBHOOK_ALLOW_LIST,
): GraphQLErrorWithCode {
  try {
    parseWebhookUrl(url, list);
  } catch (error) {
    assert.ok(error instanceof GraphQLErrorWithCode, String(error));
    return error;
  }
  assert.fail(`${url} was accepted`);
}

describe('addressRange', () => {
  it('finds public unicast addresses only where they are', () => {
    for (const a of [
      '8.8.8.8',
      '203.119.0.1',
      '2606:4700::1111',
      '2001:4860::8888',
    ]) {
      assert.equal(addressRange(a), 'unicast', a);
    }
  });

  it('classifies the special IPv4 ranges', () => {
    for (const [a, range] of [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.254', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['100.64.0.1', 'carrierGradeNat'],
      ['100.127.255.254', 'carrierGradeNat'],
      ['198.18.0.1', 'reserved'],
      ['198.19.255.1', 'reserved'],
      ['192.0.0.8', 'reserved'],
      ['192.0.2.1', 'reserved'],
      ['240.0.0.1', 'reserved'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['255.255.255.255', 'broadcast'],
    ] as const) {
      assert.equal(addressRange(a), range, a);
    }
    // Just outside the ranges.
    for (const a of ['172.32.0.1', '100.128.0.1', '198.20.0.1', '11.0.0.1']) {
      assert.equal(addressRange(a), 'unicast', a);
    }
  });

  it('classifies IPv6, and IPv4-mapped addresses as the IPv4 address they reach', () => {
    for (const [a, range] of [
      ['::1', 'loopback'],
      ['::', 'unspecified'],
      ['fc00::1', 'uniqueLocal'],
      ['fd12:3456::1', 'uniqueLocal'],
      ['fe80::1', 'linkLocal'],
      ['febf::1', 'linkLocal'],
      ['ff02::1', 'multicast'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:169.254.169.254', 'linkLocal'],
      ['::ffff:10.0.0.1', 'private'],
      ['2001:db8::1', 'reserved'],
    ] as const) {
      assert.equal(addressRange(a), range, a);
    }
    // Outside 2000::/3 nothing is global unicast: the IPv4-compatible
    // ::7f00:1 (= ::127.0.0.1), NAT64 prefixes, 6to4 and Teredo are not
    // public targets either.
    for (const a of [
      '::7f00:1',
      '64:ff9b::7f00:1',
      '64:ff9b:1::1',
      '2002:7f00:1::',
      '2001::1',
      '100::1',
      'fec0::1',
    ]) {
      assert.notEqual(addressRange(a), 'unicast', a);
    }
  });
});

describe('parseWebhookAllowList', () => {
  it('reads ranges, addresses and hosts, each with an optional port', () => {
    const list = parseWebhookAllowList(
      ' 10.20.0.0/16, 127.0.0.1:9000 [::1]:9001,fd00::/8\n::1 hooks.internal.example:8443 Receiver.Example.',
    );
    assert.deepEqual(
      list.entries.map((e) =>
        e.kind === 'range'
          ? ['range', `${e.range[0].toString()}/${e.range[1]}`, e.port]
          : ['host', e.host, e.port],
      ),
      [
        ['range', '10.20.0.0/16', undefined],
        ['range', '127.0.0.1/32', 9000],
        ['range', '::1/128', 9001],
        ['range', 'fd00::/8', undefined],
        ['range', '::1/128', undefined],
        ['host', 'hooks.internal.example', 8443],
        ['host', 'receiver.example', undefined],
      ],
    );
    assert.equal(parseWebhookAllowList(undefined), EMPTY_WEBHOOK_ALLOW_LIST);
    assert.equal(parseWebhookAllowList(' , '), EMPTY_WEBHOOK_ALLOW_LIST);
    // An IPv4-mapped range is the IPv4 range it maps.
    const mapped = parseWebhookAllowList('::ffff:192.168.0.0/112').entries[0];
    assert.equal(mapped?.kind === 'range' && mapped.range[1], 16);
  });

  it('refuses entries it cannot read, naming the entry', () => {
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0.0/x',
      '0x7f.1/8',
      '127.1',
      '2130706433',
      '0x7f000001',
      '*.example.com',
      'host:0',
      'host:65536',
      'host:http',
      'user@host',
      'http://host',
      'host/path',
      '[::1',
      '[127.0.0.1]',
      '::ffff:0:0/80',
    ]) {
      assert.throws(
        () => parseWebhookAllowList(`10.0.0.0/8,${bad}`),
        (error: unknown) =>
          error instanceof WebhookAllowListError &&
          error.entry === bad &&
          error.message.includes('ALERT_WEBHOOK_ALLOWED_TARGETS'),
        bad,
      );
    }
  });
});

describe('decideWebhookTarget (registration)', () => {
  it('refuses every spelling of loopback, link-local, private and special addresses', () => {
    for (const [url, range] of [
      ['http://127.0.0.1:9/', 'loopback'],
      ['https://127.0.0.1/', 'loopback'],
      ['https://2130706433/', 'loopback'],
      ['https://0x7f.1/', 'loopback'],
      ['https://0x7f000001/', 'loopback'],
      ['https://0177.0.0.1/', 'loopback'],
      ['https://127.1/', 'loopback'],
      ['https://%31%32%37.0.0.1/', 'loopback'],
      ['https://127.0.0.1./', 'loopback'],
      ['https://[::1]/', 'loopback'],
      ['https://[::ffff:127.0.0.1]/', 'loopback'],
      ['https://[::ffff:7f00:1]:8443/', 'loopback'],
      ['https://0/', 'unspecified'],
      ['https://0.0.0.0/', 'unspecified'],
      ['https://[::]/', 'unspecified'],
      ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
      ['https://169.254.169.254/', 'linkLocal'],
      ['https://[fe80::1]/', 'linkLocal'],
      ['https://10.0.0.5:5432/', 'private'],
      ['https://172.16.3.4/', 'private'],
      ['https://192.168.0.1/', 'private'],
      ['https://[::ffff:192.168.0.1]/', 'private'],
      ['https://[fc00::1]/', 'uniqueLocal'],
      ['https://[fd00::1]/', 'uniqueLocal'],
      ['https://100.64.0.1/', 'carrierGradeNat'],
      ['https://198.18.0.1/', 'reserved'],
      ['https://[::7f00:1]/', 'reserved'],
      ['https://224.0.0.1/', 'multicast'],
      ['https://[ff02::1]/', 'multicast'],
      ['https://255.255.255.255/', 'broadcast'],
      ['https://localhost/', 'loopback'],
      ['https://LOCALHOST./', 'loopback'],
      ['https://api.localhost/', 'loopback'],
      ['https://metadata/', 'single-label'],
      ['https://printer.local/', 'local'],
      ['https://db.internal/', 'local'],
      ['https://nas.home.arpa/', 'local'],
    ] as const) {
      const decision = decide(url, EMPTY_WEBHOOK_ALLOW_LIST);
      assert.equal(decision.allowed, false, url);
      assert.equal(!decision.allowed && decision.range, range, url);
    }
  });

  it('allows https to public addresses and names, plain http to none of them', () => {
    for (const url of [
      'https://8.8.8.8/x',
      'https://[2606:4700::1111]:8443/x',
      'https://hooks.example.gov.cn/alerts',
    ]) {
      assert.equal(decide(url, EMPTY_WEBHOOK_ALLOW_LIST).allowed, true, url);
    }
    for (const url of ['http://8.8.8.8/x', 'http://hooks.example.gov.cn/']) {
      const decision = decide(url, EMPTY_WEBHOOK_ALLOW_LIST);
      assert.equal(decision.allowed, false, url);
      assert.match(!decision.allowed ? decision.reason : '', /plain http/);
    }
  });

  it('allows what the allow-list names, on its port only when it gives one', () => {
    const list = parseWebhookAllowList(
      '127.0.0.1:9000,10.20.0.0/16,[::1],localhost:7000,hooks.internal.example',
    );
    for (const url of [
      'http://127.0.0.1:9000/x',
      'http://10.20.3.4/x',
      'https://10.20.255.1:8443/',
      'http://[::1]:1234/',
      'http://[::ffff:10.20.0.9]/',
      'http://localhost:7000/',
      'http://hooks.internal.example/',
      'https://hooks.internal.example:9443/',
    ]) {
      assert.equal(decide(url, list).allowed, true, url);
    }
    for (const url of [
      'http://127.0.0.1:9001/',
      'http://127.0.0.2:9000/',
      'http://10.21.0.1/',
      'http://localhost:7001/',
      'http://other.internal.example/',
    ]) {
      assert.equal(decide(url, list).allowed, false, url);
    }
  });
});

describe('decideWebhookAddress (delivery)', () => {
  const target = webhookTargetOf(new URL('https://hooks.example.test/x'));
  assert.ok(target);

  it('decides each address a public name resolves to', () => {
    const none = EMPTY_WEBHOOK_ALLOW_LIST;
    assert.deepEqual(decideWebhookAddress(none, target, '93.184.216.34'), {
      allowed: true,
      by: 'public-address',
    });
    for (const address of [
      '127.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
      '169.254.169.254',
      '10.0.0.1',
      'fd00::1',
      'fe80::1%eth0',
      'not-an-address',
    ]) {
      assert.equal(
        decideWebhookAddress(none, target, address).allowed,
        false,
        address,
      );
    }
  });

  it('lets a listed host connect wherever it resolves, and listed ranges only in range', () => {
    const host = parseWebhookAllowList('hooks.example.test');
    assert.equal(decideWebhookAddress(host, target, '127.0.0.1').allowed, true);
    const range = parseWebhookAllowList('10.20.0.0/16');
    assert.equal(
      decideWebhookAddress(range, target, '10.20.1.1').allowed,
      true,
    );
    assert.equal(
      decideWebhookAddress(range, target, '::ffff:10.20.1.1').allowed,
      true,
    );
    assert.equal(
      decideWebhookAddress(range, target, '10.21.1.1').allowed,
      false,
    );
  });
});

describe('parseWebhookUrl', () => {
  it('refuses a disallowed target with BAD_USER_INPUT naming the rule and the range', () => {
    const error = refusal('http://169.254.169.254/latest/meta-data/');
    assert.equal(error.extensions['code'], 'BAD_USER_INPUT');
    assert.equal(error.extensions['argumentName'], 'url');
    assert.equal(error.extensions['rule'], WEBHOOK_TARGET_RULE);
    assert.equal(error.extensions['range'], 'linkLocal');
    assert.match(error.message, /169\.254\.169\.254 is a link-local address/);
    assert.match(error.message, /ALERT_WEBHOOK_ALLOWED_TARGETS/);
    assert.equal(
      refusal('https://2130706433/').extensions['rule'],
      WEBHOOK_TARGET_RULE,
    );
  });

  it('refuses credentials, fragments and other schemes whatever the allow-list says', () => {
    const list = parseWebhookAllowList('127.0.0.1');
    for (const url of [
      'http://user:pw@127.0.0.1/',
      'http://hooks.example.com@127.0.0.1/',
      'http://127.0.0.1/#x',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_FLUSHALL',
      'ws://127.0.0.1/',
    ]) {
      const error = refusal(url, list);
      assert.equal(error.extensions['code'], 'BAD_USER_INPUT', url);
      assert.equal(error.extensions['argumentName'], 'url', url);
    }
  });
});

describe('readEmergencyEnv', () => {
  it('parses ALERT_WEBHOOK_ALLOWED_TARGETS once, and fails fast on a bad entry', () => {
    assert.equal(
      readEmergencyEnv({}).webhookAllowList,
      EMPTY_WEBHOOK_ALLOW_LIST,
    );
    const env = readEmergencyEnv({
      ALERT_WEBHOOK_ALLOWED_TARGETS: '127.0.0.1:9000,hooks.internal.example',
    });
    assert.equal(env.webhookAllowList.entries.length, 2);
    assert.ok(Object.isFrozen(env));
    assert.throws(
      () => readEmergencyEnv({ ALERT_WEBHOOK_ALLOWED_TARGETS: '10.0.0.0/99' }),
      (error: unknown) =>
        error instanceof EnvError &&
        /ALERT_WEBHOOK_ALLOWED_TARGETS: "10\.0\.0\.0\/99"/.test(error.message),
    );
  });
});

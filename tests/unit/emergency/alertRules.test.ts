// The pure rules of alerting: threshold evaluation with consecutive-day
// windows in China time, the lifecycle, webhook URLs and signatures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  allowedActions,
  parseComment,
  planTransition,
} from '../../../subgraphs/emergency/src/alerting/alertLifecycle.js';
import {
  crosses,
  evaluateThreshold,
  evaluationSince,
  type ReadingSample,
} from '../../../subgraphs/emergency/src/alerting/evaluateThreshold.js';
import {
  alertIdFor,
  evaluationKey,
} from '../../../subgraphs/emergency/src/alerting/evaluationKey.js';
import {
  signWebhookBody,
  verifyWebhookSignature,
} from '../../../subgraphs/emergency/src/alerting/webhookSignature.js';
import {
  EMPTY_WEBHOOK_ALLOW_LIST,
  parseWebhookAllowList,
} from '../../../subgraphs/emergency/src/alerting/webhookTargets.js';
import { parseWebhookUrl } from '../../../subgraphs/emergency/src/alerting/webhookUrl.js';
import type { RiskThresholdRow } from '../../../subgraphs/emergency/src/repository.js';
import { GraphQLErrorWithCode } from '../../../subgraphs/kit/src/index.js';

/** Dissolved oxygen below 5 mg/L for 3 consecutive days (RI-PUHE-ZHAIXI). */
const DO_RULE: RiskThresholdRow = {
  metric: 'DISSOLVED_OXYGEN',
  comparator: 'LT',
  value: 5,
  unit: 'mg/L',
  windowDays: 3,
  alertLevel: 'ORANGE',
};

/** Daily dissolved-oxygen readings at 06:00 China time. */
function daily(values: Record<string, number>): ReadingSample[] {
  return Object.entries(values).map(([day, value]) => ({
    metric: 'DISSOLVED_OXYGEN',
    value,
    unit: 'mg/L',
    measuredAt: `${day}T06:00:00+08:00`,
  }));
}

const at = (local: string): { now: Date } => ({
  now: new Date(`${local}+08:00`),
});

/** The seeded 蒲河寨溪大桥 readings of scenario 1. */
const SCENARIO = daily({
  '2025-08-10': 6.8,
  '2025-08-11': 6.4,
  '2025-08-12': 3.2,
  '2025-08-13': 2.9,
  '2025-08-14': 3.4,
  '2025-08-15': 5.3,
  '2025-08-16': 5.8,
});

function code(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof GraphQLErrorWithCode, String(error));
    return error.extensions['code'];
  }
  assert.fail('expected an error');
}

describe('evaluateThreshold: windowed rules', () => {
  it('raises on the third consecutive day below 5 mg/L, with the three readings', () => {
    const breach = evaluateThreshold(
      SCENARIO,
      DO_RULE,
      at('2025-08-14T08:00:00'),
    );
    assert.ok(breach);
    assert.equal(breach.windowStart, '2025-08-12');
    assert.equal(breach.windowEnd, '2025-08-14');
    assert.deepEqual(
      breach.readings.map((r) => r.value),
      [3.2, 2.9, 3.4],
    );
  });

  it('raises nothing after two days', () => {
    assert.equal(
      evaluateThreshold(SCENARIO, DO_RULE, at('2025-08-13T23:59:59')),
      null,
    );
  });

  it('raises nothing once a recovered day is measured, and nothing before the day’s reading', () => {
    assert.equal(
      evaluateThreshold(SCENARIO, DO_RULE, at('2025-08-15T08:00:00')),
      null,
    );
    // Before the 14th's 06:00 reading, only two days are known.
    assert.equal(
      evaluateThreshold(SCENARIO, DO_RULE, at('2025-08-14T05:59:59')),
      null,
    );
  });

  it('keeps the breach (same window) the next day while the reading is not in yet', () => {
    const breach = evaluateThreshold(
      SCENARIO,
      DO_RULE,
      at('2025-08-15T03:00:00'),
    );
    assert.equal(breach?.windowStart, '2025-08-12');
  });

  it('keeps one window while the breach goes on: one alert, not one a day', () => {
    const long = daily({
      '2025-08-11': 6.1,
      '2025-08-12': 3.2,
      '2025-08-13': 2.9,
      '2025-08-14': 3.4,
      '2025-08-15': 3.0,
      '2025-08-16': 2.8,
    });
    for (const day of ['14', '15', '16']) {
      const breach = evaluateThreshold(
        long,
        DO_RULE,
        at(`2025-08-${day}T12:00:00`),
      );
      assert.equal(breach?.windowStart, '2025-08-12', day);
      assert.equal(breach.windowEnd, '2025-08-14', day);
    }
  });

  it('treats a day without readings as a gap that breaks the chain', () => {
    const gap = daily({
      '2025-08-11': 6.0,
      '2025-08-12': 3.2,
      '2025-08-14': 3.4,
      '2025-08-15': 3.1,
    });
    assert.equal(
      evaluateThreshold(gap, DO_RULE, at('2025-08-15T12:00:00')),
      null,
    );
    const after = [...gap, ...daily({ '2025-08-16': 2.5 })];
    const breach = evaluateThreshold(after, DO_RULE, at('2025-08-16T12:00:00'));
    assert.equal(breach?.windowStart, '2025-08-14');
  });

  it('treats a recovered day as the end of a breach; a new breach is a new window', () => {
    const again = daily({
      '2025-08-10': 6.0,
      '2025-08-11': 3.0,
      '2025-08-12': 3.0,
      '2025-08-13': 5.2,
      '2025-08-14': 3.0,
      '2025-08-15': 3.0,
      '2025-08-16': 3.0,
    });
    assert.equal(
      evaluateThreshold(again, DO_RULE, at('2025-08-15T12:00:00')),
      null,
    );
    const breach = evaluateThreshold(again, DO_RULE, at('2025-08-16T12:00:00'));
    assert.equal(breach?.windowStart, '2025-08-14');
  });

  it('needs every reading of a day to cross for a windowed rule', () => {
    const mixed: ReadingSample[] = [
      ...daily({ '2025-08-11': 6, '2025-08-12': 3, '2025-08-14': 3 }),
      {
        ...daily({ '2025-08-13': 3 })[0]!,
        measuredAt: '2025-08-13T06:00:00+08:00',
      },
      {
        ...daily({ '2025-08-13': 5.5 })[0]!,
        measuredAt: '2025-08-13T18:00:00+08:00',
      },
    ];
    assert.equal(
      evaluateThreshold(mixed, DO_RULE, at('2025-08-14T12:00:00')),
      null,
    );
  });

  it('counts days in China time, not UTC', () => {
    // 2025-08-12T23:30+08:00 is still the 12th in China (15:30Z), and
    // 2025-08-13T00:30+08:00 is the 13th although it is the 12th in UTC.
    const readings: ReadingSample[] = [
      {
        metric: 'DISSOLVED_OXYGEN',
        value: 6,
        unit: 'mg/L',
        measuredAt: '2025-08-11T12:00:00Z',
      },
      {
        metric: 'DISSOLVED_OXYGEN',
        value: 3,
        unit: 'mg/L',
        measuredAt: '2025-08-12T15:30:00Z',
      },
      {
        metric: 'DISSOLVED_OXYGEN',
        value: 3,
        unit: 'mg/L',
        measuredAt: '2025-08-12T16:30:00Z',
      },
      {
        metric: 'DISSOLVED_OXYGEN',
        value: 3,
        unit: 'mg/L',
        measuredAt: '2025-08-14T01:00:00Z',
      },
    ];
    const breach = evaluateThreshold(
      readings,
      DO_RULE,
      at('2025-08-14T12:00:00'),
    );
    assert.equal(breach?.windowStart, '2025-08-12');
    assert.equal(breach.readings.length, 3);
  });

  it('ignores readings after now and of other metrics', () => {
    const readings = [
      ...SCENARIO,
      {
        metric: 'AMMONIA_NITROGEN',
        value: 0.1,
        unit: 'mg/L',
        measuredAt: '2025-08-14T07:00:00+08:00',
      },
    ];
    const breach = evaluateThreshold(
      readings,
      DO_RULE,
      at('2025-08-14T06:00:00'),
    );
    assert.deepEqual(
      breach?.readings.map((r) => r.value),
      [3.2, 2.9, 3.4],
    );
  });

  it('raises nothing for a breach that began before the look-back (an older breach)', () => {
    const days: Record<string, number> = {};
    for (let d = 1; d <= 20; d += 1)
      days[`2025-08-${String(d).padStart(2, '0')}`] = 3;
    const readings = daily(days);
    assert.equal(
      evaluateThreshold(readings, DO_RULE, at('2025-08-20T12:00:00')),
      null,
    );
    // With a long enough look-back its start is seen (the day before has no
    // readings: a gap): its first window.
    const seen = evaluateThreshold(readings, DO_RULE, {
      ...at('2025-08-20T12:00:00'),
      lookbackDays: 30,
    });
    assert.equal(seen?.windowStart, '2025-08-01');
    assert.equal(seen.windowEnd, '2025-08-03');
  });

  it('raises nothing on stale readings', () => {
    assert.equal(
      evaluateThreshold(SCENARIO, DO_RULE, at('2026-08-14T08:00:00')),
      null,
    );
    assert.equal(
      evaluateThreshold([], DO_RULE, at('2025-08-14T08:00:00')),
      null,
    );
  });

  it('fetches from the day before the oldest window the look-back allows', () => {
    assert.equal(
      evaluationSince(
        3,
        new Date('2025-08-14T08:00:00+08:00'),
        7,
      ).toISOString(),
      '2025-08-04T16:00:00.000Z', // 2025-08-05T00:00+08:00
    );
  });
});

describe('evaluateThreshold: boundaries and comparators', () => {
  const at5 = daily({
    '2025-08-11': 6,
    '2025-08-12': 5,
    '2025-08-13': 5,
    '2025-08-14': 5,
  });

  it('LT excludes the threshold value, LTE includes it', () => {
    assert.equal(
      evaluateThreshold(at5, DO_RULE, at('2025-08-14T12:00:00')),
      null,
    );
    const breach = evaluateThreshold(
      at5,
      { ...DO_RULE, comparator: 'LTE' },
      at('2025-08-14T12:00:00'),
    );
    assert.deepEqual(
      breach?.readings.map((r) => r.value),
      [5, 5, 5],
    );
  });

  it('GT excludes it, GTE includes it', () => {
    assert.equal(crosses(5, { comparator: 'GT', value: 5 }), false);
    assert.equal(crosses(5.01, { comparator: 'GT', value: 5 }), true);
    assert.equal(crosses(5, { comparator: 'GTE', value: 5 }), true);
    assert.equal(crosses(4.99, { comparator: 'GTE', value: 5 }), false);
    assert.equal(crosses(4.99, { comparator: 'LT', value: 5 }), true);
    assert.equal(crosses(5, { comparator: 'LTE', value: 5 }), true);
  });

  it('an instant rule (1 day) breaches on any crossing reading of the day', () => {
    const ammonia: RiskThresholdRow = {
      metric: 'AMMONIA_NITROGEN',
      comparator: 'GT',
      value: 1,
      unit: 'mg/L',
      windowDays: 1,
      alertLevel: 'YELLOW',
    };
    const readings: ReadingSample[] = [
      {
        metric: 'AMMONIA_NITROGEN',
        value: 0.8,
        unit: 'mg/L',
        measuredAt: '2025-08-13T06:00:00+08:00',
      },
      {
        metric: 'AMMONIA_NITROGEN',
        value: 0.9,
        unit: 'mg/L',
        measuredAt: '2025-08-14T06:00:00+08:00',
      },
      {
        metric: 'AMMONIA_NITROGEN',
        value: 1.2,
        unit: 'mg/L',
        measuredAt: '2025-08-14T12:00:00+08:00',
      },
    ];
    const breach = evaluateThreshold(
      readings,
      ammonia,
      at('2025-08-14T13:00:00'),
    );
    assert.equal(breach?.windowStart, '2025-08-14');
    assert.deepEqual(
      breach.readings.map((r) => r.value),
      [1.2],
    );
  });

  it('is deterministic and refuses a window that is not a positive integer', () => {
    const a = evaluateThreshold(SCENARIO, DO_RULE, at('2025-08-14T08:00:00'));
    const b = evaluateThreshold(
      [...SCENARIO].reverse(),
      DO_RULE,
      at('2025-08-14T08:00:00'),
    );
    assert.deepEqual(a, b);
    assert.throws(
      () =>
        evaluateThreshold(
          SCENARIO,
          { ...DO_RULE, windowDays: 0 },
          at('2025-08-14T08:00:00'),
        ),
      RangeError,
    );
  });

  it('names a breach by item, rule and window start, and derives a stable alert id', () => {
    const key = evaluationKey('RI-PUHE-ZHAIXI', DO_RULE, '2025-08-12');
    assert.equal(key, 'RI-PUHE-ZHAIXI/DISSOLVED_OXYGEN:LT:5:3d/2025-08-12');
    assert.match(alertIdFor(key, '2025-08-14'), /^AL-20250814-[0-9A-F]{8}$/);
    assert.equal(alertIdFor(key, '2025-08-14'), alertIdFor(key, '2025-08-14'));
  });
});

describe('alert lifecycle', () => {
  it('goes NEW → ACKNOWLEDGED → DISPOSED → CLOSED, one step at a time', () => {
    assert.equal(planTransition('A', 'NEW', 'acknowledge').to, 'ACKNOWLEDGED');
    assert.equal(planTransition('A', 'ACKNOWLEDGED', 'dispose').to, 'DISPOSED');
    assert.equal(planTransition('A', 'DISPOSED', 'close').to, 'CLOSED');
    assert.deepEqual(allowedActions('CLOSED'), []);
  });

  it('refuses other steps with CONFLICT naming what is allowed', () => {
    try {
      planTransition('A', 'NEW', 'close');
      assert.fail('expected CONFLICT');
    } catch (error) {
      assert.ok(error instanceof GraphQLErrorWithCode);
      assert.equal(error.extensions['code'], 'CONFLICT');
      assert.deepEqual(error.extensions['allowedActions'], [
        'acknowledgeAlert',
      ]);
      assert.match(error.message, /acknowledgeAlert/);
    }
    assert.equal(
      code(() => planTransition('A', 'CLOSED', 'acknowledge')),
      'CONFLICT',
    );
    assert.equal(
      code(() => planTransition('A', 'ACKNOWLEDGED', 'acknowledge')),
      'CONFLICT',
    );
  });

  it('needs a comment to dispose, and bounds comments', () => {
    assert.equal(
      code(() => parseComment('dispose', '   ')),
      'BAD_USER_INPUT',
    );
    assert.equal(
      code(() => parseComment('dispose', null)),
      'BAD_USER_INPUT',
    );
    assert.equal(
      parseComment('dispose', ' 已协调水电站加大下泄 '),
      '已协调水电站加大下泄',
    );
    assert.equal(parseComment('acknowledge', undefined), null);
    assert.equal(
      code(() => parseComment('close', 'x'.repeat(2001))),
      'BAD_USER_INPUT',
    );
  });
});

describe('webhooks', () => {
  it('accepts https to public hosts, and http or local targets only when the allow-list names them', () => {
    const none = EMPTY_WEBHOOK_ALLOW_LIST;
    assert.equal(
      parseWebhookUrl('https://hooks.example.gov.cn/alerts', none),
      'https://hooks.example.gov.cn/alerts',
    );
    const local = parseWebhookAllowList('127.0.0.1:8080,localhost');
    assert.equal(
      parseWebhookUrl('http://127.0.0.1:8080/x', local),
      'http://127.0.0.1:8080/x',
    );
    assert.equal(
      parseWebhookUrl('http://localhost/x', local),
      'http://localhost/x',
    );
    for (const [bad, list] of [
      ['http://example.com/x', none],
      ['http://127.0.0.1:8080/x', none],
      ['http://localhost/x', none],
      ['http://127.0.0.1:8081/x', local],
      ['ftp://127.0.0.1/x', local],
      ['https://user:pw@example.com/', none],
      ['https://example.com/#frag', none],
      ['not a url', none],
      ['javascript:alert(1)', none],
      [`https://example.com/${'a'.repeat(3000)}`, none],
    ] as const) {
      assert.equal(
        code(() => parseWebhookUrl(bad, list)),
        'BAD_USER_INPUT',
        bad,
      );
    }
  });

  it('signs t.body with HMAC-SHA256 and verifies within the tolerance only', () => {
    const header = signWebhookBody('whsec_test', '{"a":1}', 1_755_130_000);
    assert.match(header, /^t=1755130000,v1=[0-9a-f]{64}$/);
    assert.ok(
      verifyWebhookSignature('whsec_test', '{"a":1}', header, {
        now: 1_755_130_010,
      }),
    );
    assert.ok(
      !verifyWebhookSignature('whsec_test', '{"a":2}', header, {
        now: 1_755_130_010,
      }),
    );
    assert.ok(
      !verifyWebhookSignature('other', '{"a":1}', header, {
        now: 1_755_130_010,
      }),
    );
    assert.ok(
      !verifyWebhookSignature('whsec_test', '{"a":1}', header, {
        now: 1_755_140_000,
      }),
    );
    assert.ok(!verifyWebhookSignature('whsec_test', '{"a":1}', 'garbage'));
  });
});

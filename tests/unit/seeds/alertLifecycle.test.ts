// The seeded alerts carry their lifecycle as the running system records it:
// the timestamps of the steps reached, the threshold a generated alert was
// raised from (the evaluator's rule), and the events, a legal path of the
// lifecycle from the raise to the alert's status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';

import { demoUsers } from '../../../hub/demoUsers.js';
import {
  REFERENCE_NOW_MS,
  SCENARIOS,
  type AlertEventRow,
  type AlertRow,
} from '../../../seeds/src/index.js';
import {
  ALERT_TRANSITIONS,
  parseComment,
} from '../../../subgraphs/emergency/src/alerting/alertLifecycle.js';
import { EVALUATOR_ACTOR } from '../../../subgraphs/emergency/src/alerting/composeAlert.js';
import { demoWorld, riskItems } from './fixtures.js';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;

/** The keys of a rule as the evaluator stores it (RiskThresholdRow). */
const RULE_KEYS = [
  'alertLevel',
  'comparator',
  'metric',
  'unit',
  'value',
  'windowDays',
];

const ms = (iso: string): number => new Date(iso).getTime();

/** The column a status's instant is kept in. */
const COLUMN = {
  ACKNOWLEDGED: 'acknowledged_at',
  DISPOSED: 'disposed_at',
  CLOSED: 'closed_at',
} as const;

for (const seed of [1, 7]) {
  const w = demoWorld(seed);
  const alerts = w.tables['emergency.alerts'];
  const events = w.tables['emergency.alert_events'];
  const eventsOf = new Map<string, AlertEventRow[]>();
  for (const e of events) {
    const list = eventsOf.get(e.alert_id) ?? [];
    list.push(e);
    eventsOf.set(e.alert_id, list);
  }
  const items = new Map(riskItems(w).map((i) => [i.id, i]));
  const personIds = new Set(
    w.tables['publicsecurity.persons'].map((p) => p.id),
  );
  const demoSubjects = new Set(demoUsers.map((u) => u.claims.sub));

  describe(`seeded alert lifecycles (seed ${seed})`, () => {
    it('sets the timestamps of exactly the steps each status has reached, in order, before the reference now', () => {
      const reached: Record<AlertRow['status'], number> = {
        NEW: 0,
        ACKNOWLEDGED: 1,
        DISPOSED: 2,
        CLOSED: 3,
      };
      for (const a of alerts) {
        const steps = [a.acknowledged_at, a.disposed_at, a.closed_at];
        steps.forEach((at, i) => {
          assert.equal(at !== null, i < reached[a.status], `${a.id} ${i}`);
        });
        const instants = [a.raised_at, ...steps.filter((s) => s !== null)];
        for (const at of instants) assert.match(at ?? '', TIMESTAMP, a.id);
        const times = instants.map((s) => ms(s ?? ''));
        times.forEach((t, i) => {
          if (i > 0) assert.ok(t > (times[i - 1] ?? Infinity), a.id);
        });
        assert.ok((times.at(-1) ?? Infinity) <= REFERENCE_NOW_MS, a.id);
      }
    });

    it('records each alert’s events as a legal path from the raise to its status, at the timestamps', () => {
      for (const a of alerts) {
        const list = eventsOf.get(a.id) ?? [];
        assert.ok(list.length > 0, `${a.id} has events`);
        const [raise, ...steps] = list;
        assert.ok(raise);
        assert.equal(raise.from_status, null, a.id);
        assert.equal(raise.to_status, 'NEW', a.id);
        assert.equal(raise.at, a.raised_at, a.id);
        assert.equal(raise.comment, null, a.id);
        let status: AlertRow['status'] = raise.to_status;
        for (const e of steps) {
          const transition = ALERT_TRANSITIONS.find(
            (t) => t.from === status && t.to === e.to_status,
          );
          assert.ok(transition, `${a.id}: ${status} → ${e.to_status}`);
          assert.equal(e.from_status, status, a.id);
          // The comment is one the mutation accepts (disposing needs one).
          assert.equal(
            parseComment(transition.action, e.comment),
            e.comment,
            a.id,
          );
          assert.equal(e.at, a[COLUMN[transition.to as keyof typeof COLUMN]]);
          status = e.to_status;
        }
        assert.equal(status, a.status, a.id);
      }
      assert.ok(
        events.every((e) => alerts.some((a) => a.id === e.alert_id)),
        'every event belongs to a seeded alert',
      );
    });

    it('names as actors the evaluator for generated alerts, then the responsible person and the emergency duty officer', () => {
      for (const a of alerts) {
        const [raise, ...steps] = eventsOf.get(a.id) ?? [];
        const item = items.get(a.risk_item_id);
        assert.ok(item, a.risk_item_id);
        if (a.rule !== null) assert.equal(raise?.actor, EVALUATOR_ACTOR);
        for (const e of steps) {
          if (e.to_status === 'CLOSED') {
            assert.equal(e.actor, 'emergency-duty', a.id);
          } else {
            assert.equal(e.actor, item.responsible_person_id, a.id);
          }
          assert.ok(
            personIds.has(e.actor) || demoSubjects.has(e.actor),
            `${a.id}: ${e.actor} is a seeded person or a demo user`,
          );
        }
      }
      const duty = demoUsers.find((u) => u.claims.sub === 'emergency-duty');
      assert.equal(duty?.claims.dept, 'emergency');
      assert.ok(duty?.claims.roles.includes('duty-officer'));
      assert.equal(duty?.claims.region, '500000');
    });

    it('keeps the threshold each generated alert was raised from as its rule, in the evaluator’s shape', () => {
      for (const a of alerts) {
        if (a.id === SCENARIOS.oilSlick.alertId) continue;
        const item = items.get(a.risk_item_id);
        assert.ok(item, a.risk_item_id);
        assert.ok(a.rule, `${a.id} has a rule`);
        assert.deepEqual(Object.keys(a.rule).sort(), RULE_KEYS, a.id);
        assert.ok(
          item.thresholds.some((t) => isDeepStrictEqual({ ...t }, a.rule)),
          `${a.id}: the rule is one of ${item.id}'s thresholds`,
        );
        assert.equal(a.level, a.rule.alertLevel, a.id);
      }
    });

    it('gives the oil-slick alert no rule and the lifecycle of the report: traced, cleared within 4.5 hours, closed after the slick’s arrival', () => {
      const o = SCENARIOS.oilSlick;
      const a = alerts.find((x) => x.id === o.alertId);
      assert.ok(a);
      assert.equal(a.status, 'CLOSED');
      assert.equal(a.rule, null);
      assert.equal(a.raised_at, '2025-07-18T06:55:00+08:00');
      const detected = ms(o.detectedAt);
      const hours = (iso: string | null): number =>
        (ms(iso ?? '') - detected) / 3_600_000;
      assert.equal(hours(a.raised_at), 0.25, 'traced within 15 minutes');
      assert.ok(hours(a.acknowledged_at) < 1);
      assert.equal(hours(a.disposed_at), 4.5, 'cleared in 4.5 hours');
      assert.ok(
        hours(a.closed_at) >= hours(a.raised_at) + o.travelHours,
        'closed once the predicted arrival at the intake has passed',
      );
      for (const at of [a.acknowledged_at, a.disposed_at, a.closed_at]) {
        assert.match(at ?? '', /^2025-07-18T/);
      }
      const list = eventsOf.get(a.id) ?? [];
      const item = items.get(o.riskItemId);
      assert.ok(item);
      assert.deepEqual(
        list.map((e) => [e.from_status, e.to_status, e.actor]),
        [
          [null, 'NEW', 'env-analyst'],
          ['NEW', 'ACKNOWLEDGED', item.responsible_person_id],
          ['ACKNOWLEDGED', 'DISPOSED', item.responsible_person_id],
          ['DISPOSED', 'CLOSED', 'emergency-duty'],
        ],
      );
      const raiser = demoUsers.find((u) => u.claims.sub === list[0]?.actor);
      assert.equal(raiser?.claims.dept, 'environment', 'a person, not a model');
      assert.equal(raiser?.claims.filing, undefined);
      assert.match(list[2]?.comment ?? '', /截污坝/);
    });

    it('has alerts in every status with events for every step', () => {
      const counts = new Map<string, number>();
      for (const a of alerts) {
        counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
      }
      assert.equal(counts.size, 4);
      const steps = { NEW: 1, ACKNOWLEDGED: 2, DISPOSED: 3, CLOSED: 4 };
      assert.equal(
        events.length,
        alerts.reduce((n, a) => n + steps[a.status], 0),
      );
    });
  });
}

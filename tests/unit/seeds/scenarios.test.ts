import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SCENARIOS } from '../../../seeds/src/index.js';
import { breaches, demoWorld, haversineKm, riskItems } from './fixtures.js';

const EPSILON = 1e-9;

// The scenarios hold in every world, whatever the seed.
for (const seed of [1, 7]) {
  const w = demoWorld(seed);
  const t = w.tables;
  const enterprise = (code: string) => {
    const e = t['market.enterprises'].find((x) => x.credit_code === code);
    assert.ok(e, code);
    return e;
  };

  describe(`scenario 1: dissolved oxygen at 蒲河寨溪大桥 (seed ${seed})`, () => {
    const d = SCENARIOS.dissolvedOxygen;
    const section = t['environment.sections'].find(
      (s) => s.id === 'MS-PUHE-ZHAIXI',
    );

    it('has the section on 蒲河 in 綦江区 with target class III', () => {
      assert.ok(section);
      assert.equal(section.name, '寨溪大桥');
      assert.equal(section.river_id, 'R-PUHE');
      assert.equal(section.target_class, 'III');
      assert.equal(section.region_code.slice(0, 6), '500110');
      assert.ok(
        t['water.rivers'].some((r) => r.id === 'R-PUHE' && r.name === '蒲河'),
      );
    });

    it('has exactly two wastewater plants between the upstream section and 寨溪大桥', () => {
      assert.ok(section);
      const upstream = t['environment.sections']
        .filter((s) => s.river_id === 'R-PUHE' && s.river_km < section.river_km)
        .sort((a, b) => b.river_km - a.river_km)[0];
      assert.equal(upstream?.id, d.upstreamSectionId);
      const reach = t['environment.pollution_sources'].filter(
        (p) =>
          p.river_id === 'R-PUHE' &&
          p.river_km > (upstream?.river_km ?? 0) &&
          p.river_km <= section.river_km,
      );
      assert.equal(reach.length, 2);
      for (const p of reach) {
        assert.equal(p.kind, 'WASTEWATER_PLANT');
        assert.equal(enterprise(p.credit_code).industry, '污水处理');
        assert.match(p.name, /污水处理厂$/);
      }
      assert.deepEqual(
        reach.map((p) => p.credit_code).sort(),
        [...w.scenarios.dissolvedOxygen.plantCreditCodes].sort(),
      );
    });

    it('reads dissolved oxygen below 5 mg/L on exactly 2025-08-12..14, normal before and after', () => {
      const readings = t['environment.readings']
        .filter(
          (r) =>
            r.section_id === 'MS-PUHE-ZHAIXI' &&
            r.parameter === 'DISSOLVED_OXYGEN',
        )
        .sort((a, b) => (a.measured_at < b.measured_at ? -1 : 1));
      assert.ok(readings.length >= 60);
      const low = readings
        .filter((r) => r.value < 5)
        .map((r) => r.measured_at.slice(0, 10));
      assert.deepEqual(low, ['2025-08-12', '2025-08-13', '2025-08-14']);
      assert.deepEqual(
        readings.filter((r) => r.value < 5).map((r) => r.value),
        [3.2, 2.9, 3.4],
      );
      for (const r of readings) {
        const day = r.measured_at.slice(0, 10);
        if (day < '2025-08-12' || day >= d.recoveredOn)
          assert.ok(r.value >= 6, `${day}: ${r.value}`);
      }
    });

    it('keeps every other reading within its section’s target class', () => {
      const target = new Map(
        t['environment.sections'].map((s) => [s.id, s.target_class]),
      );
      const bad = t['environment.readings'].filter(
        (r) =>
          !(
            r.section_id === 'MS-PUHE-ZHAIXI' &&
            r.parameter === 'DISSOLVED_OXYGEN'
          ) &&
          breaches(r.parameter, target.get(r.section_id) ?? 'III', r.value),
      );
      assert.deepEqual(bad.slice(0, 3), []);
    });

    it('watches the section with a 3-day dissolved-oxygen threshold', () => {
      const item = riskItems(w).find((i) => i.id === d.riskItemId);
      assert.ok(item);
      assert.equal(item.section_id, 'MS-PUHE-ZHAIXI');
      const category = t['emergency.risk_categories'].find(
        (c) => c.code === item.category_code,
      );
      assert.equal(category?.name, '地表水水质超标');
      assert.deepStrictEqual(item.thresholds[0], {
        metric: 'DISSOLVED_OXYGEN',
        comparator: 'LT',
        value: 5,
        unit: 'mg/L',
        windowDays: 3,
        alertLevel: 'ORANGE',
      });
    });

    it('seeds no alert of its own: the evaluator raises it as of the scenario’s instant', () => {
      // The hub replays the evaluator as of `evaluatedAt` (hub/startHub.ts;
      // tests/e2e/alerts.e2e.test.ts and cli.e2e.test.ts check the alert).
      assert.deepEqual(
        t['emergency.alerts'].filter(
          (a) =>
            a.risk_item_id === d.riskItemId || a.section_id === d.sectionId,
        ),
        [],
      );
      assert.equal(d.evaluatedAt, '2025-08-14T08:00:00+08:00');
      // The three breaches are the last three readings up to the instant:
      // the 3-day window ending on its China day holds exactly them.
      const upTo = t['environment.readings']
        .filter(
          (r) =>
            r.section_id === d.sectionId &&
            r.parameter === 'DISSOLVED_OXYGEN' &&
            Date.parse(r.measured_at) <= Date.parse(d.evaluatedAt),
        )
        .sort((a, b) => Date.parse(a.measured_at) - Date.parse(b.measured_at))
        .map((r) => r.value);
      assert.deepEqual(upTo.slice(-3), [3.2, 2.9, 3.4]);
      assert.ok((upTo.at(-4) ?? 0) >= 5, `the day before: ${upTo.at(-4)}`);
    });
  });

  describe(`scenario 2: oil slick on 汝溪河 (seed ${seed})`, () => {
    const o = SCENARIOS.oilSlick;
    const incident = t['environment.incidents'].find(
      (i) => i.id === 'INC-RUXI-OIL',
    );

    it('has the 300 m² slick on 汝溪河 in 梁平区, July 2025', () => {
      assert.ok(incident);
      assert.equal(incident.kind, 'OIL_SLICK');
      assert.equal(incident.area_sqm, 300);
      assert.equal(incident.river_id, 'R-RUXI');
      assert.equal(incident.region_code.slice(0, 6), '500155');
      assert.match(incident.detected_at, /^2025-07-/);
    });

    it('has 17 industrial enterprises and 3 wastewater plants within 30 km upstream, the food plant nearest at 2.3 km', () => {
      assert.ok(incident);
      const candidates = t['environment.pollution_sources']
        .filter(
          (p) =>
            p.river_id === 'R-RUXI' &&
            p.river_km <= incident.river_km &&
            incident.river_km - p.river_km <= 30,
        )
        .sort((a, b) => b.river_km - a.river_km);
      assert.equal(
        candidates.filter((p) => p.kind === 'INDUSTRIAL_ENTERPRISE').length,
        17,
      );
      assert.equal(
        candidates.filter((p) => p.kind === 'WASTEWATER_PLANT').length,
        3,
      );
      assert.equal(candidates.length, 20);
      const nearest = candidates[0];
      assert.ok(nearest);
      assert.ok(Math.abs(incident.river_km - nearest.river_km - 2.3) < EPSILON);
      assert.ok((candidates[1]?.river_km ?? 0) < nearest.river_km);
      const plant = enterprise(nearest.credit_code);
      assert.equal(plant.industry, '食品加工');
      assert.equal(plant.credit_code, w.scenarios.oilSlick.foodPlantCreditCode);
      const violations = t['market.violations'].filter(
        (v) => v.credit_code === plant.credit_code,
      );
      assert.ok(
        violations.some(
          (v) => v.description.includes('隔油池') && v.category === '违规排放',
        ),
      );
      // Some sources lie just outside the 30 km, so the limit matters.
      assert.ok(
        t['environment.pollution_sources'].some(
          (p) => p.river_id === 'R-RUXI' && incident.river_km - p.river_km > 30,
        ),
      );
    });

    it('shows the food plant exceeding its permit for oil around the incident, and no one else', () => {
      const exceed = t['environment.discharge_records'].filter(
        (r) =>
          r.recorded_at >= '2025-07-10' &&
          r.recorded_at < '2025-07-26' &&
          r.concentration > r.permitted_limit,
      );
      const ruxi = new Set(
        t['environment.pollution_sources']
          .filter((p) => p.river_id === 'R-RUXI')
          .map((p) => p.id),
      );
      const onRuxi = exceed.filter((r) => ruxi.has(r.source_id));
      assert.ok(
        onRuxi.some(
          (r) =>
            r.pollutant === '动植物油' &&
            r.recorded_at.startsWith('2025-07-18'),
        ),
      );
      assert.deepEqual(
        [...new Set(onRuxi.map((r) => r.source_id))],
        [o.foodPlantSourceId],
      );
    });

    it('has five hydrological stations on 汝溪河 with daily flow readings', () => {
      const stations = t['water.stations'].filter(
        (s) => s.river_id === 'R-RUXI',
      );
      assert.deepEqual(
        stations.map((s) => s.id),
        ['HS-RUXI-1', 'HS-RUXI-2', 'HS-RUXI-3', 'HS-RUXI-4', 'HS-RUXI-5'],
      );
      for (const s of stations) {
        assert.ok(
          t['water.flow_readings'].filter((f) => f.station_id === s.id)
            .length >= 60,
          s.id,
        );
      }
    });

    it('reaches the drinking-water intake serving 120,000 people in about 6 hours', () => {
      assert.ok(incident);
      const intake = t['water.intakes']
        .filter(
          (i) => i.river_id === 'R-RUXI' && i.river_km > incident.river_km,
        )
        .sort((a, b) => a.river_km - b.river_km)[0];
      assert.ok(intake);
      assert.equal(intake.population_served, 120_000);
      const station = t['water.stations']
        .filter((s) => s.river_id === 'R-RUXI')
        .sort(
          (a, b) =>
            Math.abs(a.river_km - incident.river_km) -
            Math.abs(b.river_km - incident.river_km),
        )[0];
      assert.ok(station);
      const latest = t['water.flow_readings']
        .filter((f) => f.station_id === station.id)
        .sort((a, b) => (a.measured_at < b.measured_at ? 1 : -1))[0];
      assert.ok(latest);
      const hours =
        ((intake.river_km - incident.river_km) * 1000) / latest.velocity / 3600;
      assert.ok(Math.abs(hours - 6) < 0.01, `${hours} h`);
    });
  });

  describe(`scenario 3: the crowd at 解放碑 (seed ${seed})`, () => {
    const observations = t['publicsecurity.crowd_observations'].filter(
      (o) => o.area_id === 'CA-JIEFANGBEI',
    );

    it('observes 解放碑商圈 every hour of the 2025 Spring Festival golden week', () => {
      const area = t['publicsecurity.crowd_areas'].find(
        (a) => a.id === 'CA-JIEFANGBEI',
      );
      assert.equal(area?.name, '解放碑商圈');
      assert.equal(area?.region_code, '500103001');
      assert.equal(observations.length, 8 * 24);
      const times = observations.map((o) => o.observed_at).sort();
      assert.equal(times[0], '2025-01-28T00:00:00+08:00');
      assert.equal(times.at(-1), '2025-02-04T23:00:00+08:00');
    });

    it('peaks at 1,800,000 visitors with exactly 3 congestion points', () => {
      const byVisitors = [...observations].sort(
        (a, b) => b.visitors_today - a.visitors_today,
      )[0];
      assert.equal(byVisitors?.visitors_today, 1_800_000);
      const byCrowd = [...observations].sort(
        (a, b) => b.current_count - a.current_count,
      )[0];
      for (const peak of [byVisitors, byCrowd]) {
        assert.ok(peak);
        assert.equal(peak.observed_at.slice(0, 10), SCENARIOS.crowd.peakDay);
        assert.equal(peak.congestion_points.length, 3);
        assert.ok(
          peak.congestion_points.every(
            (p) => p.level === 'WARNING' || p.level === 'CRITICAL',
          ),
        );
      }
    });

    it('counts visitors cumulatively through each day', () => {
      const sorted = [...observations].sort((a, b) =>
        a.observed_at < b.observed_at ? -1 : 1,
      );
      for (let i = 1; i < sorted.length; i += 1) {
        const [prev, cur] = [sorted[i - 1], sorted[i]];
        assert.ok(prev && cur);
        if (prev.observed_at.slice(0, 10) === cur.observed_at.slice(0, 10)) {
          assert.ok(cur.visitors_today >= prev.visitors_today);
        }
      }
    });

    it('watches a few other crowd areas elsewhere', () => {
      const others = t['publicsecurity.crowd_areas'].filter(
        (a) => a.id !== 'CA-JIEFANGBEI',
      );
      assert.ok(others.length >= 3);
      assert.ok(new Set(others.map((a) => a.region_code)).size >= 3);
    });
  });

  describe(`scenario 4: the night-market complaint (seed ${seed})`, () => {
    const n = SCENARIOS.nightMarket;
    const complaint = t['enforcement.complaints'].find(
      (c) => c.id === 'C-20250915-JCK',
    );

    it('was received from 王先生 through 渝快办 at 20:17 on 2025-09-15', () => {
      assert.ok(complaint);
      assert.equal(complaint.received_at, '2025-09-15T20:17:00+08:00');
      assert.equal(complaint.channel, '渝快办');
      assert.match(complaint.summary, /较场口夜市3家烧烤店/);
      assert.match(complaint.summary, /跨门店经营/);
      assert.match(complaint.summary, /油烟扰民/);
      assert.equal(complaint.region_code, '500103001');
      assert.deepEqual(
        [complaint.latitude, complaint.longitude],
        [29.5525, 106.5735],
      );
      const person = t['publicsecurity.persons'].find(
        (p) => p.id === complaint.complainant_person_id,
      );
      assert.ok(person);
      assert.ok(person.name.startsWith('王'));
      assert.equal(person.gender, 'MALE');
      assert.equal(person.id, w.scenarios.nightMarket.complainantPersonId);
    });

    it('names exactly 3 barbecue merchants, each with a licence and violations', () => {
      const merchants = t['enforcement.complaint_merchants'].filter(
        (m) => m.complaint_id === 'C-20250915-JCK',
      );
      assert.equal(merchants.length, 3);
      for (const m of merchants) {
        const e = enterprise(m.credit_code);
        assert.equal(e.industry, '餐饮');
        assert.match(e.name, /烧烤/);
        assert.ok(e.licence_number.length > 0);
        assert.ok(
          t['market.violations'].filter((v) => v.credit_code === e.credit_code)
            .length >= 1,
        );
      }
    });

    it('was dispatched in 15 s to 解放碑综合执法中队, the nearest squad, and resolved at 23:02', () => {
      assert.ok(complaint);
      assert.equal(complaint.status, 'RESOLVED');
      assert.equal(complaint.assigned_squad_id, 'SQ-JIEFANGBEI');
      assert.equal(
        (Date.parse(complaint.dispatched_at ?? '') -
          Date.parse(complaint.received_at)) /
          1000,
        15,
      );
      assert.equal(complaint.resolved_at, '2025-09-15T23:02:00+08:00');
      const squads = [...t['enforcement.squads']].sort(
        (a, b) =>
          haversineKm(n.latitude, n.longitude, a.latitude, a.longitude) -
          haversineKm(n.latitude, n.longitude, b.latitude, b.longitude),
      );
      assert.equal(squads[0]?.id, 'SQ-JIEFANGBEI');
      assert.equal(squads[0]?.name, '解放碑综合执法中队');
    });

    it('has one squad per district (38) and squads for the streets', () => {
      const squads = t['enforcement.squads'];
      assert.equal(squads.filter((s) => s.region_code.length === 6).length, 38);
      assert.equal(
        new Set(
          squads
            .filter((s) => s.region_code.length === 6)
            .map((s) => s.region_code),
        ).size,
        38,
      );
      assert.ok(
        squads.filter((s) => s.region_code.length === 9).length >= 1031,
      );
      for (const s of squads) assert.match(s.duty_phone, /^023-\d{8}$/);
    });
  });

  describe(`scenario 5: the risk inventory (seed ${seed})`, () => {
    const categories = t['emergency.risk_categories'];
    const items = riskItems(w);

    it('has 130+ categories with unique names across the six domains', () => {
      assert.ok(categories.length >= 130);
      assert.equal(
        new Set(categories.map((c) => c.name)).size,
        categories.length,
      );
      assert.deepEqual(
        [...new Set(categories.map((c) => c.domain))].sort(),
        [
          '公共卫生',
          '城市运行',
          '安全生产',
          '生态环境',
          '社会安全',
          '自然灾害',
        ].sort(),
      );
      for (const name of [
        '森林防火',
        '危岩地灾',
        '危化品',
        '洪水',
        '内涝',
        '尾矿库',
        '燃气',
        '建筑施工',
      ]) {
        assert.ok(
          categories.some((c) => c.name === name),
          name,
        );
      }
    });

    it('gives every item 1–3 thresholds, 2–5 disposal measures and a responsible person', () => {
      assert.equal(items.length, SCENARIOS.riskInventory.riskItems.demo);
      for (const i of items) {
        assert.ok(i.thresholds.length >= 1 && i.thresholds.length <= 3, i.id);
        assert.ok(
          i.disposal_measures.length >= 2 && i.disposal_measures.length <= 5,
          i.id,
        );
        assert.ok(['MAJOR', 'HIGH', 'MODERATE', 'LOW'].includes(i.level));
        assert.ok(
          i.region_code.length === 9 || i.region_code.length === 12,
          i.region_code,
        );
        for (const th of i.thresholds) {
          assert.ok(['LT', 'LTE', 'GT', 'GTE'].includes(th.comparator));
          assert.ok(
            ['BLUE', 'YELLOW', 'ORANGE', 'RED'].includes(th.alertLevel),
          );
          assert.ok(Number.isInteger(th.windowDays) && th.windowDays >= 1);
        }
      }
      assert.ok(items.some((i) => i.credit_code !== null));
      assert.ok(items.some((i) => i.section_id !== null));
      assert.ok(new Set(items.map((i) => i.category_code)).size >= 120);
    });

    it('has alerts of mixed statuses and levels, some with suspected enterprises', () => {
      const alerts = t['emergency.alerts'];
      assert.equal(alerts.length, 300);
      assert.equal(new Set(alerts.map((a) => a.status)).size, 4);
      assert.ok(new Set(alerts.map((a) => a.level)).size >= 3);
      assert.ok(
        alerts.filter((a) => a.suspected_credit_codes.length > 0).length >= 10,
      );
      assert.ok(alerts.every((a) => a.notified_parties.length > 0));
    });
  });
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { demoWorld, riskItems } from './fixtures.js';

const w = demoWorld(1);
const t = w.tables;
const regionCodes = new Set(t['enforcement.regions'].map((r) => r.code));
const personIds = new Set(t['publicsecurity.persons'].map((p) => p.id));
const creditCodes = new Set(t['market.enterprises'].map((e) => e.credit_code));
const riverIds = new Set(t['water.rivers'].map((r) => r.id));
const sectionIds = new Set(t['environment.sections'].map((s) => s.id));
const items = riskItems(w);

/** The values of `rows` that are not in `known`, for a readable failure. */
function unknown(
  values: Iterable<string | null>,
  known: ReadonlySet<string>,
): string[] {
  const missing = new Set<string>();
  for (const v of values) if (v !== null && !known.has(v)) missing.add(v);
  return [...missing].slice(0, 5);
}

describe('cross-department references', () => {
  it('names only regions that exist', () => {
    const used = [
      ...t['publicsecurity.persons'].map((r) => r.region_code),
      ...t['publicsecurity.crowd_areas'].map((r) => r.region_code),
      ...t['market.enterprises'].map((r) => r.region_code),
      ...t['water.rivers'].map((r) => r.region_code),
      ...t['water.stations'].map((r) => r.region_code),
      ...t['water.intakes'].map((r) => r.region_code),
      ...t['environment.sections'].map((r) => r.region_code),
      ...t['environment.pollution_sources'].map((r) => r.region_code),
      ...t['environment.incidents'].map((r) => r.region_code),
      ...t['enforcement.squads'].map((r) => r.region_code),
      ...t['enforcement.complaints'].map((r) => r.region_code),
      ...t['enforcement.regions'].map((r) => r.parent_code),
      ...items.map((r) => r.region_code),
      ...t['emergency.alerts'].map((r) => r.region_code),
    ];
    assert.deepEqual(unknown(used, regionCodes), []);
  });

  it('names only persons that exist', () => {
    const used = [
      ...t['market.enterprises'].map((r) => r.legal_rep_person_id),
      ...t['enforcement.squads'].map((r) => r.leader_person_id),
      ...t['enforcement.complaints'].map((r) => r.complainant_person_id),
      ...items.map((r) => r.responsible_person_id),
    ];
    assert.deepEqual(unknown(used, personIds), []);
  });

  it('names only enterprises that exist', () => {
    const used = [
      ...t['market.violations'].map((r) => r.credit_code),
      ...t['environment.pollution_sources'].map((r) => r.credit_code),
      ...t['enforcement.complaint_merchants'].map((r) => r.credit_code),
      ...t['enforcement.inspections'].map((r) => r.credit_code),
      ...items.map((r) => r.credit_code),
      ...t['emergency.alerts'].flatMap((r) => r.suspected_credit_codes),
    ];
    assert.deepEqual(unknown(used, creditCodes), []);
  });

  it('names only rivers and monitoring sections that exist', () => {
    assert.deepEqual(
      unknown(
        [
          ...t['water.rivers'].map((r) => r.parent_id),
          ...t['water.stations'].map((r) => r.river_id),
          ...t['water.intakes'].map((r) => r.river_id),
          ...t['environment.sections'].map((r) => r.river_id),
          ...t['environment.pollution_sources'].map((r) => r.river_id),
          ...t['environment.incidents'].map((r) => r.river_id),
        ],
        riverIds,
      ),
      [],
    );
    assert.deepEqual(
      unknown(
        [
          ...t['environment.readings'].map((r) => r.section_id),
          ...items.map((r) => r.section_id),
          ...t['emergency.alerts'].map((r) => r.section_id),
        ],
        sectionIds,
      ),
      [],
    );
  });

  it('keeps positions on rivers within their length', () => {
    const length = new Map(t['water.rivers'].map((r) => [r.id, r.length_km]));
    const positions = [
      ...t['water.stations'],
      ...t['water.intakes'],
      ...t['environment.sections'],
      ...t['environment.pollution_sources'],
      ...t['environment.incidents'],
    ];
    for (const p of positions) {
      assert.ok(
        p.river_km >= 0 && p.river_km <= (length.get(p.river_id) ?? -1),
        `${p.id} at ${p.river_km}`,
      );
    }
    for (const r of t['water.rivers']) {
      assert.equal(r.parent_id === null, r.confluence_km === null);
      if (r.parent_id !== null && r.confluence_km !== null) {
        assert.ok(r.confluence_km <= (length.get(r.parent_id) ?? -1), r.id);
      }
    }
  });

  it('keeps the foreign keys inside each department', () => {
    const squads = new Set(t['enforcement.squads'].map((s) => s.id));
    const complaints = new Set(t['enforcement.complaints'].map((c) => c.id));
    const stations = new Set(t['water.stations'].map((s) => s.id));
    const sources = new Set(
      t['environment.pollution_sources'].map((s) => s.id),
    );
    const areas = new Set(t['publicsecurity.crowd_areas'].map((a) => a.id));
    const categories = new Set(
      t['emergency.risk_categories'].map((c) => c.code),
    );
    const itemIds = new Set(items.map((i) => i.id));
    assert.deepEqual(
      unknown(
        t['enforcement.complaints'].map((c) => c.assigned_squad_id),
        squads,
      ),
      [],
    );
    assert.deepEqual(
      unknown(
        t['enforcement.inspections'].map((i) => i.squad_id),
        squads,
      ),
      [],
    );
    assert.deepEqual(
      unknown(
        t['enforcement.complaint_merchants'].map((m) => m.complaint_id),
        complaints,
      ),
      [],
    );
    assert.deepEqual(
      unknown(
        t['water.flow_readings'].map((f) => f.station_id),
        stations,
      ),
      [],
    );
    assert.deepEqual(
      unknown(
        t['environment.discharge_records'].map((d) => d.source_id),
        sources,
      ),
      [],
    );
    assert.deepEqual(
      unknown(
        t['publicsecurity.crowd_observations'].map((o) => o.area_id),
        areas,
      ),
      [],
    );
    assert.deepEqual(
      unknown(
        items.map((i) => i.category_code),
        categories,
      ),
      [],
    );
    assert.deepEqual(
      unknown(
        t['emergency.alerts'].map((a) => a.risk_item_id),
        itemIds,
      ),
      [],
    );
  });

  it('keeps primary keys unique', () => {
    const unique = (name: string, keys: string[]): void => {
      assert.equal(new Set(keys).size, keys.length, name);
    };
    unique(
      'violations',
      t['market.violations'].map((r) => r.id),
    );
    unique(
      'readings',
      t['environment.readings'].map(
        (r) => `${r.section_id}|${r.parameter}|${r.measured_at}`,
      ),
    );
    unique(
      'flow readings',
      t['water.flow_readings'].map((r) => `${r.station_id}|${r.measured_at}`),
    );
    unique(
      'observations',
      t['publicsecurity.crowd_observations'].map(
        (r) => `${r.area_id}|${r.observed_at}`,
      ),
    );
    unique(
      'complaint merchants',
      t['enforcement.complaint_merchants'].map(
        (r) => `${r.complaint_id}|${r.credit_code}`,
      ),
    );
    unique(
      'discharge records',
      t['environment.discharge_records'].map((r) => r.id),
    );
    unique(
      'sources',
      t['environment.pollution_sources'].map((r) => r.id),
    );
    unique(
      'sections',
      t['environment.sections'].map((r) => r.id),
    );
    unique(
      'complaints',
      t['enforcement.complaints'].map((r) => r.id),
    );
    unique(
      'inspections',
      t['enforcement.inspections'].map((r) => r.id),
    );
    unique(
      'squads',
      t['enforcement.squads'].map((r) => r.id),
    );
    unique(
      'alerts',
      t['emergency.alerts'].map((r) => r.id),
    );
    unique(
      'incidents',
      t['environment.incidents'].map((r) => r.id),
    );
    unique(
      'intakes',
      t['water.intakes'].map((r) => r.id),
    );
    unique(
      'stations',
      t['water.stations'].map((r) => r.id),
    );
    unique(
      'category names',
      t['emergency.risk_categories'].map((r) => r.name),
    );
  });

  it('keeps every coordinate inside Chongqing', () => {
    const points = [
      ...t['publicsecurity.crowd_areas'],
      ...t['market.enterprises'],
      ...t['environment.sections'],
      ...t['enforcement.squads'],
      ...t['enforcement.complaints'],
      ...items,
    ];
    for (const p of points) {
      assert.ok(
        p.latitude >= 28.1 &&
          p.latitude <= 32.2 &&
          p.longitude >= 105.2 &&
          p.longitude <= 110.2,
        JSON.stringify(p).slice(0, 80),
      );
    }
  });
});

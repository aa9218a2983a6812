import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  countRows,
  digestWorld,
  generateWorld,
  SCALE_PROFILES,
  SeedOptionsError,
  TABLE_ORDER,
} from '../../../seeds/src/index.js';
import { demoWorld, riskItems } from './fixtures.js';

describe('generateWorld', () => {
  it('gives deep-equal worlds for the same seed and scale', () => {
    const a = demoWorld(1);
    const b = generateWorld({ seed: 1, scale: 'demo' });
    assert.notEqual(a, b);
    for (const table of TABLE_ORDER) {
      if (table === 'emergency.risk_items') continue;
      assert.deepStrictEqual(a.tables[table], b.tables[table], table);
    }
    assert.deepStrictEqual(riskItems(a), riskItems(b));
    assert.deepStrictEqual(a.scenarios, b.scenarios);
    assert.equal(digestWorld(a), digestWorld(b));
  });

  it('gives a different world for a different seed', () => {
    const a = demoWorld(1);
    const b = demoWorld(2);
    assert.notEqual(digestWorld(a), digestWorld(b));
    assert.notDeepStrictEqual(
      a.tables['publicsecurity.persons'],
      b.tables['publicsecurity.persons'],
    );
    assert.notDeepStrictEqual(
      riskItems(a).slice(3, 50),
      riskItems(b).slice(3, 50),
    );
  });

  it('keeps geography and scenario entities the same across seeds', () => {
    const a = demoWorld(1);
    const b = demoWorld(2);
    assert.deepStrictEqual(
      a.tables['enforcement.regions'],
      b.tables['enforcement.regions'],
    );
    assert.deepStrictEqual(
      a.tables['environment.sections'],
      b.tables['environment.sections'],
    );
    assert.deepStrictEqual(a.tables['water.rivers'], b.tables['water.rivers']);
    assert.deepStrictEqual(a.scenarios, b.scenarios);
  });

  it('generates the demo row counts', () => {
    const counts = countRows(demoWorld(1));
    const profile = SCALE_PROFILES.demo;
    assert.equal(counts['publicsecurity.persons'], profile.persons);
    assert.equal(counts['market.enterprises'], profile.enterprises);
    assert.equal(counts['enforcement.complaints'], profile.complaints);
    assert.equal(counts['enforcement.inspections'], profile.inspections);
    assert.equal(counts['emergency.risk_items'], profile.riskItems);
    assert.equal(counts['emergency.alerts'], profile.alerts);
    assert.equal(counts['environment.sections'], 120);
    // Six parameters, at least daily, for the 60 days up to the reference now.
    assert.ok(counts['environment.readings'] >= 120 * 6 * 60);
    for (const table of TABLE_ORDER)
      assert.ok(counts[table] > 0, `${table} is empty`);
  });

  it('asks for 520,000 risk items and 62,000 grids at city scale', () => {
    assert.equal(SCALE_PROFILES.city.riskItems, 520_000);
    assert.deepEqual(SCALE_PROFILES.city.grids, { total: 62_000 });
  });

  it('rejects a seed that is not a non-negative 32-bit integer', () => {
    for (const seed of [-1, 1.5, Number.NaN, 2 ** 32]) {
      assert.throws(
        () => generateWorld({ seed, scale: 'demo' }),
        SeedOptionsError,
      );
    }
  });

  it('rejects an unknown scale', () => {
    assert.throws(
      // @ts-expect-error: not a scale, on purpose
      () => generateWorld({ seed: 1, scale: 'huge' }),
      SeedOptionsError,
    );
  });

  it('never reads the clock: histories end before the reference now', () => {
    const w = demoWorld(1);
    const now = '2025-09-30T00:00:00+08:00';
    const latest = (values: string[]): string =>
      values.reduce((a, b) => (a > b ? a : b));
    assert.ok(
      latest(w.tables['environment.readings'].map((r) => r.measured_at)) < now,
    );
    assert.ok(
      latest(w.tables['water.flow_readings'].map((r) => r.measured_at)) < now,
    );
    assert.ok(
      latest(w.tables['emergency.alerts'].map((r) => r.raised_at)) < now,
    );
    assert.ok(
      latest(w.tables['enforcement.complaints'].map((r) => r.received_at)) <
        now,
    );
  });
});

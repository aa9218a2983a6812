import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  breachesStandard,
  isTargetClass,
  isWaterParameter,
  standardFor,
  TARGET_CLASSES,
  unitOf,
  WATER_PARAMETERS,
} from '../../../../subgraphs/environment/src/waterQualityStandard.js';

describe('GB 3838-2002 limits', () => {
  it('has the class III limits the schema documents', () => {
    assert.deepEqual(standardFor('DISSOLVED_OXYGEN', 'III'), {
      kind: 'atLeast',
      limit: 5,
    });
    assert.deepEqual(standardFor('AMMONIA_NITROGEN', 'III'), {
      kind: 'atMost',
      limit: 1.0,
    });
    assert.deepEqual(standardFor('PERMANGANATE_INDEX', 'III'), {
      kind: 'atMost',
      limit: 6,
    });
    assert.deepEqual(standardFor('TOTAL_PHOSPHORUS', 'III'), {
      kind: 'atMost',
      limit: 0.2,
    });
    assert.deepEqual(standardFor('PETROLEUM', 'III'), {
      kind: 'atMost',
      limit: 0.05,
    });
    assert.deepEqual(standardFor('PH', 'III'), {
      kind: 'between',
      min: 6,
      max: 9,
    });
  });

  it('has a finite limit for every parameter and class, looser class by class', () => {
    for (const parameter of WATER_PARAMETERS) {
      let previous: number | undefined;
      for (const targetClass of TARGET_CLASSES) {
        const standard = standardFor(parameter, targetClass);
        if (standard.kind === 'between') continue;
        assert.ok(
          Number.isFinite(standard.limit),
          `${parameter} ${targetClass}`,
        );
        if (previous !== undefined) {
          const looser =
            standard.kind === 'atLeast'
              ? standard.limit <= previous
              : standard.limit >= previous;
          assert.ok(looser, `${parameter} ${targetClass}`);
        }
        previous = standard.limit;
      }
    }
  });

  it('treats dissolved oxygen as a lower bound', () => {
    assert.equal(breachesStandard('DISSOLVED_OXYGEN', 'III', 4.9), true);
    assert.equal(breachesStandard('DISSOLVED_OXYGEN', 'III', 5), false);
    assert.equal(breachesStandard('DISSOLVED_OXYGEN', 'I', 7), true);
    assert.equal(breachesStandard('DISSOLVED_OXYGEN', 'V', 2.5), false);
  });

  it('treats pollutants as upper bounds, a value at the limit meeting it', () => {
    assert.equal(breachesStandard('AMMONIA_NITROGEN', 'III', 1.0), false);
    assert.equal(breachesStandard('AMMONIA_NITROGEN', 'III', 1.01), true);
    assert.equal(breachesStandard('AMMONIA_NITROGEN', 'II', 0.6), true);
    assert.equal(breachesStandard('PERMANGANATE_INDEX', 'IV', 10), false);
    assert.equal(breachesStandard('TOTAL_PHOSPHORUS', 'I', 0.03), true);
    assert.equal(breachesStandard('PETROLEUM', 'III', 0.06), true);
    assert.equal(breachesStandard('PETROLEUM', 'IV', 0.06), false);
  });

  it('breaches pH outside 6–9 whatever the class', () => {
    for (const targetClass of TARGET_CLASSES) {
      assert.equal(breachesStandard('PH', targetClass, 5.9), true);
      assert.equal(breachesStandard('PH', targetClass, 6), false);
      assert.equal(breachesStandard('PH', targetClass, 9), false);
      assert.equal(breachesStandard('PH', targetClass, 9.1), true);
    }
  });

  it('gives mg/L for every parameter but pH', () => {
    assert.equal(unitOf('PH'), '无量纲');
    assert.equal(unitOf('AMMONIA_NITROGEN'), 'mg/L');
    assert.equal(unitOf('DISSOLVED_OXYGEN'), 'mg/L');
  });

  it('recognises only known parameters and classes', () => {
    assert.equal(isWaterParameter('PH'), true);
    assert.equal(isWaterParameter('COD'), false);
    assert.equal(isTargetClass('IV'), true);
    assert.equal(isTargetClass('VI'), false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseCongestionPoints } from '../../../../subgraphs/publicsecurity/src/congestion.js';

const POINT = {
  name: '解放碑纪念碑',
  latitude: 29.5573,
  longitude: 106.577,
  density: 2.6,
  level: 'WARNING',
};

describe('parseCongestionPoints', () => {
  it('reads the jsonb array as the driver parsed it', () => {
    assert.deepEqual(parseCongestionPoints([POINT]), [POINT]);
    assert.deepEqual(parseCongestionPoints([]), []);
  });

  it('reads a JSON string too', () => {
    assert.deepEqual(parseCongestionPoints(JSON.stringify([POINT])), [POINT]);
  });

  it('drops keys the schema does not know', () => {
    assert.deepEqual(parseCongestionPoints([{ ...POINT, camera: 'C-17' }]), [
      POINT,
    ]);
  });

  it('refuses rows that would break the schema', () => {
    assert.throws(() => parseCongestionPoints(null));
    assert.throws(() => parseCongestionPoints({ points: [] }));
    assert.throws(() => parseCongestionPoints([{ ...POINT, level: 'SEVERE' }]));
    assert.throws(() => parseCongestionPoints([{ ...POINT, density: '2.6' }]));
  });
});

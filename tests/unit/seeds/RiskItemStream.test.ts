import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { demoWorld, riskItems } from './fixtures.js';

describe('RiskItemStream', () => {
  it('gives the same rows when iterated twice, by index and in chunks', () => {
    const stream = demoWorld(1).tables['emergency.risk_items'];
    const first = riskItems(demoWorld(1));
    assert.equal(first.length, stream.length);
    assert.deepStrictEqual([...stream], first);
    assert.deepStrictEqual(stream.at(4321), first[4321]);
    const chunks = [...stream.chunks(1000)];
    assert.equal(chunks.length, 6);
    assert.ok(chunks.every((c) => c.length === 1000));
    assert.deepStrictEqual(chunks.flat(), first);
  });

  it('numbers generated items RI-0000001… after the scenario items', () => {
    const items = riskItems(demoWorld(1));
    assert.deepEqual(
      items.slice(0, 3).map((i) => i.id),
      ['RI-PUHE-ZHAIXI', 'RI-RUXI-LIRANG', 'RI-JIEFANGBEI-CROWD'],
    );
    assert.equal(items[3]?.id, 'RI-0000004');
    assert.equal(new Set(items.map((i) => i.id)).size, items.length);
  });
});

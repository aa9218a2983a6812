import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SqlConditions } from '../../../../subgraphs/kit/src/index.js';

describe('SqlConditions', () => {
  it('gives no where and no values when nothing is added', () => {
    const c = new SqlConditions();
    assert.equal(c.where, undefined);
    assert.deepEqual(c.values, []);
    assert.deepEqual(c.listing, { values: [] });
    assert.equal('where' in c.listing, false);
  });

  it('numbers placeholders from $1 in the order conditions are added', () => {
    const c = new SqlConditions();
    c.add('s.region_code LIKE $?', '500103%');
    c.add('s.river_id = $?', 'R1');
    c.add('r.measured_at < $?::timestamptz', '2025-06-01T00:00:00.000Z');
    assert.equal(
      c.where,
      's.region_code LIKE $1 AND s.river_id = $2 AND r.measured_at < $3::timestamptz',
    );
    assert.deepEqual(c.values, ['500103%', 'R1', '2025-06-01T00:00:00.000Z']);
    assert.deepEqual(c.listing, { where: c.where, values: c.values });
  });

  it('leaves the next placeholder to parameters bound after its values', () => {
    const c = new SqlConditions();
    c.add('a.status = $?', 'NEW');
    // createPagedChildrenLoader binds the parent keys as $2 here.
    assert.equal(c.values.length + 1, 2);
  });

  it('binds every $? of one condition to its one value', () => {
    const c = new SqlConditions();
    c.add('x.a = $?', 1);
    c.add('(x.b = $? OR x.c = $?)', 2);
    assert.equal(c.where, 'x.a = $1 AND (x.b = $2 OR x.c = $2)');
    assert.deepEqual(c.values, [1, 2]);
  });

  it('refuses a condition without a placeholder', () => {
    const c = new SqlConditions();
    assert.throws(() => c.add('x.a IS NULL', 1), /without a \$\?/);
    assert.equal(c.where, undefined);
    assert.deepEqual(c.values, []);
  });

  it('numbers a condition built elsewhere, one value per $?, after those before it', () => {
    const c = new SqlConditions();
    c.add('e.id = ANY($?::text[])', ['NL-1']);
    c.addAll(
      '(e.status = ANY($?) OR e.owner_department IS NOT DISTINCT FROM $?)',
      [['ACTIVE'], 'market'],
    );
    c.add('e.version > $?', 1);
    assert.equal(
      c.where,
      'e.id = ANY($1::text[]) AND (e.status = ANY($2) OR e.owner_department IS NOT DISTINCT FROM $3) AND e.version > $4',
    );
    assert.deepEqual(c.values, [['NL-1'], ['ACTIVE'], 'market', 1]);
    c.addAll('TRUE', []);
    assert.match(c.where ?? '', / AND TRUE$/);
    assert.throws(
      () => c.addAll('x = $? AND y = $?', [1]),
      /2 \$\? for 1 values/,
    );
  });
});

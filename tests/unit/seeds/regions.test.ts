import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import type { RegionRow } from '../../../seeds/src/index.js';
import { buildGeography } from '../../../seeds/src/world/geography.js';
import { demoWorld } from './fixtures.js';

// The reference list of the 38 districts and counties (a copy of
// /work/shared/reference/chongqing-districts.csv kept with the seeds).
const CSV = readFileSync(
  new URL('../../../seeds/data/chongqing-districts.csv', import.meta.url),
  'utf8',
);
const reference = CSV.trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [code, name, kind] = line.trim().split(',');
    return { code, name, kind: kind === 'county' ? '县' : '区' };
  });

const regions = demoWorld(1).tables['enforcement.regions'];
const byLevel = (level: RegionRow['level']): RegionRow[] =>
  regions.filter((r) => r.level === level);

describe('regions', () => {
  it('has the city 500000 重庆市', () => {
    assert.deepEqual(
      byLevel('CITY').map((r) => [r.code, r.name, r.kind, r.parent_code]),
      [['500000', '重庆市', '市', null]],
    );
  });

  it('has exactly the 38 districts and counties of the reference, with their codes', () => {
    assert.equal(reference.length, 38);
    assert.deepEqual(
      byLevel('DISTRICT').map((r) => ({
        code: r.code,
        name: r.name,
        kind: r.kind,
      })),
      reference,
    );
    for (const d of byLevel('DISTRICT')) {
      assert.equal(d.parent_code, '500000');
      assert.equal(d.full_name, `重庆市${d.name}`);
    }
  });

  it('places districts at their real approximate centroids', () => {
    const at = (code: string): [number, number] => {
      const r = regions.find((x) => x.code === code);
      assert.ok(r, code);
      return [r.latitude, r.longitude];
    };
    assert.deepEqual(at('500103'), [29.556, 106.577]);
    assert.deepEqual(at('500110'), [29.028, 106.651]);
    assert.deepEqual(at('500155'), [30.674, 107.8]);
  });

  it('has 1,031 streets and towns, coded district + 001…', () => {
    const streets = byLevel('STREET');
    assert.equal(streets.length, 1031);
    for (const s of streets) {
      assert.match(s.code, /^\d{9}$/);
      assert.equal(s.code.slice(0, 6), s.parent_code);
      assert.ok(['街道', '镇', '乡'].includes(s.kind), s.kind);
      assert.ok(s.name.endsWith(s.kind), s.name);
    }
    for (const d of byLevel('DISTRICT')) {
      const own = streets.filter((s) => s.parent_code === d.code);
      assert.equal(own[0]?.code, `${d.code}001`);
      assert.equal(
        new Set(own.map((s) => s.name)).size,
        own.length,
        `${d.name} names unique`,
      );
    }
  });

  it('has the streets the scenarios need', () => {
    const street = (code: string): RegionRow | undefined =>
      regions.find((r) => r.code === code);
    assert.equal(street('500103001')?.full_name, '重庆市渝中区解放碑街道');
    const names = (district: string): string[] =>
      byLevel('STREET')
        .filter((s) => s.parent_code === district)
        .map((s) => s.name);
    for (const n of [
      '七星岗街道',
      '两路口街道',
      '上清寺街道',
      '菜园坝街道',
      '南纪门街道',
      '朝天门街道',
      '大溪沟街道',
      '大坪街道',
      '化龙桥街道',
      '石油路街道',
    ]) {
      assert.ok(names('500103').includes(n), n);
    }
    assert.ok(names('500110').includes('古南街道'));
    assert.ok(names('500110').includes('三角镇'));
    assert.ok(names('500155').includes('梁山街道'));
    assert.ok(names('500155').includes('礼让镇'));
  });

  it('has 3 grids per street at demo scale, named like 解放碑街道第3网格', () => {
    const grids = byLevel('GRID');
    assert.equal(grids.length, 3 * 1031);
    const third = regions.find((r) => r.code === '500103001003');
    assert.equal(third?.name, '解放碑街道第3网格');
    assert.equal(third?.full_name, '重庆市渝中区解放碑街道第3网格');
    for (const g of grids) {
      assert.match(g.code, /^\d{12}$/);
      assert.equal(g.code.slice(0, 9), g.parent_code);
      assert.equal(g.kind, '网格');
    }
  });

  it('has 62,000 grids at city scale', () => {
    const city = buildGeography('city').regions;
    assert.equal(city.grids.length, 62_000);
    assert.equal(city.streets.length, 1031);
    assert.ok(
      city.streets.every(
        (s) => (city.gridsByStreet.get(s.code)?.length ?? 0) >= 1,
      ),
    );
  });

  it('keeps every point inside Chongqing and children near their parents', () => {
    const byCode = new Map(regions.map((r) => [r.code, r]));
    for (const r of regions) {
      assert.ok(r.latitude >= 28.1 && r.latitude <= 32.2, `${r.code} latitude`);
      assert.ok(
        r.longitude >= 105.2 && r.longitude <= 110.2,
        `${r.code} longitude`,
      );
      const parent = r.parent_code ? byCode.get(r.parent_code) : undefined;
      if (r.level === 'STREET' || r.level === 'GRID') {
        assert.ok(parent, r.code);
        const d = Math.hypot(
          r.latitude - parent.latitude,
          r.longitude - parent.longitude,
        );
        assert.ok(
          d < (r.level === 'GRID' ? 0.05 : 0.5),
          `${r.full_name} is ${d}° from its parent`,
        );
      }
    }
  });

  it('has unique codes', () => {
    assert.equal(new Set(regions.map((r) => r.code)).size, regions.length);
  });
});

import {
  DISTRICTS,
  PLACE_STEMS,
  STREET_COORDINATES,
  STREET_TOTAL,
  type DistrictSpec,
} from '../data/districts.js';
import type { RegionRow } from '../tables.js';
import { coordinate, offsetPoint } from '../util/geo.js';
import { at, invariant } from '../util/invariant.js';
import type { Random } from '../util/Random.js';

/** The city itself. */
export const CITY = {
  code: '500000',
  name: '重庆市',
  latitude: 29.563,
  longitude: 106.551,
} as const;

/** Kind of a street-level region: urban street, town or township. */
export type StreetKind = '街道' | '镇' | '乡';

/** A street or town (镇街) and what the generators need to know about it. */
export interface StreetInfo {
  readonly code: string;
  readonly name: string;
  /** The name without 街道/镇/乡, e.g. 解放碑. */
  readonly shortName: string;
  readonly kind: StreetKind;
  readonly districtCode: string;
  readonly districtName: string;
  readonly fullName: string;
  readonly latitude: number;
  readonly longitude: number;
  /** In one of the compact central urban districts. */
  readonly core: boolean;
}

/** A district or county with its streets. */
export interface DistrictInfo {
  readonly spec: DistrictSpec;
  readonly code: string;
  readonly name: string;
  readonly fullName: string;
  readonly streets: readonly StreetInfo[];
}

/** The administrative regions: city → districts → streets → grids. */
export interface Regions {
  /** Every row of enforcement.regions, parents first. */
  readonly rows: readonly RegionRow[];
  readonly districts: readonly DistrictInfo[];
  readonly streets: readonly StreetInfo[];
  readonly grids: readonly RegionRow[];
  readonly gridsByStreet: ReadonlyMap<string, readonly RegionRow[]>;
  district(code: string): DistrictInfo;
  /** The street or town of a district by its full name, e.g. 三角镇. */
  street(districtCode: string, name: string): StreetInfo;
  streetByCode(code: string): StreetInfo;
}

/** Options of {@link generateRegions}. */
export interface RegionsOptions {
  /** Grids per street, in street order (see {@link allocate}). */
  gridCounts: (streets: readonly StreetInfo[]) => readonly number[];
  /** Fixed coordinates by full street name, e.g. `綦江区三角镇`. */
  pins: ReadonlyMap<string, readonly [number, number]>;
}

const KIND_ORDER: Readonly<Record<StreetKind, number>> = {
  街道: 0,
  镇: 1,
  乡: 2,
};

function kindOf(name: string): StreetKind {
  if (name.endsWith('街道')) return '街道';
  if (name.endsWith('乡')) return '乡';
  return '镇';
}

function shortNameOf(name: string): string {
  return name.replace(/(街道|镇|乡)$/, '');
}

/**
 * Street and town names of a district: the known ones, then synthetic ones
 * from {@link PLACE_STEMS} until the district has its count, ordered
 * 街道 → 镇 → 乡 as official codes are.
 */
function streetNames(district: DistrictSpec, random: Random): string[] {
  const names = [...new Set(district.streetNames)].slice(0, district.streets);
  const used = new Set(names.map(shortNameOf));
  const stems = random.shuffle(PLACE_STEMS);
  let s = 0;
  while (names.length < district.streets) {
    const stem = at(stems, s);
    s += 1;
    if (used.has(stem)) continue;
    used.add(stem);
    const streetCount = names.filter((n) => kindOf(n) === '街道').length;
    const kind: StreetKind = district.core
      ? '街道'
      : streetCount < 3
        ? '街道'
        : district.kind === '县' && random.chance(0.15)
          ? '乡'
          : '镇';
    names.push(`${stem}${kind}`);
  }
  return names
    .map((name, i) => ({ name, i }))
    .sort(
      (a, b) =>
        KIND_ORDER[kindOf(a.name)] - KIND_ORDER[kindOf(b.name)] || a.i - b.i,
    )
    .map((x) => x.name);
}

/**
 * Splits `total` over items in proportion to `weights` (largest remainder),
 * each getting at least `min`.
 */
export function allocate(
  total: number,
  weights: readonly number[],
  min = 0,
): number[] {
  const base = weights.map(() => min);
  const rest = total - min * weights.length;
  invariant(rest >= 0, `cannot allocate ${total} with a minimum of ${min}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * rest);
  const counts = exact.map((x, i) => at(base, i) + Math.floor(x));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i] = at(counts, i) + 1;
    left -= 1;
  }
  return counts;
}

/** Builds the region tree; deterministic for a given random stream. */
export function generateRegions(
  options: RegionsOptions,
  random: Random,
): Regions {
  const rows: RegionRow[] = [
    {
      code: CITY.code,
      name: CITY.name,
      full_name: CITY.name,
      level: 'CITY',
      kind: '市',
      parent_code: null,
      ...coordinate(CITY.latitude, CITY.longitude),
    },
  ];
  const districts: DistrictInfo[] = [];
  const streets: StreetInfo[] = [];
  for (const spec of DISTRICTS) {
    const fullName = `${CITY.name}${spec.name}`;
    rows.push({
      code: spec.code,
      name: spec.name,
      full_name: fullName,
      level: 'DISTRICT',
      kind: spec.kind,
      parent_code: CITY.code,
      ...coordinate(spec.latitude, spec.longitude),
    });
    const own: StreetInfo[] = [];
    streetNames(spec, random).forEach((name, i) => {
      const key = `${spec.name}${name}`;
      const pinned = options.pins.get(key) ?? STREET_COORDINATES[key];
      let point: readonly [number, number];
      if (pinned) {
        point = pinned;
      } else {
        // The first street is the seat of government, near the centroid.
        const radius = (i === 0 ? 0.1 : 1) * spec.spread * 111.32;
        const r = radius * Math.sqrt(random.next());
        const a = random.float(0, 2 * Math.PI);
        point = offsetPoint(
          spec.latitude,
          spec.longitude,
          r * Math.sin(a),
          r * Math.cos(a),
        );
      }
      const { latitude, longitude } = coordinate(point[0], point[1]);
      own.push({
        code: `${spec.code}${String(i + 1).padStart(3, '0')}`,
        name,
        shortName: shortNameOf(name),
        kind: kindOf(name),
        districtCode: spec.code,
        districtName: spec.name,
        fullName: `${fullName}${name}`,
        latitude,
        longitude,
        core: spec.core,
      });
    });
    districts.push({
      spec,
      code: spec.code,
      name: spec.name,
      fullName,
      streets: own,
    });
    streets.push(...own);
  }
  invariant(
    streets.length === STREET_TOTAL,
    `${streets.length} streets, expected ${STREET_TOTAL}`,
  );
  for (const s of streets) {
    rows.push({
      code: s.code,
      name: s.name,
      full_name: s.fullName,
      level: 'STREET',
      kind: s.kind,
      parent_code: s.districtCode,
      latitude: s.latitude,
      longitude: s.longitude,
    });
  }
  const counts = options.gridCounts(streets);
  const grids: RegionRow[] = [];
  const gridsByStreet = new Map<string, RegionRow[]>();
  streets.forEach((s, i) => {
    const n = at(counts, i);
    invariant(n >= 1 && n <= 999, `grid count ${n} of ${s.code}`);
    const own: RegionRow[] = [];
    const radiusKm = s.core ? 0.5 : 2.5;
    for (let g = 1; g <= n; g += 1) {
      const r = radiusKm * Math.sqrt(random.next());
      const a = random.float(0, 2 * Math.PI);
      const [lat, lng] = offsetPoint(
        s.latitude,
        s.longitude,
        r * Math.sin(a),
        r * Math.cos(a),
      );
      own.push({
        code: `${s.code}${String(g).padStart(3, '0')}`,
        name: `${s.name}第${g}网格`,
        full_name: `${s.fullName}第${g}网格`,
        level: 'GRID',
        kind: '网格',
        parent_code: s.code,
        ...coordinate(lat, lng),
      });
    }
    gridsByStreet.set(s.code, own);
    grids.push(...own);
  });
  rows.push(...grids);
  const districtByCode = new Map(districts.map((d) => [d.code, d]));
  const streetByCode = new Map(streets.map((s) => [s.code, s]));
  const streetByName = new Map(
    streets.map((s) => [`${s.districtCode}:${s.name}`, s]),
  );
  return {
    rows,
    districts,
    streets,
    grids,
    gridsByStreet,
    district(code) {
      const d = districtByCode.get(code);
      invariant(d, `no district ${code}`);
      return d;
    },
    street(districtCode, name) {
      const s = streetByName.get(`${districtCode}:${name}`);
      invariant(s, `no street ${name} in ${districtCode}`);
      return s;
    },
    streetByCode(code) {
      const s = streetByCode.get(code);
      invariant(s, `no street ${code}`);
      return s;
    },
  };
}

import type { Scale } from '../SeedOptions.js';
import { SCALE_PROFILES } from '../SeedOptions.js';
import { distanceKm, offsetPoint } from '../util/geo.js';
import { invariant } from '../util/invariant.js';
import { Random } from '../util/Random.js';
import {
  buildRiverCourses,
  pointOnRiver,
  type RiverCourse,
} from './riverCourses.js';
import {
  allocate,
  generateRegions,
  type Regions,
  type StreetInfo,
} from './regions.js';
import { SCENARIOS } from './scenarios.js';

/**
 * The fixed seed of the geography: regions and river courses are the same
 * for every seed, so codes, names and places stay stable across worlds.
 */
export const GEOGRAPHY_SEED = 500000;

/** A point on a river and the street or town it lies in. */
export interface Site {
  readonly latitude: number;
  readonly longitude: number;
  readonly street: StreetInfo;
}

/** Regions and rivers, and where a point of a river lies. */
export interface Geography {
  readonly regions: Regions;
  readonly rivers: ReadonlyMap<string, RiverCourse>;
  river(id: string): RiverCourse;
  /** The point `km` along a river and the nearest of its districts' streets. */
  site(riverId: string, km: number): Site;
  /** The point `km` along a river, placed in a given street. */
  siteIn(riverId: string, km: number, street: StreetInfo): Site;
}

/** Builds the geography of a scale (only the number of grids differs). */
export function buildGeography(scale: Scale): Geography {
  const rivers = buildRiverCourses(new Random(GEOGRAPHY_SEED, 'rivers'));
  const river = (id: string): RiverCourse => {
    const r = rivers.get(id);
    invariant(r, `no river ${id}`);
    return r;
  };
  const { dissolvedOxygen: d, oilSlick: o } = SCENARIOS;
  // Scenario towns sit on their rivers, so that sites there are plausible.
  const pin = (
    riverId: string,
    km: number,
    northKm: number,
    eastKm: number,
  ): readonly [number, number] => {
    const [lat, lng] = pointOnRiver(river(riverId), km);
    return offsetPoint(lat, lng, northKm, eastKm);
  };
  const pins = new Map<string, readonly [number, number]>([
    ['綦江区三角镇', pin(d.riverId, d.sectionKm, 0.6, 0.8)],
    ['綦江区横山镇', pin(d.riverId, d.upstreamSectionKm + 4, -0.5, 0.7)],
    ['梁平区礼让镇', pin(o.riverId, o.incidentKm - 1, 0.7, -0.6)],
    ['梁平区明达镇', pin(o.riverId, o.intakeKm, 0.8, 0.5)],
    ['梁平区屏锦镇', pin(o.riverId, 20, -0.6, 0.9)],
  ]);
  const profile = SCALE_PROFILES[scale];
  const grids = profile.grids;
  const regions = generateRegions(
    {
      pins,
      gridCounts: (streets) =>
        'perStreet' in grids
          ? streets.map(() => grids.perStreet)
          : allocate(
              grids.total,
              streets.map((s) => {
                const district = s.core ? 3 : 1;
                return district * (s.kind === '街道' ? 2 : 1);
              }),
              12,
            ),
    },
    new Random(GEOGRAPHY_SEED, 'regions', scale),
  );
  const candidates = new Map<string, readonly StreetInfo[]>();
  for (const [id, course] of rivers) {
    candidates.set(
      id,
      course.spec.districts.flatMap((code) => regions.district(code).streets),
    );
  }
  return {
    regions,
    rivers,
    river,
    site(riverId, km) {
      const [lat, lng] = pointOnRiver(river(riverId), km);
      const streets = candidates.get(riverId) ?? [];
      let best: StreetInfo | undefined;
      let bestKm = Infinity;
      for (const s of streets) {
        const dist = distanceKm(lat, lng, s.latitude, s.longitude);
        if (dist < bestKm) {
          best = s;
          bestKm = dist;
        }
      }
      invariant(best, `no street for ${riverId}`);
      return { latitude: lat, longitude: lng, street: best };
    },
    siteIn(riverId, km, street) {
      const [lat, lng] = pointOnRiver(river(riverId), km);
      return { latitude: lat, longitude: lng, street };
    },
  };
}

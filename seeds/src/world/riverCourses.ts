import { DISTRICTS } from '../data/districts.js';
import { RIVERS, type RiverSpec } from '../data/rivers.js';
import { offsetPoint } from '../util/geo.js';
import { at, invariant } from '../util/invariant.js';
import type { Random } from '../util/Random.js';

/** Where a river runs: its spec, its basin and its schematic course. */
export interface RiverCourse {
  readonly spec: RiverSpec;
  readonly basin: string;
  /** `[km, latitude, longitude]`, increasing km, from 0 to the length. */
  readonly points: readonly (readonly [number, number, number])[];
}

/** The point `km` from the river's source, interpolated along its course. */
export function pointOnRiver(
  course: RiverCourse,
  km: number,
): [number, number] {
  const points = course.points;
  const first = at(points, 0);
  if (km <= first[0]) return [first[1], first[2]];
  for (let i = 1; i < points.length; i += 1) {
    const [k1, lat1, lng1] = at(points, i - 1);
    const [k2, lat2, lng2] = at(points, i);
    if (km <= k2) {
      const f = (km - k1) / (k2 - k1);
      return [lat1 + f * (lat2 - lat1), lng1 + f * (lng2 - lng1)];
    }
  }
  const last = at(points, points.length - 1);
  return [last[1], last[2]];
}

/**
 * Builds every river's course. Known courses are used as they are; the
 * others run from near the centroid of the district where they rise to
 * their confluence, so that a tributary always ends on its parent.
 */
export function buildRiverCourses(
  random: Random,
): ReadonlyMap<string, RiverCourse> {
  const courses = new Map<string, RiverCourse>();
  const hasTributaries = new Set(RIVERS.map((r) => r.parentId));
  for (const spec of RIVERS) {
    const parent = spec.parentId ? courses.get(spec.parentId) : undefined;
    invariant(!spec.parentId || parent, `parent of ${spec.id} comes first`);
    const basin =
      spec.basin ??
      (spec.id === 'R-CHANGJIANG'
        ? '长江'
        : parent?.spec.id === 'R-CHANGJIANG'
          ? hasTributaries.has(spec.id)
            ? spec.name
            : '长江'
          : (parent?.basin ?? '长江'));
    const end =
      parent && spec.confluenceKm !== undefined
        ? pointOnRiver(parent, spec.confluenceKm)
        : undefined;
    const points = spec.course
      ? [
          ...spec.course,
          ...(end ? [[spec.lengthKm, end[0], end[1]] as const] : []),
        ]
      : generateCourse(spec, end, random);
    courses.set(spec.id, { spec, basin, points });
  }
  return courses;
}

function generateCourse(
  spec: RiverSpec,
  end: [number, number] | undefined,
  random: Random,
): (readonly [number, number, number])[] {
  const district = DISTRICTS.find((d) => d.code === spec.regionCode);
  invariant(district, `district ${spec.regionCode} of ${spec.id}`);
  // Rivers meander: the straight span is well under the river's length.
  const span = spec.lengthKm * 0.55;
  let start: [number, number];
  let finish: [number, number];
  if (end) {
    const [seatLat, seatLng] = offsetPoint(
      district.latitude,
      district.longitude,
      random.float(-4, 4),
      random.float(-4, 4),
    );
    const northKm = (seatLat - end[0]) * 111.32;
    const eastKm =
      (seatLng - end[1]) * 111.32 * Math.cos((end[0] * Math.PI) / 180);
    const distance = Math.hypot(northKm, eastKm);
    if (distance > 2 && distance <= span) {
      start = [seatLat, seatLng];
    } else {
      const angle =
        distance > 2
          ? Math.atan2(northKm, eastKm)
          : random.float(0, 2 * Math.PI);
      start = offsetPoint(
        end[0],
        end[1],
        span * Math.sin(angle),
        span * Math.cos(angle),
      );
    }
    finish = end;
  } else {
    start = offsetPoint(
      district.latitude,
      district.longitude,
      random.float(-6, 6),
      random.float(-6, 6),
    );
    const angle = random.float(0, 2 * Math.PI);
    finish = offsetPoint(
      start[0],
      start[1],
      span * Math.sin(angle),
      span * Math.cos(angle),
    );
  }
  // A bend halfway, so that the course is not a ruler line.
  const bend = random.float(-0.12, 0.12) * span;
  const midLat = (start[0] + finish[0]) / 2;
  const midLng = (start[1] + finish[1]) / 2;
  const dx = finish[1] - start[1];
  const dy = finish[0] - start[0];
  const norm = Math.hypot(dx, dy) || 1;
  const [bendLat, bendLng] = offsetPoint(
    midLat,
    midLng,
    (bend * dx) / norm,
    (-bend * dy) / norm,
  );
  return [
    [0, start[0], start[1]],
    [spec.lengthKm / 2, bendLat, bendLng],
    [spec.lengthKm, finish[0], finish[1]],
  ];
}

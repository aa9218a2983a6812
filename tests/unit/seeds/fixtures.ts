// Shared fixtures of the seeds' unit tests: demo worlds, generated once per
// test file, and lookups over them.
import {
  generateWorld,
  type RiskItemRow,
  type World,
} from '../../../seeds/src/index.js';

const worlds = new Map<number, World>();

/** The demo world of `seed`, generated once per process. */
export function demoWorld(seed = 1): World {
  let world = worlds.get(seed);
  if (!world) {
    world = generateWorld({ seed, scale: 'demo' });
    worlds.set(seed, world);
  }
  return world;
}

/** The risk items of a world as an array. */
export function riskItems(world: World): RiskItemRow[] {
  return [...world.tables['emergency.risk_items']];
}

/** Great-circle distance in km. */
export function haversineKm(
  lat1: number,
  lng1: number,
  lat2: number,
  lng2: number,
): number {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) *
      Math.cos(lat2 * r) *
      Math.sin(((lng2 - lng1) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}

/** GB 3838-2002 limits per class, II–IV, for the "no breach" checks. */
export function breaches(
  parameter: string,
  targetClass: string,
  value: number,
): boolean {
  const i = ['I', 'II', 'III', 'IV', 'V'].indexOf(targetClass);
  const pick = (limits: number[]): number => limits[i] ?? Number.NaN;
  switch (parameter) {
    case 'DISSOLVED_OXYGEN':
      return value < pick([7.5, 6, 5, 3, 2]);
    case 'AMMONIA_NITROGEN':
      return value > pick([0.15, 0.5, 1, 1.5, 2]);
    case 'PERMANGANATE_INDEX':
      return value > pick([2, 4, 6, 10, 15]);
    case 'TOTAL_PHOSPHORUS':
      return value > pick([0.02, 0.1, 0.2, 0.3, 0.4]);
    case 'PETROLEUM':
      return value > pick([0.05, 0.05, 0.05, 0.5, 1]);
    case 'PH':
      return value < 6 || value > 9;
    default:
      throw new Error(`unknown parameter ${parameter}`);
  }
}

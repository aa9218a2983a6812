import type {
  CongestionPoint,
  CrowdAreaRow,
  CrowdObservationRow,
} from '../tables.js';
import { round } from '../util/geo.js';
import { at } from '../util/invariant.js';
import { Random } from '../util/Random.js';
import { cst, date, HOUR_MS, timestamp } from '../util/time.js';
import type { Regions } from './regions.js';
import { SCENARIOS } from './scenarios.js';

/** Crowd areas and their hourly observations. */
export interface Crowds {
  readonly areas: readonly CrowdAreaRow[];
  readonly observations: readonly CrowdObservationRow[];
}

type Spot = readonly [
  name: string,
  latitude: number,
  longitude: number,
  peakDensity: number,
];

interface AreaSpec {
  id: string;
  name: string;
  district: string;
  street: string;
  latitude: number;
  longitude: number;
  safeCapacity: number;
  /** Visitors on the busiest day of the golden week. */
  peakVisitors: number;
  spots: readonly Spot[];
}

// prettier-ignore
const AREAS: readonly AreaSpec[] = [
  { id: 'CA-JIEFANGBEI', name: '解放碑商圈', district: '500103', street: '解放碑街道', latitude: 29.5574, longitude: 106.577, safeCapacity: 220_000, peakVisitors: 1_800_000, spots: [
    ['解放碑纪念碑广场', 29.5574, 106.577, 4.4],
    ['八一好吃街', 29.5561, 106.5785, 3.6],
    ['国泰广场', 29.5584, 106.5752, 3.4],
  ] },
  { id: 'CA-HONGYADONG', name: '洪崖洞民俗风貌区', district: '500103', street: '解放碑街道', latitude: 29.563, longitude: 106.579, safeCapacity: 60_000, peakVisitors: 320_000, spots: [
    ['洪崖洞观景平台', 29.5632, 106.5788, 3.2],
    ['千厮门大桥桥头', 29.5641, 106.5797, 2.4],
  ] },
  { id: 'CA-CHAOTIANMEN', name: '朝天门广场', district: '500103', street: '朝天门街道', latitude: 29.5665, longitude: 106.587, safeCapacity: 40_000, peakVisitors: 150_000, spots: [
    ['朝天门观景台', 29.5668, 106.5876, 2.2],
  ] },
  { id: 'CA-GUANYINQIAO', name: '观音桥商圈', district: '500105', street: '观音桥街道', latitude: 29.5755, longitude: 106.533, safeCapacity: 150_000, peakVisitors: 1_050_000, spots: [
    ['观音桥步行街', 29.5752, 106.5335, 3.1],
    ['北城天街入口', 29.5741, 106.5312, 2.6],
  ] },
  { id: 'CA-CIQIKOU', name: '磁器口古镇', district: '500106', street: '磁器口街道', latitude: 29.579, longitude: 106.4485, safeCapacity: 50_000, peakVisitors: 260_000, spots: [
    ['磁器口正街', 29.5788, 106.4489, 3.3],
  ] },
  { id: 'CA-SANXIA', name: '三峡广场商圈', district: '500106', street: '沙坪坝街道', latitude: 29.558, longitude: 106.456, safeCapacity: 80_000, peakVisitors: 480_000, spots: [
    ['三峡广场中心', 29.5581, 106.4558, 2.3],
  ] },
  { id: 'CA-NANPING', name: '南坪商圈', district: '500108', street: '南坪街道', latitude: 29.529, longitude: 106.562, safeCapacity: 90_000, peakVisitors: 540_000, spots: [
    ['南坪步行街', 29.5289, 106.5618, 2.4],
  ] },
  { id: 'CA-YANGJIAPING', name: '杨家坪商圈', district: '500107', street: '杨家坪街道', latitude: 29.5075, longitude: 106.512, safeCapacity: 80_000, peakVisitors: 450_000, spots: [
    ['杨家坪步行街', 29.5076, 106.5118, 2.3],
  ] },
];

/** Arrivals per hour of day, relative. */
// prettier-ignore
const ARRIVALS = [0.6, 0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 0.9, 1.8, 3.0, 4.2, 5.2, 5.8, 6.0, 6.2, 6.4, 6.8, 7.4, 8.2, 8.6, 8.4, 7.2, 5.4, 3.6];
/** Persons present per hour of day, relative to the evening peak at 20:00. */
// prettier-ignore
const PRESENCE = [0.32, 0.2, 0.12, 0.08, 0.06, 0.06, 0.08, 0.14, 0.25, 0.38, 0.5, 0.6, 0.66, 0.7, 0.72, 0.74, 0.78, 0.84, 0.92, 0.97, 1.0, 0.96, 0.88, 0.76];
/** Each golden-week day's visitors as a share of the peak day (2025-01-28 … 02-04). */
const DAY_SHARE = [0.52, 0.8, 0.87, 0.9, 1, 0.91, 0.79, 0.61];
/** Persons present at the peak hour, as a share of the day's visitors. */
const PEAK_PRESENCE = 265_000 / 1_800_000;

function levelOf(density: number): CongestionPoint['level'] | null {
  if (density >= 4) return 'CRITICAL';
  if (density >= 2.5) return 'WARNING';
  if (density >= 1.5) return 'WATCH';
  return null;
}

/**
 * Watched areas and their hourly observations over the 2025 Spring Festival
 * golden week (2025-01-28 to 02-04). At 解放碑 the busiest day, 2025-02-01,
 * has exactly 1,800,000 visitors, and from the evening peak to midnight the
 * video analytics flag exactly 3 congestion points (WARNING or CRITICAL).
 */
export function generateCrowds(regions: Regions, seed: number): Crowds {
  const random = new Random(seed, 'crowds');
  const c = SCENARIOS.crowd;
  const areas: CrowdAreaRow[] = AREAS.map((a) => ({
    id: a.id,
    name: a.name,
    region_code: regions.street(a.district, a.street).code,
    latitude: a.latitude,
    longitude: a.longitude,
    safe_capacity: a.safeCapacity,
  }));
  const cumulative: number[] = [];
  ARRIVALS.reduce((sum, w) => {
    cumulative.push(sum + w);
    return sum + w;
  }, 0);
  const totalArrivals = at(cumulative, cumulative.length - 1);
  const first = cst(2025, 1, 28);
  const observations: CrowdObservationRow[] = [];
  for (const area of AREAS) {
    for (let day = 0; day < DAY_SHARE.length; day += 1) {
      const peakDay = date(first + day * 24 * HOUR_MS) === c.peakDay;
      // Other days stay clearly below the peak, noise included.
      const share = peakDay
        ? 1
        : Math.min(0.92, at(DAY_SHARE, day) * random.float(0.97, 1.03));
      const total = Math.round(area.peakVisitors * share);
      for (let hour = 0; hour < 24; hour += 1) {
        const t = first + day * 24 * HOUR_MS + hour * HOUR_MS;
        const noise = peakDay ? 1 : random.float(0.97, 1.03);
        const presence = at(PRESENCE, hour);
        const current = Math.round(total * PEAK_PRESENCE * presence * noise);
        const visitors =
          hour === 23
            ? total
            : Math.round((total * at(cumulative, hour)) / totalArrivals);
        const points: CongestionPoint[] = [];
        for (const [name, latitude, longitude, peakDensity] of area.spots) {
          // From the evening peak on, the peak day's spots stay congested.
          const load =
            peakDay && hour >= 19
              ? Math.max(presence, 0.76)
              : presence * share * noise;
          const density = round(peakDensity * load, 2);
          const level = levelOf(density);
          if (level) points.push({ name, latitude, longitude, density, level });
        }
        observations.push({
          area_id: area.id,
          observed_at: timestamp(t),
          current_count: current,
          visitors_today: visitors,
          congestion_points: points,
        });
      }
    }
  }
  return { areas, observations };
}

import type {
  FlowReadingRow,
  IntakeRow,
  RiverRow,
  StationRow,
} from '../tables.js';
import { round } from '../util/geo.js';
import { Random } from '../util/Random.js';
import { cst, DAY_MS, HOUR_MS, timestamp } from '../util/time.js';
import { GEOGRAPHY_SEED, type Geography } from './geography.js';
import { SCENARIOS } from './scenarios.js';

/** The water department's tables. */
export interface Water {
  readonly rivers: readonly RiverRow[];
  readonly stations: readonly StationRow[];
  readonly flowReadings: readonly FlowReadingRow[];
  readonly intakes: readonly IntakeRow[];
}

/** First day of the flow and discharge histories, 2025-07-01 (+08:00). */
export const HISTORY_START_MS = cst(2025, 7, 1);
/** Days of flow and discharge history: 2025-07-01 to 2025-09-29. */
export const HISTORY_DAYS = 91;

const BASE_FLOW: Readonly<Record<string, number>> = {
  'R-CHANGJIANG': 12000,
  'R-JIALING': 2100,
  'R-WUJIANG': 1600,
  'R-QIJIANG': 120,
};
const BASE_VELOCITY: Readonly<Record<string, number>> = {
  'R-CHANGJIANG': 1.3,
  'R-JIALING': 1.0,
  'R-WUJIANG': 1.1,
};

/** A flow rate rounded to a sensible precision for its size. */
function roundFlow(flow: number): number {
  return flow >= 100
    ? Math.round(flow)
    : flow >= 10
      ? round(flow, 1)
      : round(flow, 2);
}

/**
 * Rivers, hydrological stations and intakes (the same in every world) and
 * daily flow readings from 2025-07-01 to 2025-09-29 (varying with the seed).
 * 汝溪河 has the five stations of the oil-slick scenario and one intake
 * 10.8 km below the incident; HS-RUXI-3, nearest the incident, measures
 * exactly 0.5 m/s on the incident's day and at the latest reading.
 */
export function generateWater(geography: Geography, seed: number): Water {
  const fixed = new Random(GEOGRAPHY_SEED, 'water');
  const random = new Random(seed, 'water');
  const oil = SCENARIOS.oilSlick;
  const rivers: RiverRow[] = [];
  const stations: StationRow[] = [];
  const intakes: IntakeRow[] = [];
  const stationNames = new Set<string>();
  const intakeNames = new Set<string>();
  const stationMeta = new Map<
    string,
    { base: number; v0: number; h0: number }
  >();

  for (const course of geography.rivers.values()) {
    const spec = course.spec;
    rivers.push({
      id: spec.id,
      name: spec.name,
      length_km: spec.lengthKm,
      basin: course.basin,
      region_code: spec.regionCode,
      parent_id: spec.parentId ?? null,
      confluence_km: spec.confluenceKm ?? null,
    });
    const L = spec.lengthKm;
    const n = L > 150 ? 3 : L > 60 ? 2 : 1;
    const kms: readonly number[] =
      spec.id === oil.riverId
        ? oil.stationKms
        : Array.from({ length: n }, (_, k) =>
            round((L * (k + 0.5)) / n + fixed.float(-0.05, 0.05) * L, 1),
          );
    kms.forEach((km, k) => {
      const site = geography.site(spec.id, km);
      let name = `${site.street.shortName}水文站`;
      if (stationNames.has(name))
        name = `${spec.name}${site.street.shortName}水文站`;
      for (let n = 2; stationNames.has(name); n += 1) {
        name = `${spec.name}${site.street.shortName}${n}号水文站`;
      }
      stationNames.add(name);
      const id = `HS-${spec.slug}-${k + 1}`;
      stations.push({
        id,
        name,
        river_id: spec.id,
        river_km: km,
        region_code: site.street.code,
      });
      const downstream = 0.5 + (0.5 * km) / L;
      stationMeta.set(id, {
        base: (BASE_FLOW[spec.id] ?? Math.max(3, L * 0.5)) * downstream,
        v0:
          id === oil.stationIds[2]
            ? oil.nearestStationVelocity
            : (BASE_VELOCITY[spec.id] ?? fixed.float(0.4, 0.8)),
        h0:
          spec.id === 'R-CHANGJIANG'
            ? 190 - (km / L) * 60
            : 160 + (1 - km / L) * 320 + fixed.float(0, 40),
      });
    });

    const intakeKms: readonly number[] =
      spec.id === oil.riverId
        ? [oil.intakeKm]
        : spec.id === 'R-CHANGJIANG'
          ? [75, 130, 172, 305, 505, 630]
          : spec.id === 'R-JIALING'
            ? [60, 140]
            : L >= 60 && spec.id !== SCENARIOS.dissolvedOxygen.riverId
              ? [round(L * 0.6, 1)]
              : [];
    intakeKms.forEach((km, k) => {
      const site =
        spec.id === oil.riverId
          ? geography.siteIn(
              spec.id,
              km,
              geography.regions.street(oil.districtCode, oil.intakeTownName),
            )
          : geography.site(spec.id, km);
      let name =
        spec.id === oil.riverId
          ? `${site.street.districtName}${spec.name}${site.street.shortName}饮用水水源地取水口`
          : `${site.street.shortName}水厂取水口`;
      for (let n = 2; intakeNames.has(name); n += 1) {
        name = `${site.street.shortName}${spec.name}${n}号取水口`;
      }
      intakeNames.add(name);
      const big = spec.id === 'R-CHANGJIANG' || spec.id === 'R-JIALING';
      intakes.push({
        id: `IN-${spec.slug}-${String(k + 1).padStart(2, '0')}`,
        name,
        river_id: spec.id,
        river_km: km,
        region_code: site.street.code,
        population_served:
          spec.id === oil.riverId
            ? oil.intakePopulation
            : Math.round(fixed.int(big ? 200 : 20, big ? 1200 : 200)) * 1000,
      });
    });
  }

  const flowReadings: FlowReadingRow[] = [];
  const incidentDay = Math.floor(
    (Date.parse(oil.detectedAt) - HISTORY_START_MS) / DAY_MS,
  );
  for (const station of stations) {
    const meta = stationMeta.get(station.id);
    if (!meta) continue;
    let x = 0;
    for (let d = 0; d < HISTORY_DAYS; d += 1) {
      x = 0.7 * x + random.normal(0, 0.08);
      const seasonal = 1.6 - (0.6 * d) / (HISTORY_DAYS - 1);
      const ratio = seasonal * Math.exp(x);
      const flow = meta.base * ratio;
      let velocity = round(meta.v0 * ratio ** 0.35, 2);
      if (
        station.id === oil.stationIds[2] &&
        (d === HISTORY_DAYS - 1 || d === incidentDay)
      ) {
        velocity = oil.nearestStationVelocity;
      }
      flowReadings.push({
        station_id: station.id,
        measured_at: timestamp(HISTORY_START_MS + d * DAY_MS + 8 * HOUR_MS),
        flow_rate: roundFlow(flow),
        water_level: round(meta.h0 + 1.8 * Math.log(ratio), 2),
        velocity,
      });
    }
  }
  return { rivers, stations, flowReadings, intakes };
}

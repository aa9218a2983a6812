import { SCALES, SCALE_PROFILES, type SeedOptions } from './SeedOptions.js';
import type { Scale } from './SeedOptions.js';
import type { EnterpriseRow, TableName, WorldTables } from './tables.js';
import { invariant } from './util/invariant.js';
import { generateCrowds } from './world/crowds.js';
import {
  FOOD_PLANT_KEY,
  generateEnforcement,
  MERCHANT_KEYS,
  planNightMarketMerchants,
} from './world/enforcement.js';
import { generateEnterprises } from './world/enterprises.js';
import {
  generateReadings,
  generateSourcesAndIncidents,
  planSections,
  planSources,
} from './world/environment.js';
import { buildGeography } from './world/geography.js';
import { generatePersons } from './world/persons.js';
import {
  generateRiskInventory,
  riskCategoryRows,
} from './world/riskInventory.js';
import { SCENARIOS } from './world/scenarios.js';
import { generateWater } from './world/water.js';

/**
 * Facts of the scenarios that are not plain constants of {@link SCENARIOS}
 * (they are computed, but the same for every seed).
 */
export interface ScenarioFacts {
  dissolvedOxygen: {
    /** Credit codes of the two wastewater plants, upstream first. */
    plantCreditCodes: readonly string[];
    /** 三角镇, where 寨溪大桥 is. */
    townCode: string;
  };
  oilSlick: {
    foodPlantCreditCode: string;
    /** 礼让镇, where the slick was seen. */
    townCode: string;
  };
  nightMarket: {
    /** 王先生. */
    complainantPersonId: string;
    merchantCreditCodes: readonly string[];
  };
}

/** A generated world: every table's rows and the scenario facts. */
export interface World {
  readonly seed: number;
  readonly scale: Scale;
  readonly tables: WorldTables;
  readonly scenarios: ScenarioFacts;
}

/** Raised for options no world can be generated from. */
export class SeedOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }

  static invalidSeed(seed: unknown): SeedOptionsError {
    return new SeedOptionsError(
      `seed must be an integer from 0 to 4294967295, got ${String(seed)}`,
    );
  }

  static invalidScale(scale: unknown): SeedOptionsError {
    return new SeedOptionsError(
      `scale must be one of ${SCALES.join(', ')}, got ${String(scale)}`,
    );
  }
}

/** Throws {@link SeedOptionsError} unless the options are usable. */
export function assertSeedOptions(options: SeedOptions): void {
  if (
    !Number.isInteger(options.seed) ||
    options.seed < 0 ||
    options.seed > 0xffffffff
  ) {
    throw SeedOptionsError.invalidSeed(options.seed);
  }
  if (!SCALES.includes(options.scale)) {
    throw SeedOptionsError.invalidScale(options.scale);
  }
}

/**
 * Generates the demo world of every department: pure and deterministic —
 * the same seed and scale give deep-equal worlds, another seed another
 * world. Regions, rivers, monitoring sites and the scenario entities are the
 * same in every world (see `seeds/README.md`); everything else follows the
 * seed. All histories end at the reference now, 2025-09-30T00:00:00+08:00.
 *
 * `emergency.risk_items` is returned as a lazy {@link RiskItemStream}; every
 * other table as an array.
 */
export function generateWorld(options: SeedOptions): World {
  assertSeedOptions(options);
  const { seed, scale } = options;
  const profile = SCALE_PROFILES[scale];
  const geography = buildGeography(scale);
  const regions = geography.regions;
  const persons = generatePersons(regions, profile.persons, seed);
  const sections = planSections(geography);
  const sourcePlans = planSources(geography, seed);
  const enterprises = generateEnterprises(
    [
      ...planNightMarketMerchants(regions),
      ...sourcePlans.map((p) => p.enterprise),
    ],
    regions,
    persons,
    profile.enterprises,
    seed,
  );
  const enterpriseOf = (key: string): EnterpriseRow => {
    const e = enterprises.byKey.get(key);
    invariant(e, `no planned enterprise ${key}`);
    return e;
  };
  const water = generateWater(geography, seed);
  const readings = generateReadings(sections, seed);
  const { sources, dischargeRecords, incidents } = generateSourcesAndIncidents(
    geography,
    sourcePlans,
    enterpriseOf,
    seed,
  );
  const enforcement = generateEnforcement(
    regions,
    persons,
    enterprises.rows,
    enterpriseOf,
    profile,
    seed,
  );
  const crowds = generateCrowds(regions, seed);
  const { dissolvedOxygen: d, oilSlick: o } = SCENARIOS;
  const plantCreditCodes = d.plantSourceIds.map(
    (id) => enterpriseOf(`source:${id}`).credit_code,
  );
  const foodPlantCreditCode = enterpriseOf(FOOD_PLANT_KEY).credit_code;
  const { riskItems, alerts, alertEvents } = generateRiskInventory({
    regions,
    persons,
    enterprises: enterprises.rows,
    sections,
    sources,
    foodPlantCreditCode,
    count: profile.riskItems,
    alerts: profile.alerts,
    seed,
  });
  return {
    seed,
    scale,
    tables: {
      'enforcement.regions': regions.rows,
      'publicsecurity.persons': persons.rows,
      'publicsecurity.crowd_areas': crowds.areas,
      'publicsecurity.crowd_observations': crowds.observations,
      'market.enterprises': enterprises.rows,
      'market.violations': enterprises.violations,
      'water.rivers': water.rivers,
      'water.stations': water.stations,
      'water.flow_readings': water.flowReadings,
      'water.intakes': water.intakes,
      'environment.sections': sections,
      'environment.readings': readings,
      'environment.pollution_sources': sources,
      'environment.discharge_records': dischargeRecords,
      'environment.incidents': incidents,
      'enforcement.squads': enforcement.squads,
      'enforcement.complaints': enforcement.complaints,
      'enforcement.complaint_merchants': enforcement.complaintMerchants,
      'enforcement.inspections': enforcement.inspections,
      'emergency.risk_categories': riskCategoryRows(),
      'emergency.risk_items': riskItems,
      'emergency.alerts': alerts,
      'emergency.alert_events': alertEvents,
    },
    scenarios: {
      dissolvedOxygen: {
        plantCreditCodes,
        townCode: regions.street(d.districtCode, d.townName).code,
      },
      oilSlick: {
        foodPlantCreditCode,
        townCode: regions.street(o.districtCode, o.townName).code,
      },
      nightMarket: {
        complainantPersonId: persons.complainant.id,
        merchantCreditCodes: MERCHANT_KEYS.map(
          (k) => enterpriseOf(k).credit_code,
        ),
      },
    },
  };
}

/** The number of rows of every table of a world. */
export function countRows(world: World): Record<TableName, number> {
  const counts = {} as Record<TableName, number>;
  for (const [name, rows] of Object.entries(world.tables) as [
    TableName,
    WorldTables[TableName],
  ][]) {
    counts[name] = rows.length;
  }
  return counts;
}

import {
  DISPOSAL_MEASURES,
  METRICS,
  RISK_CATEGORIES,
  type RiskCategorySpec,
} from '../data/riskCategories.js';
import { PLACE_STEMS } from '../data/districts.js';
import type { AlertLevel, RiskItemRow, RiskThreshold } from '../tables.js';
import { coordinate, offsetPoint, round } from '../util/geo.js';
import { at, invariant } from '../util/invariant.js';
import { createWeightedPicker, Random } from '../util/Random.js';
import { DAY_MS, REFERENCE_NOW_MS, timestamp } from '../util/time.js';

/** A grid or street a risk item can be placed in. */
export interface RiskPlace {
  readonly code: string;
  /** Full name of its street, e.g. 重庆市綦江区三角镇. */
  readonly streetFullName: string;
  readonly streetShortName: string;
  /** True for a street (街道) or a core urban place: addresses use roads. */
  readonly urban: boolean;
  readonly latitude: number;
  readonly longitude: number;
}

/** An enterprise a risk item can belong to. */
export interface RiskEnterprise {
  readonly creditCode: string;
  readonly name: string;
  readonly regionCode: string;
  readonly address: string;
  readonly latitude: number;
  readonly longitude: number;
}

/** A monitoring section a risk item can watch. */
export interface RiskSection {
  readonly id: string;
  readonly name: string;
  readonly regionCode: string;
  readonly address: string;
  readonly latitude: number;
  readonly longitude: number;
}

/** Everything the stream draws from; plain data. */
export interface RiskItemContext {
  readonly seed: number;
  /** Total number of items, the fixed ones included. */
  readonly count: number;
  /** Items fixed by the scenarios, ids 0…n-1 of the stream. */
  readonly fixed: readonly RiskItemRow[];
  readonly places: readonly RiskPlace[];
  readonly enterprisesByIndustry: Readonly<
    Record<string, readonly RiskEnterprise[]>
  >;
  readonly sections: readonly RiskSection[];
  readonly personIds: readonly string[];
}

const LEVELS: readonly AlertLevel[] = ['BLUE', 'YELLOW', 'ORANGE', 'RED'];
const ITEM_LEVELS = ['MAJOR', 'HIGH', 'MODERATE', 'LOW'] as const;
const FIRST_ALERT_LEVEL: Readonly<
  Record<(typeof ITEM_LEVELS)[number], number>
> = {
  LOW: 0,
  MODERATE: 1,
  HIGH: 1,
  MAJOR: 2,
};
const DOMAIN_WEIGHT: Readonly<Record<string, number>> = {
  自然灾害: 1.4,
  安全生产: 1.2,
  城市运行: 1.0,
  生态环境: 0.8,
  公共卫生: 0.6,
  社会安全: 0.6,
};

/**
 * The risk inventory (emergency.risk_items) as a lazy, restartable stream:
 * item `i` is computed from its own random stream `(seed, i)`, so the 520,000
 * items of the city scale are generated chunk by chunk while they are
 * inserted and never all held in memory, any item can be recomputed by
 * index (alerts use that), and iterating twice gives the same rows.
 */
export class RiskItemStream implements Iterable<RiskItemRow> {
  readonly context: RiskItemContext;
  readonly #pickCategory: (random: Random) => RiskCategorySpec;
  /** Enterprises of each enterprise-linked category, built once. */
  readonly #pools: ReadonlyMap<string, readonly RiskEnterprise[]>;
  readonly #urban: readonly RiskPlace[];
  readonly #rural: readonly RiskPlace[];

  constructor(context: RiskItemContext) {
    invariant(context.count >= context.fixed.length, 'risk item count');
    this.context = context;
    this.#pickCategory = createWeightedPicker(
      RISK_CATEGORIES,
      RISK_CATEGORIES.map((c) => DOMAIN_WEIGHT[c.domain] ?? 1),
    );
    const pools = new Map<string, readonly RiskEnterprise[]>();
    for (const c of RISK_CATEGORIES) {
      if (c.link.kind !== 'enterprise') continue;
      pools.set(
        c.code,
        c.link.industries.flatMap(
          (i) => context.enterprisesByIndustry[i] ?? [],
        ),
      );
    }
    this.#pools = pools;
    this.#urban = context.places.filter((p) => p.urban);
    this.#rural = context.places.filter((p) => !p.urban);
  }

  /**
   * A place for a category: natural hazards lie mostly in towns and
   * townships, city operations and social safety mostly in urban streets.
   */
  #place(category: RiskCategorySpec, r: Random): RiskPlace {
    const prefer =
      category.domain === '自然灾害'
        ? this.#rural
        : category.domain === '城市运行' || category.domain === '社会安全'
          ? this.#urban
          : this.context.places;
    const pool =
      prefer.length > 0 && r.chance(0.85) ? prefer : this.context.places;
    return r.pick(pool);
  }

  /** Number of rows. */
  get length(): number {
    return this.context.count;
  }

  [Symbol.iterator](): Iterator<RiskItemRow> {
    return this.rows(0, this.context.count);
  }

  /** Rows `from` (inclusive) to `to` (exclusive). */
  *rows(from: number, to: number): Generator<RiskItemRow> {
    for (let i = from; i < Math.min(to, this.context.count); i += 1)
      yield this.at(i);
  }

  /** Rows in arrays of at most `size`, for batched inserts. */
  *chunks(size: number): Generator<RiskItemRow[]> {
    for (let from = 0; from < this.context.count; from += size) {
      yield [...this.rows(from, from + size)];
    }
  }

  /** The id of item `index`. */
  idAt(index: number): string {
    const fixed = this.context.fixed[index];
    return fixed ? fixed.id : `RI-${String(index + 1).padStart(7, '0')}`;
  }

  /** Item `index`, computed afresh. */
  at(index: number): RiskItemRow {
    const ctx = this.context;
    invariant(index >= 0 && index < ctx.count, `risk item ${index}`);
    const fixed = ctx.fixed[index];
    if (fixed) return fixed;
    const r = new Random(ctx.seed, 'risk-item', index);
    let category = this.#pickCategory(r);
    const link = category.link;
    let enterprise: RiskEnterprise | undefined;
    let section: RiskSection | undefined;
    if (link.kind === 'enterprise') {
      const pool = this.#pools.get(category.code) ?? [];
      if (pool.length > 0) enterprise = r.pick(pool);
    } else if (link.kind === 'section' && ctx.sections.length > 0) {
      section = r.pick(ctx.sections);
    }
    if (link.kind === 'enterprise' && !enterprise) {
      // No enterprise of the industry in this world: fall back to a place risk.
      category = at(RISK_CATEGORIES, 0);
    }
    const level = r.weighted(ITEM_LEVELS, [3, 12, 40, 45]);
    let name: string;
    let address: string;
    let regionCode: string;
    let lat: number;
    let lng: number;
    if (enterprise) {
      name = `${enterprise.name}${category.noun}`;
      address = enterprise.address;
      regionCode = enterprise.regionCode;
      [lat, lng] = offsetPoint(
        enterprise.latitude,
        enterprise.longitude,
        r.float(-0.1, 0.1),
        r.float(-0.1, 0.1),
      );
    } else if (section) {
      name = `${section.name}${category.noun}`;
      address = section.address;
      regionCode = section.regionCode;
      [lat, lng] = [section.latitude, section.longitude];
    } else {
      const place = this.#place(category, r);
      const local = place.urban
        ? `${r.pick(PLACE_STEMS)}社区`
        : `${r.pick(PLACE_STEMS)}村`;
      name = `${place.streetShortName}${local}${category.noun}`;
      address = place.urban
        ? `${place.streetFullName}${local}${r.int(1, 200)}号`
        : `${place.streetFullName}${local}${r.int(1, 15)}组`;
      regionCode = place.code;
      [lat, lng] = offsetPoint(
        place.latitude,
        place.longitude,
        r.float(-0.6, 0.6),
        r.float(-0.6, 0.6),
      );
    }
    const count = Math.min(category.metrics.length, r.int(1, 3));
    const keys = [
      at(category.metrics, 0),
      ...r.sample(category.metrics.slice(1), count - 1),
    ];
    const firstLevel = FIRST_ALERT_LEVEL[level];
    const thresholds: RiskThreshold[] = keys.map((key, j) => {
      const m = METRICS[key];
      invariant(m, `metric ${key}`);
      return {
        metric: m.metric,
        comparator: m.comparator,
        value: round(r.float(m.min, m.max), m.digits),
        unit: m.unit,
        windowDays: r.int(1, m.maxWindowDays),
        alertLevel: at(LEVELS, Math.min(3, firstLevel + j)),
      };
    });
    const pool = DISPOSAL_MEASURES[category.domain];
    const measures = r.sample(pool, r.int(2, 5));
    const updated =
      REFERENCE_NOW_MS - Math.floor((r.float(1, 365) * DAY_MS) / 1000) * 1000;
    return {
      id: this.idAt(index),
      name,
      category_code: category.code,
      level,
      region_code: regionCode,
      address,
      ...coordinate(lat, lng),
      credit_code: enterprise?.creditCode ?? null,
      section_id: section?.id ?? null,
      thresholds,
      disposal_measures: measures,
      responsible_person_id: r.pick(ctx.personIds),
      updated_at: timestamp(updated),
    };
  }
}

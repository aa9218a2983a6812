import {
  CREDIT_CODE_ALPHABET,
  makeCreditCode,
  makeRegistrationNumber,
} from '../codes/enterpriseCodes.js';
import {
  INDUSTRIES,
  INDUSTRY_BY_NAME,
  type IndustrySpec,
} from '../data/industries.js';
import { TRADE_NAMES } from '../data/names.js';
import type { EnterpriseRow, ViolationRow } from '../tables.js';
import { coordinate, offsetPoint } from '../util/geo.js';
import { invariant } from '../util/invariant.js';
import { createWeightedPicker, Random } from '../util/Random.js';
import { cst, date, DAY_MS, REFERENCE_NOW_MS } from '../util/time.js';
import { GEOGRAPHY_SEED } from './geography.js';
import { addressIn, streetPicker, type Persons } from './persons.js';
import type { Regions, StreetInfo } from './regions.js';

/** A violation fixed by a scenario. */
export interface PlannedViolation {
  occurredOn: string;
  category: string;
  description: string;
  penalty: string;
  fineYuan: number;
  rectified: boolean;
}

/**
 * An enterprise another generator needs (a pollution source, a merchant of a
 * scenario). With `fixed`, its credit code and dates come from the scenario
 * stream and are the same in every world.
 */
export interface EnterprisePlan {
  key: string;
  name: string;
  industry: string;
  street: StreetInfo;
  latitude: number;
  longitude: number;
  address?: string;
  fixed: boolean;
  creditGrade?: EnterpriseRow['credit_grade'];
  violations?: readonly PlannedViolation[];
}

/** The enterprise register and its violations. */
export interface Enterprises {
  readonly rows: readonly EnterpriseRow[];
  readonly violations: readonly ViolationRow[];
  /** The enterprise of each plan, by plan key. */
  readonly byKey: ReadonlyMap<string, EnterpriseRow>;
}

const SHOP_SUFFIX = /(店|馆|超市|宾馆)$/;
const TRADE_CHARS_1 =
  '渝巴嘉华鑫鸿恒瑞德盛天龙金宏兴聚福安泰新永康润博凯远明锦佳丰顺合';
const TRADE_CHARS_2 =
  '通源达信诚利发旺隆昌茂森晟泽辉耀航宇程翔达鼎坤峰川江山城桥';

function tradeName(random: Random): string {
  return random.chance(0.5)
    ? random.pick(TRADE_NAMES)
    : `${random.pick([...TRADE_CHARS_1])}${random.pick([...TRADE_CHARS_2])}`;
}

/** Generates the enterprise register: the planned ones first, then random. */
export function generateEnterprises(
  plans: readonly EnterprisePlan[],
  regions: Regions,
  persons: Persons,
  count: number,
  seed: number,
): Enterprises {
  const random = new Random(seed, 'enterprises');
  const scenarioRandom = new Random(GEOGRAPHY_SEED, 'scenario-enterprises');
  const usedCodes = new Set<string>();
  const usedNames = new Set<string>();
  const rows: EnterpriseRow[] = [];
  const violations: ViolationRow[] = [];
  const byKey = new Map<string, EnterpriseRow>();
  const pickStreet = streetPicker(regions, 2);
  const pickIndustry = createWeightedPicker(
    INDUSTRIES,
    INDUSTRIES.map((i) => i.weight),
  );

  const newCode = (
    districtCode: string,
    modern: boolean,
    r: Random,
  ): string => {
    for (;;) {
      let body: string;
      if (modern) {
        body = 'MA';
        for (let i = 0; i < 6; i += 1)
          body += r.pick([...CREDIT_CODE_ALPHABET]);
      } else {
        body = String(r.int(2, 7));
        for (let i = 0; i < 7; i += 1) body += String(r.int(0, 9));
      }
      const code = makeCreditCode(districtCode, body);
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
  };

  const build = (
    r: Random,
    p: {
      name: string;
      industry: IndustrySpec;
      street: StreetInfo;
      latitude: number;
      longitude: number;
      address: string;
      status: EnterpriseRow['status'];
      creditGrade: EnterpriseRow['credit_grade'];
    },
  ): EnterpriseRow => {
    const districtCode = p.street.districtCode;
    const shop = SHOP_SUFFIX.test(p.name);
    const establishedMs =
      cst(1995, 1, 1) +
      Math.floor(r.next() * ((cst(2025, 6, 30) - cst(1995, 1, 1)) / DAY_MS)) *
        DAY_MS;
    const established = date(establishedMs);
    const modern = established >= '2015-10-01';
    const creditCode = newCode(districtCode, modern, r);
    const issuedMs = r.chance(0.3)
      ? establishedMs +
        Math.floor(r.next() * ((REFERENCE_NOW_MS - establishedMs) / DAY_MS)) *
          DAY_MS
      : establishedMs;
    const issued = date(issuedMs);
    // 营业期限: 长期 (null) or a term that has not run out yet.
    const [y, m, dd] = established.split('-').map(Number);
    const term = date(
      cst((y ?? 1995) + r.pick([20, 30, 50]), m ?? 1, dd ?? 1) - DAY_MS,
    );
    const validUntil = r.chance(0.5) || term < '2026-01-01' ? null : term;
    const capital = shop
      ? r.int(1, 50)
      : p.industry.name === '污水处理'
        ? r.int(500, 20000)
        : Math.round(10 ** r.float(1, 4));
    const personIds = persons.idsByDistrict.get(districtCode) ?? persons.ids;
    return {
      credit_code: creditCode,
      name: p.name,
      industry: p.industry.name,
      status: p.status,
      registered_capital_wan: capital,
      established_on: established,
      address: p.address,
      region_code: p.street.code,
      ...coordinate(p.latitude, p.longitude),
      legal_rep_person_id: r.pick(personIds),
      credit_grade: p.creditGrade,
      licence_number:
        established >= '2016-01-01'
          ? creditCode
          : makeRegistrationNumber(
              districtCode,
              10_000_000 + rows.length * 1009 + r.int(0, 1008),
            ),
      licence_issued_on: issued,
      licence_valid_until: validUntil,
      business_scope: p.industry.scope,
      issuing_authority: `重庆市${p.street.districtName}市场监督管理局`,
    };
  };

  const grade = (r: Random): EnterpriseRow['credit_grade'] =>
    r.weighted(['A', 'B', 'C', 'D'] as const, [30, 48, 17, 5]);

  // Fixed plans first, so that their codes never depend on the seed.
  const ordered = [
    ...plans.filter((p) => p.fixed),
    ...plans.filter((p) => !p.fixed),
  ];
  for (const plan of ordered) {
    const industry = INDUSTRY_BY_NAME.get(plan.industry);
    invariant(industry, `industry ${plan.industry}`);
    invariant(!usedNames.has(plan.name), `duplicate planned name ${plan.name}`);
    usedNames.add(plan.name);
    const r = plan.fixed ? scenarioRandom : random;
    const row = build(r, {
      name: plan.name,
      industry,
      street: plan.street,
      latitude: plan.latitude,
      longitude: plan.longitude,
      address: plan.address ?? addressIn(plan.street, r),
      status: 'ACTIVE',
      creditGrade: plan.creditGrade ?? grade(r),
    });
    // Only the legal representative varies with the seed.
    row.legal_rep_person_id = random.pick(
      persons.idsByDistrict.get(plan.street.districtCode) ?? persons.ids,
    );
    rows.push(row);
    byKey.set(plan.key, row);
    for (const v of plan.violations ?? []) {
      violations.push({
        id: '',
        credit_code: row.credit_code,
        occurred_on: v.occurredOn,
        category: v.category,
        description: v.description,
        penalty: v.penalty,
        fine_yuan: v.fineYuan,
        rectified: v.rectified,
      });
    }
  }

  while (rows.length < count) {
    const street = pickStreet(random);
    const industry = pickIndustry(random);
    const suffix = random.pick(industry.suffixes);
    let name: string;
    for (let attempt = 0; ; attempt += 1) {
      const trade = tradeName(random);
      const shop = SHOP_SUFFIX.test(suffix);
      const base = shop
        ? `${street.districtName}${trade}${suffix}`
        : random.chance(0.7)
          ? `重庆${trade}${suffix}`
          : `重庆市${street.districtName}${trade}${suffix}`;
      // Past a few clashes, name a branch (分店/分公司) instead.
      const branch =
        attempt < 6
          ? ''
          : `${street.shortName}${attempt > 6 ? attempt - 5 : ''}`;
      name =
        branch === ''
          ? base
          : shop
            ? `${base}（${branch}店）`
            : `${base}${branch}分公司`;
      if (!usedNames.has(name)) break;
    }
    usedNames.add(name);
    const radiusKm = street.core ? 0.6 : 2.5;
    const rr = radiusKm * Math.sqrt(random.next());
    const a = random.float(0, 2 * Math.PI);
    const [lat, lng] = offsetPoint(
      street.latitude,
      street.longitude,
      rr * Math.sin(a),
      rr * Math.cos(a),
    );
    const row = build(random, {
      name,
      industry,
      street,
      latitude: lat,
      longitude: lng,
      address: addressIn(street, random),
      status: random.weighted(
        ['ACTIVE', 'SUSPENDED', 'REVOKED', 'DEREGISTERED'] as const,
        [91, 2, 3, 4],
      ),
      creditGrade: grade(random),
    });
    rows.push(row);
    if (random.chance(0.25)) {
      const n = random.int(1, 3);
      for (let k = 0; k < n; k += 1) {
        const t = random.pick(industry.violations);
        const from = Math.max(
          Date.parse(`${row.established_on}T00:00:00+08:00`),
          cst(2018, 1, 1),
        );
        const occurred =
          from + random.next() * (REFERENCE_NOW_MS - DAY_MS - from);
        violations.push({
          id: '',
          credit_code: row.credit_code,
          occurred_on: date(occurred),
          category: t.category,
          description: t.description,
          penalty: t.penalty,
          fine_yuan:
            t.fine[1] === 0
              ? 0
              : Math.round(random.int(t.fine[0], t.fine[1]) / 100) * 100,
          rectified:
            REFERENCE_NOW_MS - occurred > 90 * DAY_MS
              ? random.chance(0.95)
              : random.chance(0.4),
        });
      }
    }
  }
  violations.forEach((v, i) => {
    v.id = `V-${String(i + 1).padStart(7, '0')}`;
  });
  return { rows, violations, byKey };
}

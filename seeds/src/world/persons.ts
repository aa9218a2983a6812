import { makeIdNumber } from '../codes/idNumber.js';
import {
  GIVEN_CHARS,
  ROAD_STEMS,
  SURNAMES,
  JIEFANGBEI_ROADS,
} from '../data/names.js';
import { PLACE_STEMS } from '../data/districts.js';
import type { PersonRow } from '../tables.js';
import { createFaker } from '../util/createFaker.js';
import { invariant } from '../util/invariant.js';
import { createWeightedPicker, Random } from '../util/Random.js';
import { cst, date, DAY_MS } from '../util/time.js';
import { GEOGRAPHY_SEED } from './geography.js';
import type { Regions, StreetInfo } from './regions.js';

/** The persons and how to find them by district. */
export interface Persons {
  readonly rows: readonly PersonRow[];
  readonly ids: readonly string[];
  /** Person ids living in each district. */
  readonly idsByDistrict: ReadonlyMap<string, readonly string[]>;
  /** 王先生, the night-market complainant: the same in every world. */
  readonly complainant: PersonRow;
}

/** Streets weighted by their district's population per street. */
export function streetPicker(
  regions: Regions,
  coreFactor = 1,
): (random: Random) => StreetInfo {
  return createWeightedPicker(
    regions.streets,
    regions.streets.map((s) => {
      const d = regions.district(s.districtCode).spec;
      return (d.population / d.streets) * (s.core ? coreFactor : 1);
    }),
  );
}

/** A household-style address inside a street or town. */
export function addressIn(street: StreetInfo, random: Random): string {
  if (street.kind === '街道' || street.core) {
    const road = street.code.startsWith('500103001')
      ? random.pick(JIEFANGBEI_ROADS)
      : `${random.pick(ROAD_STEMS)}${random.pick(['路', '路', '街', '大道'])}`;
    return `${street.fullName}${road}${random.int(1, 399)}号`;
  }
  return `${street.fullName}${random.pick(PLACE_STEMS)}村${random.int(1, 12)}组`;
}

/** An 11-digit mainland mobile number, 1[3-9]x… */
export function mobileNumber(random: Random): string {
  let digits = `1${random.int(3, 9)}`;
  for (let i = 0; i < 9; i += 1) digits += String(random.int(0, 9));
  return digits;
}

const SURNAME_PICK = createWeightedPicker(
  SURNAMES.map(([s]) => s),
  SURNAMES.map(([, w]) => w),
);

/** Generates the person register (publicsecurity.persons). */
export function generatePersons(
  regions: Regions,
  count: number,
  seed: number,
): Persons {
  const random = new Random(seed, 'persons');
  const scenarioRandom = new Random(GEOGRAPHY_SEED, 'complainant');
  const faker = createFaker(new Random(seed, 'faker').uint32());
  const pickStreet = streetPicker(regions);
  const ids = new Set<string>();
  const idNumbers = new Set<string>();
  const rows: PersonRow[] = [];

  const jiefangbei = regions.streetByCode('500103001');
  const complainant: PersonRow = {
    id: `P-${scenarioRandom.hex(12)}`,
    name: '王志刚',
    id_number: makeIdNumber('500103', '1986-04-12', 137),
    mobile: '13983215706',
    gender: 'MALE',
    birth_date: '1986-04-12',
    household_address: `${jiefangbei.fullName}民权路27号5-3`,
    region_code: jiefangbei.code,
  };
  rows.push(complainant);
  ids.add(complainant.id);
  idNumbers.add(complainant.id_number);

  const earliest = cst(1945, 1, 1);
  const latest = cst(2007, 9, 29);
  while (rows.length < count) {
    const street = pickStreet(random);
    const gender = random.chance(0.5) ? 'MALE' : 'FEMALE';
    const birth = date(
      earliest +
        Math.floor(random.next() * ((latest - earliest) / DAY_MS)) * DAY_MS,
    );
    let idNumber: string;
    do {
      const seq = random.int(0, 499) * 2 + (gender === 'MALE' ? 1 : 0);
      idNumber = makeIdNumber(street.districtCode, birth, seq);
    } while (idNumbers.has(idNumber));
    idNumbers.add(idNumber);
    let id: string;
    do {
      id = `P-${random.hex(12)}`;
    } while (ids.has(id));
    ids.add(id);
    const surname = SURNAME_PICK(random);
    const given = random.chance(0.55)
      ? faker.person.firstName(gender === 'MALE' ? 'male' : 'female')
      : Array.from({ length: random.chance(0.7) ? 2 : 1 }, () =>
          random.pick(GIVEN_CHARS[gender]),
        ).join('');
    rows.push({
      id,
      name: `${surname}${given}`,
      id_number: idNumber,
      mobile: mobileNumber(random),
      gender,
      birth_date: birth,
      household_address: householdAddress(street, random),
      region_code: street.code,
    });
  }
  const idsByDistrict = new Map<string, string[]>();
  for (const p of rows) {
    const district = p.region_code.slice(0, 6);
    const list = idsByDistrict.get(district) ?? [];
    list.push(p.id);
    idsByDistrict.set(district, list);
  }
  invariant(rows.length === count, 'person count');
  return {
    rows,
    ids: rows.map((p) => p.id),
    idsByDistrict,
    complainant,
  };
}

function householdAddress(street: StreetInfo, random: Random): string {
  const base = addressIn(street, random);
  if (street.kind === '街道' || street.core) {
    return `${base}${random.int(1, 12)}-${random.int(1, 6)}`;
  }
  return `${base}${random.int(1, 60)}号`;
}

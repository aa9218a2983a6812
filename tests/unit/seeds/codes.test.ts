import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  isRegistrationNumber,
  makeCreditCode,
} from '../../../seeds/src/codes/enterpriseCodes.js';
import {
  genderOfIdNumber,
  idNumberCheckChar,
  isIdNumber,
} from '../../../seeds/src/codes/idNumber.js';
import { isCreditCode } from '../../../subgraphs/kit/src/index.js';
import { demoWorld } from './fixtures.js';

describe('identity numbers (GB 11643)', () => {
  it('computes the ISO 7064 MOD 11-2 check character of a known number', () => {
    assert.equal(idNumberCheckChar('11010519491231002'), 'X');
    assert.equal(isIdNumber('11010519491231002X'), true);
    assert.equal(isIdNumber('110105194912310021'), false);
    assert.equal(isIdNumber('110105194902300021'), false);
  });

  it('gives every person a valid, unique number matching birth date, gender and region', () => {
    const persons = demoWorld(1).tables['publicsecurity.persons'];
    assert.equal(new Set(persons.map((p) => p.id_number)).size, persons.length);
    for (const p of persons) {
      assert.ok(isIdNumber(p.id_number), p.id_number);
      assert.equal(p.id_number.slice(6, 14), p.birth_date.replaceAll('-', ''));
      assert.equal(genderOfIdNumber(p.id_number), p.gender);
      assert.equal(p.id_number.slice(0, 6), p.region_code.slice(0, 6));
    }
  });

  it('gives opaque person ids not derived from the number', () => {
    const persons = demoWorld(1).tables['publicsecurity.persons'];
    assert.equal(new Set(persons.map((p) => p.id)).size, persons.length);
    for (const p of persons) {
      assert.match(p.id, /^P-[0-9a-f]{12}$/);
      assert.ok(!p.id_number.includes(p.id.slice(2, 8)));
    }
  });

  it('gives mainland mobile numbers 1[3-9]x with 11 digits', () => {
    for (const p of demoWorld(1).tables['publicsecurity.persons']) {
      assert.match(p.mobile, /^1[3-9]\d{9}$/);
      assert.match(p.household_address, /^重庆市/);
    }
  });
});

describe('credit codes (GB 32100)', () => {
  it('builds codes the kit accepts', () => {
    const code = makeCreditCode('500103', 'MA5U1A2B');
    assert.equal(code.length, 18);
    assert.ok(isCreditCode(code));
  });

  it('gives every enterprise a valid, unique 91-code of its district', () => {
    const enterprises = demoWorld(1).tables['market.enterprises'];
    assert.equal(
      new Set(enterprises.map((e) => e.credit_code)).size,
      enterprises.length,
    );
    for (const e of enterprises) {
      assert.ok(isCreditCode(e.credit_code), e.credit_code);
      assert.equal(e.credit_code.slice(0, 2), '91');
      assert.equal(e.credit_code.slice(2, 8), e.region_code.slice(0, 6));
    }
  });

  it('gives licence numbers that are the credit code or a valid registration number', () => {
    for (const e of demoWorld(1).tables['market.enterprises']) {
      assert.ok(
        e.licence_number === e.credit_code ||
          isRegistrationNumber(e.licence_number),
        e.licence_number,
      );
      assert.ok(e.licence_issued_on >= e.established_on);
      assert.ok(
        e.licence_valid_until === null ||
          e.licence_valid_until > e.licence_issued_on,
      );
      assert.match(e.issuing_authority, /^重庆市.+市场监督管理局$/);
    }
  });

  it('gives enterprises unique names', () => {
    const enterprises = demoWorld(1).tables['market.enterprises'];
    assert.equal(
      new Set(enterprises.map((e) => e.name)).size,
      enterprises.length,
    );
  });
});

// The governance property at a second seed (see governance.property.test.ts),
// and the property's oracle, fed forged responses it must catch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parse } from 'graphql';

import { checkResponse, type SentCall } from './checkResponse.js';
import type { PropertyWorld } from './propertyWorld.js';
import { describePropertyRun, usePropertyWorld } from './propertyRun.js';

/** A second seed, so that `npm test` covers other operations than the first file's. */
const SEED = 20_261_206;
/** Cases of this seed (with the other two files', 80 in `npm test`). */
const RUNS = 27;

const current = usePropertyWorld();

describePropertyRun(current, SEED, RUNS);

function principal(label: string): PropertyWorld['principals'][number] {
  const found = current().principals.find((p) => p.label === label);
  assert.ok(found, `no principal ${label}`);
  return found;
}

describe('the property’s oracle', () => {
  // The property can only fail if its oracle sees a leak: responses forged
  // here the way a broken gateway would answer must be caught.
  interface PersonRow {
    id: string;
    id_number: string;
    mobile: string;
    birth_date: string;
    region_code: string;
  }

  async function aPerson(where: string): Promise<PersonRow> {
    const { rows } = await current().hub.tdb.db.query<PersonRow>(
      `SELECT id, id_number, mobile, birth_date::text AS birth_date, region_code
         FROM publicsecurity.persons WHERE ${where} ORDER BY id LIMIT 1`,
    );
    const row = rows[0];
    assert.ok(row, `no person ${where}`);
    return row;
  }

  function call(label: string, text: string): SentCall {
    return {
      principal: principal(label),
      text,
      document: parse(text),
      operationName: null,
      variables: {},
      requestBody: JSON.stringify({ query: text }),
    };
  }

  function kindsOf(findings: ReturnType<typeof checkResponse>): string[] {
    return findings.violations.map((v) =>
      `${v.kind} ${v.coordinate ?? ''}`.trim(),
    );
  }

  it('catches a withheld value in the data under an alias, and in an error', async () => {
    const person = await aPerson('true');
    const text = `{ person(id: "${person.id}") { id number: idNumber mobile } }`;
    const findings = checkResponse(
      current(),
      call('env-analyst (water-pollution-tracing)', text),
      {
        data: { person: { id: person.id, number: person.id_number } },
        errors: [
          { message: `no mobile ${person.mobile}`, path: ['person', 'mobile'] },
        ],
      },
      '',
    );
    const kinds = kindsOf(findings);
    assert.ok(kinds.includes('withheld Person.idNumber'), kinds.join('; '));
    assert.ok(kinds.includes('secret Person.mobile'), kinds.join('; '));
    assert.ok(kinds.includes('executed Person.mobile'), kinds.join('; '));
  });

  it('catches a masked field in clear', async () => {
    const person = await aPerson('true');
    const text = `{ person(id: "${person.id}") { id birthDate } }`;
    const findings = checkResponse(
      current(),
      call('emergency-duty (emergency-response)', text),
      { data: { person: { id: person.id, birthDate: person.birth_date } } },
      '',
    );
    assert.deepEqual(kindsOf(findings), ['masked Person.birthDate']);
    const masked = checkResponse(
      current(),
      call('emergency-duty (emergency-response)', text),
      {
        data: {
          person: { id: person.id, birthDate: person.birth_date.slice(0, 4) },
        },
      },
      '',
    );
    assert.deepEqual(kindsOf(masked), []);
  });

  it('catches a row outside the caller’s region, in a list and in a count', async () => {
    const outside = await aPerson(`region_code NOT LIKE '500110%'`);
    const text = `{ person(id: "${outside.id}") { id } riskItems(first: 1) { totalCount } }`;
    const findings = checkResponse(
      current(),
      call('water-duty-qijiang (flood-and-water-safety)', text),
      {
        data: {
          person: { id: outside.id },
          riskItems: { totalCount: current().rows.get('RiskItem')?.size ?? 0 },
        },
      },
      '',
    );
    assert.deepEqual(findings.violations.map((v) => v.kind).sort(), [
      'count',
      'scope',
    ]);
  });
});

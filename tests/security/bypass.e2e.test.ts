// Bypass attempts against the governed gateway, through the real hub on the
// real PostgreSQL. Every attempt first reads the true values it must not
// see straight from the database, then asserts that none of them appears
// anywhere in the raw response body (data, errors, extensions), and that
// the refusal is the documented one (HTTP status, `extensions.code`,
// `extensions.rule`).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { SignJWT } from 'jose';

import { createGateway } from '../../gateway/src/createGateway.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../subgraphs/kit/src/index.js';
import { readSupergraphFile } from '../../subgraphs/kit/src/index.js';
import { findDemoUser } from '../../hub/demoUsers.js';
import {
  createHmacKey,
  createLogger,
  signCall,
  SIGNATURE_HEADER,
  type ServedGraphQL,
} from '../../subgraphs/kit/src/index.js';
import {
  demoHeaders,
  postBody,
  postGraphQL,
  signedPostGraphQL,
  TEST_TOKEN_SECRET,
  testIdentity,
  testSigningKey,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import {
  assertNoLeak,
  column,
  findError,
  maskedMobile,
  maskedName,
  personalValues,
  postPersisted,
  readPersons,
  readPersonsIn,
  scalar,
  startCapturingProxy,
  type PersonSecrets,
} from '../utils/security.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const COMPLAINT = 'C-20250915-JCK';
const PURPOSE = 'x-govgraph-purpose';
const PURIFIER = '91500110MAGTNENH14'; // 綦江区三角镇污水处理厂
const RISK = 'RI-PUHE-ZHAIXI';

let t: TestHub;
let url: string;
const headers: Record<string, Record<string, string>> = {};

/** The complainant of the 较场口 complaint. */
let complainant: PersonSecrets;
/** Legal representatives of the complaint's three merchants. */
let merchantReps: PersonSecrets[];
/** Leader of the squad the complaint was dispatched to. */
let leader: PersonSecrets;
/** Responsible person of the 蒲河寨溪大桥 risk item. */
let responsible: PersonSecrets;
/** Legal representative of the 三角镇 wastewater plant. */
let plantRep: PersonSecrets;
/** Persons living in 解放碑街道 (500103001). */
let jiefangbeiResidents: PersonSecrets[];
/** A person living in 綦江区 (500110), outside 渝中区. */
let qijiangResident: PersonSecrets;

function subgraphUrl(name: string): string {
  const s = t.hub.subgraphs.find((x) => x.name === name);
  assert.ok(s, `no subgraph ${name}`);
  return s.url;
}

/** POSTs to the hub's gateway as a demo user (with its own purpose unless given). */
async function as(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
  extra: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const h = headers[user];
  assert.ok(h, `no headers for ${user}`);
  return postGraphQL(url, query, variables, { ...h, ...extra });
}

async function asWithPurpose(
  user: string,
  purpose: string,
  query: string,
): Promise<GraphQLResponse> {
  return postGraphQL(
    url,
    query,
    undefined,
    await demoHeaders(user, { purpose }),
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function data(res: GraphQLResponse): any {
  return res.data as any;
}

/** Waits for the access log's group commit, then counts statements from zero. */
async function quiet(): Promise<void> {
  await new Promise((r) => setTimeout(r, 30));
  t.statements.reset();
}

before(async () => {
  t = await startTestHub();
  url = t.hub.gatewayUrl;
  for (const user of [
    'env-analyst',
    'water-duty-qijiang',
    'market-data-officer',
    'enforcement-jiefangbei',
    'emergency-duty',
    'police-crowd-yuzhong',
    'algo-ruxi-oil',
  ]) {
    headers[user] = await demoHeaders(user);
  }
  const db = t.tdb.db;
  const complainantId = await scalar<string>(
    db,
    'SELECT complainant_person_id FROM enforcement.complaints WHERE id = $1',
    [COMPLAINT],
  );
  const repIds = await column<string>(
    db,
    `SELECT e.legal_rep_person_id FROM enforcement.complaint_merchants m
       JOIN market.enterprises e ON e.credit_code = m.credit_code
      WHERE m.complaint_id = $1 ORDER BY e.credit_code`,
    [COMPLAINT],
  );
  const leaderId = await scalar<string>(
    db,
    `SELECT s.leader_person_id FROM enforcement.complaints c
       JOIN enforcement.squads s ON s.id = c.assigned_squad_id WHERE c.id = $1`,
    [COMPLAINT],
  );
  const responsibleId = await scalar<string>(
    db,
    'SELECT responsible_person_id FROM emergency.risk_items WHERE id = $1',
    [RISK],
  );
  const plantRepId = await scalar<string>(
    db,
    'SELECT legal_rep_person_id FROM market.enterprises WHERE credit_code = $1',
    [PURIFIER],
  );
  [complainant] = (await readPersons(db, [complainantId])) as [PersonSecrets];
  merchantReps = await readPersons(db, repIds);
  [leader] = (await readPersons(db, [leaderId])) as [PersonSecrets];
  [responsible] = (await readPersons(db, [responsibleId])) as [PersonSecrets];
  [plantRep] = (await readPersons(db, [plantRepId])) as [PersonSecrets];
  jiefangbeiResidents = await readPersonsIn(db, '500103001');
  [qijiangResident] = (await readPersonsIn(db, '500110', 1)) as [PersonSecrets];
  assert.equal(merchantReps.length, 3, 'the complaint names 3 merchants');
  assert.ok(jiefangbeiResidents.length > 3);
  assert.ok(qijiangResident);
});

after(async () => {
  await t[Symbol.asyncDispose]();
});

/** Every true personal value of the complainant. */
function complainantAll(): string[] {
  return personalValues(complainant);
}

describe('bypass: aliases', () => {
  it('01 withheld fields asked for directly are withheld, masked ones masked', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { complainant { id name mobile idNumber birthDate householdAddress gender } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
      path: ['complaint', 'complainant', 'idNumber'],
    });
    findError(res, 'GRANT_REQUIRED', {
      rule: 'negative-list:NL-PS-002@2',
      path: ['complaint', 'complainant', 'householdAddress'],
    });
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-003@1',
      path: ['complaint', 'complainant', 'gender'],
    });
    const person = data(res).complaint.complainant;
    assert.equal(person.name, maskedName(complainant.name));
    assert.equal(person.mobile, maskedMobile(complainant.mobile));
  });

  it('02 a withheld field aliased to an allowed field’s name stays withheld', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { complainant { id: idNumber name: householdAddress mobile: birthDate } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
      path: ['complaint', 'complainant', 'id'],
    });
    findError(res, 'GRANT_REQUIRED', {
      path: ['complaint', 'complainant', 'name'],
    });
  });

  it('03 an allowed field aliased to a withheld field’s name returns the allowed value only', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { complainant { idNumber: id householdAddress: name birthDate: mobile } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.errors, undefined, res.text);
    assertNoLeak(res, complainantAll());
    const person = data(res).complaint.complainant;
    assert.equal(person.idNumber, complainant.id);
    assert.equal(person.householdAddress, maskedName(complainant.name));
    assert.equal(person.birthDate, maskedMobile(complainant.mobile));
  });

  it('04 a masked field under many aliases is masked under every one of them', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") {
          complainant { a: name name b: name mobile c: mobile ... on Person { d: name } }
          again: complainant { e: name f: mobile }
        } }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.errors, undefined, res.text);
    assertNoLeak(res, complainantAll());
    const c = data(res).complaint;
    for (const key of ['a', 'name', 'b', 'd']) {
      assert.equal(c.complainant[key], maskedName(complainant.name), key);
    }
    assert.equal(c.again.e, maskedName(complainant.name));
    for (const v of [c.complainant.mobile, c.complainant.c, c.again.f]) {
      assert.equal(v, maskedMobile(complainant.mobile));
    }
  });
});

describe('bypass: fragments', () => {
  it('05 a named fragment holding withheld fields', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `query { complaint(id: "${COMPLAINT}") { complainant { id ...Secrets } } }
       fragment Secrets on Person { idNumber householdAddress birthDate name }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
    assert.equal(
      data(res).complaint.complainant.name,
      maskedName(complainant.name),
    );
  });

  it('06 nested fragments, three deep, reaching the ID number', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `query { ...Q }
       fragment Q on Query { complaint(id: "${COMPLAINT}") { ...C } }
       fragment C on Complaint { summary complainant { ...P } }
       fragment P on Person { id ...Deep }
       fragment Deep on Person { idNumber ... on Person { householdAddress } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
      path: ['complaint', 'complainant', 'idNumber'],
    });
    assert.equal(data(res).complaint.complainant.id, complainant.id);
  });

  it('07 an inline fragment on the interface PublicSecurityRecord (region is not shared)', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { complainant {
          ... on PublicSecurityRecord { id name region { code fullName } }
          ... on Person { idNumber }
        } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, [...complainantAll(), complainant.regionCode]);
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-003@1',
    });
    assert.equal(
      data(res).complaint.complainant.name,
      maskedName(complainant.name),
    );
  });

  it('08 the union PublicSecurityNode as a consumer with a grant: ID number withheld, date and address masked', async () => {
    assert.ok(complainant.householdAddress.startsWith('重庆市渝中区'));
    const res = await as(
      'emergency-duty',
      `{ publicSecurityNode(id: "${complainant.id}") {
          __typename
          ... on Person { id idNumber birthDate householdAddress }
          ... on PublicSecurityRecord { id }
          ... on CrowdArea { safeCapacity }
        } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, [
      complainant.idNumber,
      complainant.birthDate,
      complainant.householdAddress,
    ]);
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
      path: ['publicSecurityNode', 'idNumber'],
    });
    const node = data(res).publicSecurityNode;
    assert.equal(node.__typename, 'Person');
    assert.equal(node.birthDate, complainant.birthDate.slice(0, 4));
    assert.equal(node.householdAddress, '重庆市渝中区****');
  });

  it('09 the interface list publicSecurityRecords as a department without a grant', async () => {
    const res = await as(
      'env-analyst',
      `{ publicSecurityRecords(regionCode: "500103001", first: 30) { totalCount nodes {
          __typename id
          ... on PublicSecurityRecord { name region { code } }
          ... on Person { mobile idNumber birthDate householdAddress gender }
        } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(
      res,
      jiefangbeiResidents.flatMap((p) => personalValues(p)),
    );
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-002@2',
    });
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
    const records = data(res).publicSecurityRecords;
    assert.equal(records.nodes.length, records.totalCount, 'one page: all');
    for (const node of records.nodes) {
      assert.deepEqual(Object.keys(node).sort(), ['__typename', 'id']);
    }
  });

  it('10 the union as a department whose grant expired', async () => {
    const res = await as(
      'market-data-officer',
      `{ publicSecurityNode(id: "${complainant.id}") { ... on Person { name mobile } ... on PublicSecurityRecord { name } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'GRANT_REQUIRED', { rule: 'negative-list:NL-PS-002@2' });
  });

  it('11 the same withheld field selected directly and through a fragment', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `query { complaint(id: "${COMPLAINT}") { complainant { idNumber id ...F idNumber } } }
       fragment F on Person { idNumber n: idNumber }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      path: ['complaint', 'complainant', 'idNumber'],
    });
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      path: ['complaint', 'complainant', 'n'],
    });
    assert.deepEqual(data(res).complaint.complainant, { id: complainant.id });
  });
});

describe('bypass: @include / @skip and variables', () => {
  const withVariable = `query($on: Boolean!) { complaint(id: "${COMPLAINT}") { complainant { id idNumber @include(if: $on) householdAddress @include(if: $on) } } }`;

  it('12 @include(if: true) and @skip(if: false) literals on withheld fields', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { complainant { id idNumber @include(if: true) householdAddress @skip(if: false) } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      path: ['complaint', 'complainant', 'idNumber'],
    });
    findError(res, 'GRANT_REQUIRED', {
      path: ['complaint', 'complainant', 'householdAddress'],
    });
  });

  it('13 a variable toggles withheld fields on after the plan was cached with them off', async () => {
    const off = await as('enforcement-jiefangbei', withVariable, {
      on: false,
    });
    assert.equal(off.errors, undefined, off.text);
    assertNoLeak(off, complainantAll());
    const on = await as('enforcement-jiefangbei', withVariable, { on: true });
    assert.equal(on.status, 200, on.text);
    assertNoLeak(on, complainantAll());
    findError(on, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
    findError(on, 'GRANT_REQUIRED', { rule: 'negative-list:NL-PS-002@2' });
    const offAgain = await as('enforcement-jiefangbei', withVariable, {
      on: false,
    });
    assert.equal(offAgain.errors, undefined, offAgain.text);
  });

  it('14 @skip with a variable set to false', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `query($hide: Boolean!) { complaint(id: "${COMPLAINT}") { complainant { id ... @skip(if: $hide) { idNumber birthDate } } } }`,
      { hide: false },
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
  });

  it('15 default variable values switch the withheld fields on', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `query($on: Boolean = true, $off: Boolean = false) { complaint(id: "${COMPLAINT}") { complainant {
          id idNumber @include(if: $on) householdAddress @skip(if: $off)
        } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      path: ['complaint', 'complainant', 'idNumber'],
    });
    findError(res, 'GRANT_REQUIRED', {
      path: ['complaint', 'complainant', 'householdAddress'],
    });
  });

  it('16 a fragment spread switched on by a variable', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `query($on: Boolean!) { complaint(id: "${COMPLAINT}") { complainant { id ...F @include(if: $on) } } }
       fragment F on Person { idNumber householdAddress gender }`,
      { on: true },
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-003@1',
    });
  });
});

describe('bypass: __typename tricks', () => {
  it('17 a masked field aliased to __typename never comes back in clear', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { complainant { __typename: name } } }`,
    );
    assert.ok(res.status < 500, res.text);
    assertNoLeak(res, complainantAll());
  });

  it('18 a masked field aliased to __typename inside the union', async () => {
    const res = await as(
      'emergency-duty',
      `{ publicSecurityNode(id: "${complainant.id}") { ... on Person { __typename: householdAddress } } a: publicSecurityNode(id: "${complainant.id}") { ... on Person { __typename: birthDate } } }`,
    );
    assert.ok(res.status < 500, res.text);
    assertNoLeak(res, [
      complainant.idNumber,
      complainant.householdAddress,
      complainant.birthDate,
    ]);
  });

  it('19 a withheld field aliased to __typename is withheld', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { id complainant { __typename: idNumber } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
      path: ['complaint', 'complainant', '__typename'],
    });
  });

  it('20 the gateway’s own __govgraph_typename key cannot be used to switch masks off', async () => {
    const res = await as(
      'emergency-duty',
      `{ publicSecurityNode(id: "${complainant.id}") { ... on Person { __govgraph_typename: __typename householdAddress } } }`,
    );
    assert.equal(res.status, 400, res.text);
    findError(res, 'BAD_USER_INPUT');
    assert.equal(res.data ?? null, null);
    assertNoLeak(res, complainantAll());
  });
});

describe('bypass: deep nesting through other departments’ entities', () => {
  it('21 complaint → merchants → legalRepresentative: masked in 渝中区, nothing outside the street', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { merchants { nodes { creditCode legalRepresentative { id name mobile idNumber householdAddress } } } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(
      res,
      merchantReps.flatMap((p) => personalValues(p)),
    );
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
    const reps = data(res).complaint.merchants.nodes.map(
      (n: any) => n.legalRepresentative,
    );
    for (const [i, rep] of merchantReps.entries()) {
      const got = reps[i];
      if (rep.regionCode.startsWith('500103001')) {
        assert.equal(got.name, maskedName(rep.name));
        assert.equal(got.mobile, maskedMobile(rep.mobile));
      } else {
        assert.equal(got, null, `${rep.id} lives outside the street`);
        assert.ok(!res.text.includes(rep.id), 'not even its opaque id');
      }
    }
  });

  it('22 riskItem → responsiblePerson for a department the entry excludes', async () => {
    const res = await as(
      'water-duty-qijiang',
      `{ riskItem(id: "${RISK}") { name responsiblePerson { id name mobile idNumber birthDate householdAddress } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, personalValues(responsible));
    const error = findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-002@2',
      path: ['riskItem', 'responsiblePerson', 'name'],
    });
    assert.match(error.message, /not with water/);
    assert.equal(data(res).riskItem.responsiblePerson.id, responsible.id);
  });

  it('23 complaint → assignedSquad → leader for a department without a grant', async () => {
    const res = await as(
      'env-analyst',
      `{ complaint(id: "${COMPLAINT}") { assignedSquad { name dutyPhone leader { id name mobile idNumber householdAddress birthDate } } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, personalValues(leader));
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-002@2',
    });
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
    assert.equal(data(res).complaint.assignedSquad.name, '解放碑综合执法中队');
  });

  it('24 enterprise → legalRepresentative → legalRepresentativeOf → … for a role that may not read legal representatives', async () => {
    const res = await as(
      'emergency-duty',
      `{ enterprise(creditCode: "${PURIFIER}") { name legalRepresentative {
          id name mobile
          legalRepresentativeOf { nodes { legalRepresentative { name idNumber mobile } } }
          responsibleFor { nodes { responsiblePerson { name mobile } } }
        } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, personalValues(plantRep));
    const error = findError(res, 'FORBIDDEN', {
      rule: 'casl:role:duty-officer',
      path: ['enterprise', 'legalRepresentative'],
    });
    assert.match(error.message, /法定代表人/);
  });

  it('24b the legal representative of an enterprise reached the other way round (Person.legalRepresentativeOf)', async () => {
    // Duty officers may not read Enterprise.legalRepresentative (CASL,
    // attempt 24). Starting from the persons instead — whose names and
    // mobiles emergency response reads in clear under G-2025-002 — and
    // asking each for the enterprises it represents must not pair the
    // 三角镇 plant with its legal representative's name and mobile.
    const res = await as(
      'emergency-duty',
      `query($region: ID!) { publicSecurityRecords(regionCode: $region, first: 20) { nodes {
          ... on Person { id name mobile legalRepresentativeOf(first: 5) { nodes { creditCode name } } }
        } } }`,
      { region: plantRep.regionCode },
    );
    assert.equal(res.status, 200, res.text);
    const pairs = (data(res)?.publicSecurityRecords?.nodes ?? []).filter(
      (n: any) =>
        (n.legalRepresentativeOf?.nodes ?? []).some(
          (e: any) => e.creditCode === PURIFIER,
        ),
    );
    assert.deepEqual(
      pairs,
      [],
      `the duty officer learns who represents ${PURIFIER}: ${JSON.stringify(pairs)}`,
    );
    findError(res, 'FORBIDDEN', { rule: 'casl:role:duty-officer' });
  });

  it('25 enterprise → legalRepresentative with a grant that has expired', async () => {
    const res = await as(
      'market-data-officer',
      `{ enterprise(creditCode: "${PURIFIER}") { name legalRepresentative { id name mobile idNumber } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, personalValues(plantRep));
    findError(res, 'GRANT_REQUIRED', {
      rule: 'negative-list:NL-PS-002@2',
      path: ['enterprise', 'legalRepresentative', 'name'],
    });
  });

  it('26 riskItem → responsiblePerson under a purpose whose grant was revoked', async () => {
    const res = await asWithPurpose(
      'emergency-duty',
      'risk-inventory',
      `{ riskItem(id: "${RISK}") { responsiblePerson { id name mobile } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, personalValues(responsible));
    findError(res, 'GRANT_REQUIRED', {
      rule: 'negative-list:NL-PS-002@2',
      path: ['riskItem', 'responsiblePerson', 'mobile'],
    });
  });

  it('27 the ID number stays withheld from public security’s own crowd analyst', async () => {
    const res = await as(
      'police-crowd-yuzhong',
      `{ person(id: "${complainant.id}") { name idNumber } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, [complainant.idNumber]);
    findError(res, 'FORBIDDEN', {
      rule: 'casl:role:crowd-analyst',
      path: ['person', 'idNumber'],
    });
    assert.equal(data(res).person.name, complainant.name);
  });

  it('28 discharge records for a purpose outside the exception', async () => {
    const records = await column<string>(
      t.tdb.db,
      `SELECT id FROM environment.discharge_records WHERE source_id = 'PS-PUHE-04' ORDER BY recorded_at DESC, id LIMIT 5`,
    );
    assert.ok(records.length > 0);
    const res = await asWithPurpose(
      'water-duty-qijiang',
      'flood-and-water-safety',
      `{ pollutionSource(id: "PS-PUHE-04") { name dischargeRecords(first: 5) { nodes { id pollutant concentration } } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, records);
    findError(res, 'GRANT_REQUIRED', { rule: 'negative-list:NL-ENV-001@1' });
    assert.equal(
      data(res).pollutionSource.dischargeRecords?.nodes,
      undefined,
      res.text,
    );
  });

  it('29 drinking-water intakes’ location and population for a department not listed', async () => {
    const res = await as(
      'market-data-officer',
      `{ river(id: "R-RUXI") { drinkingWaterIntakes { nodes { id name riverKm populationServed } } } }`,
    );
    assert.equal(res.status, 200, res.text);
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-WAT-001@1',
    });
    const population = await scalar<number>(
      t.tdb.db,
      `SELECT population_served FROM water.intakes WHERE river_id = 'R-RUXI' ORDER BY id LIMIT 1`,
    );
    assertNoLeak(res, [String(population)]);
    for (const node of data(res).river.drinkingWaterIntakes.nodes) {
      assert.deepEqual(Object.keys(node).sort(), ['id', 'name']);
    }
  });
});

describe('bypass: federation internals sent through the gateway', () => {
  it('30 _entities with an inline representation is rejected', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ _entities(representations: [{ __typename: "Person", id: "${complainant.id}" }]) { ... on Person { idNumber name mobile householdAddress } } }`,
    );
    assert.equal(res.status, 400, res.text);
    findError(res, 'GRAPHQL_VALIDATION_FAILED');
    assertNoLeak(res, complainantAll());
  });

  it('31 _entities with representations in variables is rejected', async () => {
    const res = await as(
      'emergency-duty',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber householdAddress } } }`,
      { r: [{ __typename: 'Person', id: complainant.id }] },
    );
    assert.equal(res.status, 400, res.text);
    findError(res, 'GRAPHQL_VALIDATION_FAILED');
    assertNoLeak(res, complainantAll());
  });

  it('32 _service { sdl } is rejected and no subgraph SDL comes back', async () => {
    const res = await as('enforcement-jiefangbei', `{ _service { sdl } }`);
    assert.equal(res.status, 400, res.text);
    findError(res, 'GRAPHQL_VALIDATION_FAILED');
    assert.doesNotMatch(res.text, /idNumber|@key|type Person/);
  });
});

describe('bypass: introspection', () => {
  it('33 __schema by a role without introspection is refused', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ __schema { types { name fields { name } } } }`,
    );
    assert.equal(res.status, 403, res.text);
    findError(res, 'FORBIDDEN', { rule: 'introspection-not-allowed' });
    assert.equal(res.data ?? null, null);
    assert.doesNotMatch(res.text, /idNumber|householdAddress/);
  });

  it('34 __type(name: "Person"), aliased and in a fragment, is refused', async () => {
    for (const query of [
      `{ __type(name: "Person") { fields { name } } }`,
      `{ t: __type(name: "Person") { fields { name } } }`,
      `query { ...I } fragment I on Query { __type(name: "Person") { fields { name } } }`,
      `query($i: Boolean = true) { ... @include(if: $i) { __schema { queryType { name } } } }`,
    ]) {
      const res = await as('algo-ruxi-oil', query);
      assert.equal(res.status, 403, `${query}: ${res.text}`);
      findError(res, 'FORBIDDEN', { rule: 'introspection-not-allowed' });
      assert.doesNotMatch(res.text, /idNumber|householdAddress/);
    }
  });

  it('35 introspection with introspection allowed shows no withheld field', async () => {
    const res = await as(
      'env-analyst',
      `{ person: __type(name: "Person") { fields { name } }
         record: __type(name: "PublicSecurityRecord") { fields { name } }
         schema: __schema { types { name fields { name } } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.errors, undefined, res.text);
    const fields = data(res).person.fields.map((f: any) => f.name);
    for (const hidden of [
      'idNumber',
      'name',
      'mobile',
      'birthDate',
      'householdAddress',
      'gender',
      'region',
    ]) {
      assert.ok(!fields.includes(hidden), `Person.${hidden} is visible`);
    }
    assert.ok(fields.includes('id'));
    assert.doesNotMatch(res.text, /idNumber|householdAddress|birthDate/);
  });

  it('36 introspection hides what the caller’s own role may not read', async () => {
    const res = await as(
      'police-crowd-yuzhong',
      `{ __type(name: "Person") { fields { name } } }`,
    );
    assert.equal(res.status, 200, res.text);
    const fields = data(res).__type.fields.map((f: any) => f.name);
    assert.ok(!fields.includes('idNumber'), res.text);
    assert.ok(fields.includes('name'), res.text);
  });

  it('36b a misspelt field gets no “Did you mean …?” naming withheld fields', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { complainant { idNumbr householdAdress } } }`,
    );
    assert.equal(res.status, 400, res.text);
    findError(res, 'GRAPHQL_VALIDATION_FAILED');
    assert.doesNotMatch(res.text, /Did you mean|"idNumber"|householdAddress/);
    assertNoLeak(res, complainantAll());
  });

  it('37 introspection smuggled beside data fields is refused whole', async () => {
    const res = await as(
      'env-analyst',
      `{ complaint(id: "${COMPLAINT}") { complainant { idNumber } } __type(name: "Person") { name } }`,
    );
    assert.equal(res.status, 400, res.text);
    findError(res, 'BAD_USER_INPUT');
    assertNoLeak(res, complainantAll());
  });
});

describe('bypass: explain', () => {
  it('38 explain describes withheld fields without reading any value', async () => {
    const operation = `query($on: Boolean = true) { complaint(id: "${COMPLAINT}") { complainant { name mobile idNumber @include(if: $on) householdAddress } } }`;
    const res = await as(
      'enforcement-jiefangbei',
      `query($op: String!) { explain(operation: $op, variables: { on: true }) {
          rejectedInStrictMode rewrittenOperation rowScope
          fields { coordinate effect code rule mask }
        } }`,
      { op: operation },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.errors, undefined, res.text);
    assertNoLeak(res, complainantAll());
    const explanation = data(res).explain;
    assert.equal(explanation.rejectedInStrictMode, true);
    assert.doesNotMatch(explanation.rewrittenOperation, /idNumber/);
    const id = explanation.fields.find(
      (f: any) => f.coordinate === 'Person.idNumber',
    );
    assert.equal(id.effect, 'DENY');
    assert.equal(id.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
  });

  it('39 explain of an introspection does not introspect for a role without it', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ explain(operation: "{ __type(name: \\"Person\\") { fields { name } } }") { rewrittenOperation fields { coordinate } } }`,
    );
    assert.ok(res.status === 200 || res.status === 403, res.text);
    assert.doesNotMatch(res.text, /householdAddress|birthDate|"idNumber"/);
  });
});

describe('bypass: batched requests', () => {
  it('40 a batch mixing allowed and withheld operations governs each one', async () => {
    const res = await postBody(
      url,
      JSON.stringify([
        {
          query: `{ complaint(id: "${COMPLAINT}") { id complainant { name } } }`,
        },
        {
          query: `{ complaint(id: "${COMPLAINT}") { complainant { idNumber householdAddress } } }`,
        },
        { query: `{ __schema { types { name } } }` },
      ]),
      headers['enforcement-jiefangbei'],
    );
    assertNoLeak(res, complainantAll());
    const parts = JSON.parse(res.text) as GraphQLResponse[];
    assert.equal(parts.length, 3);
    const [first, second, third] = parts.map((p) => ({
      ...p,
      status: res.status,
      text: JSON.stringify(p),
    })) as [GraphQLResponse, GraphQLResponse, GraphQLResponse];
    assert.equal(
      data(first).complaint.complainant.name,
      maskedName(complainant.name),
    );
    findError(second, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
    findError(third, 'FORBIDDEN', { rule: 'introspection-not-allowed' });
  });

  it('41 a batch over the limit is refused whole before anything runs', async () => {
    await quiet();
    const res = await postBody(
      url,
      JSON.stringify(
        Array.from({ length: 11 }, () => ({
          query: `{ complaint(id: "${COMPLAINT}") { complainant { idNumber name } } }`,
        })),
      ),
      headers['enforcement-jiefangbei'],
    );
    assert.equal(res.status, 400, res.text);
    findError(res, 'BATCH_TOO_LARGE');
    assert.equal(t.statements.count, 0, 'nothing reached a subgraph');
    assertNoLeak(res, complainantAll());
  });
});

describe('bypass: persisted queries (APQ)', () => {
  const allowed = `{ complaint(id: "${COMPLAINT}") { id status } }`;
  const withheld = `{ complaint(id: "${COMPLAINT}") { complainant { idNumber householdAddress name mobile } } }`;

  it('42 registering a withheld query under an allowed query’s hash is refused', async () => {
    const h = headers['enforcement-jiefangbei'];
    assert.ok(h);
    const registered = await postPersisted(url, sha256(allowed), allowed, h);
    assert.equal(registered.errors, undefined, registered.text);
    const res = await postPersisted(url, sha256(allowed), withheld, h);
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /provided sha does not match/);
    assert.equal(res.errors?.[0]?.extensions?.['code'], 'BAD_REQUEST');
    assert.equal(res.data ?? null, null);
    assertNoLeak(res, complainantAll());
    // The allowed query under its hash is still the allowed query.
    const again = await postPersisted(url, sha256(allowed), undefined, h);
    assert.deepEqual(data(again).complaint, registered.data?.['complaint']);
  });

  it('43 sending different text under a not yet registered hash is refused', async () => {
    const other = `{ complaint(id: "${COMPLAINT}") { summary } }`;
    const res = await postPersisted(
      url,
      sha256(other),
      withheld,
      headers['emergency-duty'] ?? {},
    );
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /provided sha does not match/);
    assertNoLeak(res, complainantAll());
    const lookup = await postPersisted(
      url,
      sha256(other),
      undefined,
      headers['emergency-duty'] ?? {},
    );
    findError(lookup, 'PERSISTED_QUERY_NOT_FOUND');
  });

  it('44 a hash registered by a principal that reads in clear is governed for the next principal', async () => {
    const query = `{ complaint(id: "${COMPLAINT}") { complainant { id name mobile idNumber } } }`;
    const hash = sha256(query);
    const owner = await postPersisted(
      url,
      hash,
      query,
      headers['emergency-duty'] ?? {},
    );
    // Emergency response may read the name and mobile in clear (G-2025-002).
    assert.equal(
      data(owner).complaint.complainant.name,
      complainant.name,
      owner.text,
    );
    assertNoLeak(owner, [complainant.idNumber]);

    const masked = await postPersisted(
      url,
      hash,
      undefined,
      headers['enforcement-jiefangbei'] ?? {},
    );
    assert.equal(masked.status, 200, masked.text);
    assertNoLeak(masked, complainantAll());
    assert.equal(
      data(masked).complaint.complainant.name,
      maskedName(complainant.name),
    );
    findError(masked, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });

    const denied = await postPersisted(
      url,
      hash,
      undefined,
      headers['env-analyst'] ?? {},
    );
    assertNoLeak(denied, complainantAll());
    findError(denied, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-002@2',
      path: ['complaint', 'complainant', 'name'],
    });
  });
});

describe('bypass: request shapes', () => {
  it('45 strict mode refuses the whole operation and returns no data', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `{ complaint(id: "${COMPLAINT}") { id summary complainant { name mobile idNumber } } }`,
      undefined,
      { 'x-govgraph-strict': 'true' },
    );
    assert.equal(res.status, 400, res.text);
    assert.equal(res.data ?? null, null, res.text);
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
    assertNoLeak(res, [
      ...complainantAll(),
      maskedName(complainant.name),
      maskedMobile(complainant.mobile),
    ]);
  });

  it('46 a GET request is governed like a POST', async () => {
    const query = `{ complaint(id: "${COMPLAINT}") { complainant { idNumber name householdAddress } } }`;
    const get = new URL(url);
    get.searchParams.set('query', query);
    const response = await fetch(get, {
      headers: {
        ...headers['enforcement-jiefangbei'],
        'apollo-require-preflight': 'true',
      },
    });
    const text = await response.text();
    const res = {
      status: response.status,
      text,
      ...(JSON.parse(text) as object),
    } as GraphQLResponse;
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
  });

  it('47 choosing the withheld one of several operations by operationName', async () => {
    const res = await postBody(
      url,
      JSON.stringify({
        query: `query A { complaint(id: "${COMPLAINT}") { id } }
                query B { complaint(id: "${COMPLAINT}") { complainant { idNumber householdAddress } } }`,
        operationName: 'B',
      }),
      headers['enforcement-jiefangbei'],
    );
    assertNoLeak(res, complainantAll());
    findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-001@1',
    });
  });
});

describe('bypass: direct and replayed subgraph calls', () => {
  const personQuery = `{ person(id: "P") { id name idNumber mobile householdAddress birthDate } }`;
  const body = (): string =>
    JSON.stringify({
      query: personQuery.replace('"P"', `"${complainant.id}"`),
    });

  function assertRefused(res: GraphQLResponse, message?: RegExp): void {
    assert.equal(res.status, 401, res.text);
    findError(res, 'UNAUTHENTICATED');
    if (message) assert.match(res.errors?.[0]?.message ?? '', message);
    assertNoLeak(res, complainantAll());
  }

  it('48 an unsigned POST to a subgraph gets 401', async () => {
    const res = await postBody(subgraphUrl('publicsecurity'), body());
    assertRefused(res, /x-govgraph-signature/);
  });

  it('49 an unsigned GET to a subgraph gets 401', async () => {
    const get = new URL(subgraphUrl('publicsecurity'));
    get.searchParams.set(
      'query',
      personQuery.replace('"P"', `"${complainant.id}"`),
    );
    const response = await fetch(get, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    const text = await response.text();
    assertRefused({
      status: response.status,
      text,
      ...(JSON.parse(text) as object),
    } as GraphQLResponse);
  });

  describe('calls captured between a gateway and the public-security subgraph', () => {
    let proxy: Awaited<ReturnType<typeof startCapturingProxy>>;
    let gateway: ServedGraphQL;

    before(async () => {
      proxy = await startCapturingProxy(subgraphUrl('publicsecurity'));
      const subgraphUrls = Object.fromEntries(
        t.hub.subgraphs.map((s) => [s.name, s.url]),
      );
      subgraphUrls['publicsecurity'] = proxy.url;
      gateway = await createGateway(
        {
          supergraphSdl: await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH),
          subgraphUrls,
          signing: testSigningKey,
          identity: testIdentity,
          governance: {
            policy: t.hub.policy,
            accessLog: null,
            maskSecret: randomBytes(32).toString('base64url'),
          },
        },
        { logger: createLogger('bypass-gateway', 'silent') },
      ).listen({ port: 0 });
      // A legitimate read through the proxied gateway: emergency response
      // reads the responsible person's name and mobile.
      const res = await postGraphQL(
        gateway.url,
        `{ riskItem(id: "${RISK}") { responsiblePerson { name mobile } } }`,
        undefined,
        headers['emergency-duty'],
      );
      assert.equal(res.errors, undefined, res.text);
      assert.ok(proxy.calls.length > 0, 'the gateway called public security');
    });
    after(async () => {
      await gateway.close();
      await proxy.close();
    });

    function captured(): { signature: string; body: Buffer } {
      const call = proxy.calls.find(
        (c) => typeof c.headers[SIGNATURE_HEADER] === 'string',
      );
      assert.ok(call, 'a signed call was captured');
      return {
        signature: call.headers[SIGNATURE_HEADER] as string,
        body: call.body,
      };
    }

    it('50 replaying a captured signed call gets 401', async () => {
      const { signature, body: raw } = captured();
      const res = await postBody(subgraphUrl('publicsecurity'), raw, {
        [SIGNATURE_HEADER]: signature,
      });
      assert.equal(res.status, 401, res.text);
      findError(res, 'UNAUTHENTICATED');
      assert.match(res.text, /already used|replay/i);
      assertNoLeak(res, personalValues(responsible));
    });

    it('51 a captured signature over an altered body gets 401', async () => {
      const { signature } = captured();
      const res = await postBody(subgraphUrl('publicsecurity'), body(), {
        [SIGNATURE_HEADER]: signature,
      });
      assertRefused(res, /altered|body/i);
    });

    it('52 a captured signature sent to another subgraph gets 401', async () => {
      const { signature, body: raw } = captured();
      const res = await postBody(subgraphUrl('market'), raw, {
        [SIGNATURE_HEADER]: signature,
      });
      assert.equal(res.status, 401, res.text);
      findError(res, 'UNAUTHENTICATED');
      assert.match(res.text, /another subgraph/);
    });
  });

  it('53 a fresh signed call replayed verbatim gets 401 the second time', async () => {
    const raw = body();
    const signature = await signCall(testSigningKey, {
      audience: 'publicsecurity',
      body: raw,
      context: { principal: null, scope: { region: '500103' } },
    });
    const first = await postBody(subgraphUrl('publicsecurity'), raw, {
      [SIGNATURE_HEADER]: signature,
    });
    assert.equal(first.status, 200, first.text);
    const replay = await postBody(subgraphUrl('publicsecurity'), raw, {
      [SIGNATURE_HEADER]: signature,
    });
    assertRefused(replay, /already used|replay/i);
  });

  it('54 a valid signature over another body gets 401', async () => {
    const signature = await signCall(testSigningKey, {
      audience: 'publicsecurity',
      body: JSON.stringify({ query: '{ crowdAreas { totalCount } }' }),
      context: { principal: null, scope: null },
    });
    const res = await postBody(subgraphUrl('publicsecurity'), body(), {
      [SIGNATURE_HEADER]: signature,
    });
    assertRefused(res, /altered/);
  });

  it('55 a signature made for another subgraph gets 401', async () => {
    const res = await signedPostGraphQL(
      subgraphUrl('publicsecurity'),
      { audience: 'market' },
      personQuery.replace('"P"', `"${complainant.id}"`),
    );
    assertRefused(res, /another subgraph/);
  });

  it('56 a signature made with another key, or none at all, gets 401', async () => {
    const wrong = await signedPostGraphQL(
      subgraphUrl('publicsecurity'),
      {
        audience: 'publicsecurity',
        key: createHmacKey(randomBytes(32).toString('base64url')),
      },
      personQuery.replace('"P"', `"${complainant.id}"`),
    );
    assertRefused(wrong, /another key|invalid/);
    const raw = body();
    const header = Buffer.from(
      JSON.stringify({ alg: 'none', typ: 'govgraph-call+jwt' }),
    ).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = Buffer.from(
      JSON.stringify({
        iss: 'govgraph-gateway',
        aud: 'publicsecurity',
        iat: now,
        exp: now + 30,
        jti: randomBytes(8).toString('hex'),
        bh: createHash('sha256').update(raw).digest('base64url'),
        ctx: { principal: null, scope: null },
      }),
    ).toString('base64url');
    const none = await postBody(subgraphUrl('publicsecurity'), raw, {
      [SIGNATURE_HEADER]: `${header}.${claims}.`,
    });
    assertRefused(none, /alg "none"|algorithm/);
  });

  it('57 a caller’s own bearer token passed off as a call signature gets 401', async () => {
    const token = (headers['police-crowd-yuzhong']?.['authorization'] ?? '')
      .replace(/^Bearer /, '')
      .trim();
    assert.ok(token);
    const res = await postBody(subgraphUrl('publicsecurity'), body(), {
      [SIGNATURE_HEADER]: token,
    });
    assertRefused(res);
  });
});

describe('bypass: bearer tokens', () => {
  const query = `{ complaint(id: "${COMPLAINT}") { complainant { name mobile idNumber householdAddress } } }`;

  function claimsOf(user: string) {
    const found = findDemoUser(user);
    assert.ok(found);
    return found.claims;
  }

  async function refused(
    requestHeaders: Record<string, string>,
  ): Promise<GraphQLResponse> {
    await quiet();
    const res = await postGraphQL(url, query, undefined, requestHeaders);
    assert.equal(t.statements.count, 0, 'nothing reached a subgraph');
    assert.equal(res.data ?? null, null, res.text);
    assertNoLeak(res, complainantAll());
    return res;
  }

  function assertUnauthenticated(res: GraphQLResponse): void {
    assert.equal(res.status, 401, res.text);
    findError(res, 'UNAUTHENTICATED');
  }

  it('58 a forged department claim (publicsecurity) signed with a wrong key gets 401', async () => {
    const { sub, ...claims } = claimsOf('enforcement-jiefangbei');
    const token = await new SignJWT({
      ...claims,
      dept: 'publicsecurity',
      roles: ['crowd-analyst'],
      level: 'CITY',
      region: '500000',
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(randomBytes(32).toString('base64url')));
    const res = await refused({
      authorization: `Bearer ${token}`,
      [PURPOSE]: 'complaint-handling',
    });
    assertUnauthenticated(res);
    assert.match(res.errors?.[0]?.message ?? '', /signature/);
  });

  it('59 an unsigned alg:none token gets 401', async () => {
    const { sub, ...claims } = claimsOf('emergency-duty');
    const now = Math.floor(Date.now() / 1000);
    const part = (v: unknown): string =>
      Buffer.from(JSON.stringify(v)).toString('base64url');
    const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({
      ...claims,
      sub,
      iss: 'govgraph',
      aud: 'govgraph-gateway',
      iat: now,
      exp: now + 3600,
    })}.`;
    assertUnauthenticated(
      await refused({
        authorization: `Bearer ${token}`,
        [PURPOSE]: 'emergency-response',
      }),
    );
  });

  it('60 a token signed with another key gets 401', async () => {
    assertUnauthenticated(
      await refused(
        await demoHeaders('emergency-duty', {
          secret: randomBytes(32).toString('base64url'),
        }),
      ),
    );
  });

  it('61 an expired token gets 401', async () => {
    const { sub, ...claims } = claimsOf('emergency-duty');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt(now - 7_200)
      .setExpirationTime(now - 3_600)
      .sign(new TextEncoder().encode(TEST_TOKEN_SECRET));
    const res = await refused({
      authorization: `Bearer ${token}`,
      [PURPOSE]: 'emergency-response',
    });
    assertUnauthenticated(res);
    assert.match(res.errors?.[0]?.message ?? '', /expired/);
  });

  it('62 no token at all gets 401', async () => {
    assertUnauthenticated(await refused({ [PURPOSE]: 'emergency-response' }));
  });

  it('63 a valid token declaring a purpose it may not declare gets 403', async () => {
    const res = await refused(
      await demoHeaders('enforcement-jiefangbei', {
        purpose: 'emergency-response',
      }),
    );
    assert.equal(res.status, 403, res.text);
    findError(res, 'FORBIDDEN', { rule: 'purpose-not-declarable' });
  });

  it('64 a valid token minted for another audience gets 401', async () => {
    const { sub, ...claims } = claimsOf('emergency-duty');
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer('govgraph')
      .setAudience('publicsecurity')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_TOKEN_SECRET));
    assertUnauthenticated(
      await refused({
        authorization: `Bearer ${token}`,
        [PURPOSE]: 'emergency-response',
      }),
    );
  });
});

describe('bypass: algorithm identities', () => {
  async function algorithmHeaders(
    filing: string,
  ): Promise<Record<string, string>> {
    const token = await new SignJWT({
      dept: 'publicsecurity',
      roles: ['algorithm'],
      level: 'CITY',
      region: '500000',
      purposes: ['crowd-management'],
      filing,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('algo-jiefangbei-crowd')
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_TOKEN_SECRET));
    return { authorization: `Bearer ${token}`, [PURPOSE]: 'crowd-management' };
  }

  it('65 the oil-slick algorithm reading outside its filed inputs', async () => {
    const res = await as(
      'algo-ruxi-oil',
      `{ enterprise(creditCode: "${PURIFIER}") {
          name
          legalRepresentative { name mobile idNumber }
          licence { number }
          region { fullName }
        } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, personalValues(plantRep));
    for (const field of ['legalRepresentative', 'licence', 'region']) {
      findError(res, 'ALGORITHM_INPUT_NOT_FILED', {
        rule: 'algorithm-filing:ALG-2025-017',
        path: ['enterprise', field],
      });
    }
    assert.deepEqual(Object.keys(data(res).enterprise), ['name']);
  });

  it('66 the oil-slick algorithm reaching a complaint and its complainant', async () => {
    const res = await as(
      'algo-ruxi-oil',
      `{ complaint(id: "${COMPLAINT}") { summary complainant { name mobile } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, complainantAll());
    findError(res, 'ALGORITHM_INPUT_NOT_FILED', {
      rule: 'algorithm-filing:ALG-2025-017',
      path: ['complaint'],
    });
    assert.deepEqual(res.data, {});
  });

  it('67 an identity of a suspended filing reads nothing, not even its filed inputs', async () => {
    const res = await postGraphQL(
      url,
      `{ crowdArea(id: "CA-JIEFANGBEI") { name safeCapacity latestObservation { visitorsToday currentCount } } }`,
      undefined,
      await algorithmHeaders('ALG-2024-031'),
    );
    assert.equal(res.status, 200, res.text);
    const error = findError(res, 'ALGORITHM_INPUT_NOT_FILED', {
      rule: 'algorithm-filing:ALG-2024-031',
    });
    assert.match(error.message, /SUSPENDED/);
    assert.deepEqual(res.data, {});
    assertNoLeak(res, ['解放碑商圈']);
  });

  it('68 an identity of a filing the registry does not know is refused whole', async () => {
    const res = await postGraphQL(
      url,
      `{ crowdArea(id: "CA-JIEFANGBEI") { name } }`,
      undefined,
      await algorithmHeaders('ALG-2099-999'),
    );
    assert.equal(res.status, 403, res.text);
    findError(res, 'ALGORITHM_INPUT_NOT_FILED', {
      rule: 'algorithm-filing:ALG-2099-999',
    });
    assertNoLeak(res, ['解放碑商圈']);
  });
});

describe('bypass: row scope of district and street principals', () => {
  it('69 a district principal filtering and counting another district’s risk items', async () => {
    const db = t.tdb.db;
    const own = Number(
      await scalar<string>(
        db,
        `SELECT count(*) FROM emergency.risk_items WHERE region_code LIKE '500110%'`,
      ),
    );
    const others = await column<string>(
      db,
      `SELECT id FROM emergency.risk_items WHERE region_code LIKE '500103%' ORDER BY id LIMIT 50`,
    );
    assert.ok(others.length > 0);
    const res = await as(
      'water-duty-qijiang',
      `{ yuzhong: riskItems(regionCode: "500103", first: 100) { totalCount nodes { id name } }
         all: riskItems(first: 100) { totalCount nodes { id region { code } } }
         region(code: "500103") { riskItems { totalCount } enterprises { totalCount } monitoringSections { totalCount } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.errors, undefined, res.text);
    assertNoLeak(res, others);
    const d = data(res);
    assert.equal(d.yuzhong.totalCount, 0);
    assert.deepEqual(d.yuzhong.nodes, []);
    assert.equal(d.all.totalCount, own, 'the count reveals no other district');
    for (const n of d.all.nodes) assert.match(n.region.code, /^500110/);
    assert.equal(d.region.riskItems.totalCount, 0);
    assert.equal(d.region.enterprises.totalCount, 0);
    assert.equal(d.region.monitoringSections.totalCount, 0);
  });

  it('70 a district principal asking for another district’s rows by id', async () => {
    const other = await scalar<string>(
      t.tdb.db,
      `SELECT id FROM emergency.risk_items WHERE region_code LIKE '500103%' ORDER BY id LIMIT 1`,
    );
    const otherName = await scalar<string>(
      t.tdb.db,
      `SELECT name FROM emergency.risk_items WHERE id = $1`,
      [other],
    );
    const res = await as(
      'water-duty-qijiang',
      `{ riskItem(id: "${other}") { id name address } monitoringSection(id: "MS-RUXI-LIRANG") { id name } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, [otherName]);
    const d = data(res);
    assert.equal(d.riskItem, null);
    assert.equal(d.monitoringSection, null);
    findError(res, 'NOT_FOUND', { path: ['riskItem'] });
  });

  it('71 a district principal paging through every record sees only its own district', async () => {
    const db = t.tdb.db;
    const visible = new Set([
      ...(await column<string>(
        db,
        `SELECT id FROM publicsecurity.persons WHERE region_code LIKE '500103%'`,
      )),
      ...(await column<string>(
        db,
        `SELECT id FROM publicsecurity.crowd_areas WHERE region_code LIKE '500103%'`,
      )),
    ]);
    const outside = await column<string>(
      db,
      `SELECT id FROM publicsecurity.persons WHERE region_code NOT LIKE '500103%' ORDER BY id LIMIT 200`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let total = -1;
    for (let page = 0; page < 20; page += 1) {
      const res: GraphQLResponse = await as(
        'police-crowd-yuzhong',
        `query($after: String) { publicSecurityRecords(first: 50, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`,
        { after: cursor },
      );
      assert.equal(res.errors, undefined, res.text);
      assertNoLeak(res, outside);
      const conn = data(res).publicSecurityRecords;
      total = conn.totalCount;
      seen.push(...conn.nodes.map((n: any) => n.id as string));
      if (!conn.pageInfo.hasNextPage) break;
      cursor = conn.pageInfo.endCursor;
    }
    assert.equal(total, visible.size, 'the count reveals no other district');
    assert.deepEqual(new Set(seen), visible);
    // A cursor far past the end, and a filter on another district.
    const beyond = Buffer.from('o:5000').toString('base64url');
    const res = await as(
      'police-crowd-yuzhong',
      `{ far: publicSecurityRecords(first: 50, after: "${beyond}") { totalCount nodes { id } }
         other: publicSecurityRecords(regionCode: "500110") { totalCount nodes { id } }
         crowdAreas(regionCode: "500106") { totalCount nodes { id } } }`,
    );
    assert.equal(res.errors, undefined, res.text);
    assertNoLeak(res, outside);
    const d = data(res);
    assert.deepEqual(d.far.nodes, []);
    assert.equal(d.far.totalCount, visible.size);
    assert.equal(d.other.totalCount, 0);
    assert.equal(d.crowdAreas.totalCount, 0);
  });

  it('72 a district principal asking for a person of another district by id', async () => {
    const res = await as(
      'police-crowd-yuzhong',
      `{ person(id: "${qijiangResident.id}") { id name birthDate householdAddress } publicSecurityNode(id: "${qijiangResident.id}") { ... on Person { name } } }`,
    );
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, personalValues(qijiangResident));
    assert.equal(data(res).person, null);
    assert.equal(data(res).publicSecurityNode, null);
  });

  it('73 a street principal filtering, counting and searching outside its street', async () => {
    const db = t.tdb.db;
    const own = Number(
      await scalar<string>(
        db,
        `SELECT count(*) FROM enforcement.complaints WHERE region_code LIKE '500103001%'`,
      ),
    );
    const foreign = await column<string>(
      db,
      `SELECT id FROM enforcement.complaints WHERE region_code NOT LIKE '500103001%' ORDER BY id LIMIT 100`,
    );
    const [code, name] = (
      await db.query<{ credit_code: string; name: string }>(
        `SELECT credit_code, name FROM market.enterprises WHERE region_code LIKE '500110%' ORDER BY credit_code LIMIT 1`,
      )
    ).rows.map((r) => [r.credit_code, r.name])[0] as [string, string];
    const res = await as(
      'enforcement-jiefangbei',
      `{ other: complaints(regionCode: "500103002") { totalCount nodes { id } }
         mine: complaints(first: 100) { totalCount nodes { id region { code } } }
         search: enterprises(nameContains: "${name}") { totalCount nodes { creditCode } }
         enterprise(creditCode: "${code}") { creditCode } }`,
    );
    assert.equal(res.status, 200, res.text);
    // The credit code comes back only in the not-found message echoing it.
    assertNoLeak(res, [...foreign, name]);
    const d = data(res);
    assert.equal(d.other.totalCount, 0);
    assert.equal(d.mine.totalCount, own);
    for (const n of d.mine.nodes) assert.match(n.region.code, /^500103001/);
    assert.equal(d.search.totalCount, 0);
    assert.equal(d.enterprise, null);
  });
});

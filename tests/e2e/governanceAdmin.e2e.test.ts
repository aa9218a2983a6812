// Administering the negative list through the gateway, as data officers do
// (README "Administering the negative list"): what they publish, grant,
// revoke and classify takes effect on the running gateway within 2 s, with
// no restart; the administration itself is governed like every department.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  mintToken,
  PURPOSE_HEADER,
  type TokenClaims,
} from '../../gateway/src/identity/index.js';
import {
  demoHeaders,
  postGraphQL,
  TEST_TOKEN_SECRET,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import {
  assertNoLeak,
  findError,
  readPersons,
  scalar,
} from '../utils/security.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const COMPLAINT = `{ complaint(id: "C-20250915-JCK") { summary complainant { id name mobile } } }`;
const PURIFIER = '91500110MAGTNENH14';
const REPRESENTATIVE = `{ enterprise(creditCode: "${PURIFIER}") { name legalRepresentative { id name } } }`;

let t: TestHub;

before(async () => {
  t = await startTestHub();
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

async function as(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
  purpose?: string,
): Promise<GraphQLResponse<any>> {
  return postGraphQL(
    t.hub.gatewayUrl,
    query,
    variables,
    await demoHeaders(user, purpose === undefined ? {} : { purpose }),
  );
}

/** A caller that is not among the demo users (e.g. environment's data officer). */
async function asClaims(
  claims: TokenClaims,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<any>> {
  const token = await mintToken(
    claims,
    new TextEncoder().encode(TEST_TOKEN_SECRET),
  );
  return postGraphQL(t.hub.gatewayUrl, query, variables, {
    authorization: `Bearer ${token}`,
    [PURPOSE_HEADER]: claims.purposes[0] ?? '',
  });
}

function data(res: GraphQLResponse<any>): any {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.errors, undefined, res.text);
  return res.data;
}

/** Polls `probe` until it holds; fails after `ms`. Returns how long it took. */
async function within(
  ms: number,
  what: string,
  probe: () => Promise<boolean>,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    assert.ok(
      performance.now() - started < ms,
      `${what}: not within ${String(ms)} ms`,
    );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const CREATE = `mutation($input: NegativeListEntryInput!) {
  createNegativeListEntry(input: $input) { id version status revision coverage contradictions { kind otherEntry } } }`;
const SUBMIT = `mutation($id: ID!, $version: Int!, $rev: Int!) {
  submitNegativeListEntry(id: $id, version: $version, expectedRevision: $rev) { status revision } }`;
const APPROVE = `mutation($id: ID!, $version: Int!, $rev: Int!) {
  approveNegativeListEntry(id: $id, version: $version, expectedRevision: $rev, comment: "同意") { status revision approver } }`;
const REVOKE = `mutation($id: ID!, $version: Int!, $rev: Int!) {
  revokeNegativeListEntry(id: $id, version: $version, expectedRevision: $rev, comment: "撤销") { status revision } }`;

describe('administering the negative list through the gateway', () => {
  it('publishes an entry with four eyes, and the gateway withholds the field within 2 s; revoking restores it', async () => {
    const [person] = await readPersons(t.tdb.db, [
      await scalar<string>(
        t.tdb.db,
        `SELECT complainant_person_id FROM enforcement.complaints WHERE id = 'C-20250915-JCK'`,
      ),
    ]);
    assert.ok(person);
    // Before: the complainant's mobile arrives masked under G-2025-001.
    const beforeRes = await as('enforcement-jiefangbei', COMPLAINT);
    assert.equal(data(beforeRes).complaint.complainant.mobile.length, 11);

    const created = data(
      await as('publicsecurity-data-officer', CREATE, {
        input: {
          id: 'NL-PS-004',
          ownerDepartment: 'publicsecurity',
          content: {
            selector: { coordinates: ['Person.mobile'] },
            shareClass: 'NOT_SHARED',
            legalBasis: '《中华人民共和国个人信息保护法》第二十八条',
            reason: '手机号一律不予共享 (mobiles are not shared at all)',
            priority: 30,
          },
        },
      }),
    ).createNegativeListEntry;
    assert.deepEqual(
      [created.status, created.revision, created.coverage],
      ['DRAFT', 1, ['Person.mobile']],
    );
    const ids = { id: 'NL-PS-004', version: 1 };
    data(await as('publicsecurity-data-officer', SUBMIT, { ...ids, rev: 1 }));
    // Four eyes: the author cannot approve; the chief can.
    findError(
      await as('publicsecurity-data-officer', APPROVE, { ...ids, rev: 2 }),
      'FORBIDDEN',
      { rule: 'governance:four-eyes' },
    );
    // A draft changes nothing at the gateway.
    assert.equal(
      data(await as('enforcement-jiefangbei', COMPLAINT)).complaint.complainant
        .mobile.length,
      11,
    );
    const approved = data(
      await as('publicsecurity-chief-data-officer', APPROVE, {
        ...ids,
        rev: 2,
      }),
    ).approveNegativeListEntry;
    assert.deepEqual(
      [approved.status, approved.approver],
      ['ACTIVE', 'publicsecurity-chief-data-officer'],
    );
    const published = await within(
      2_000,
      'withheld after publish',
      async () => {
        const res = await as('enforcement-jiefangbei', COMPLAINT);
        return (
          res.errors?.some(
            (e) => e.extensions?.['rule'] === 'negative-list:NL-PS-004@1',
          ) === true
        );
      },
    );
    const withheld = await as('enforcement-jiefangbei', COMPLAINT);
    findError(withheld, 'FORBIDDEN_BY_NEGATIVE_LIST', {
      rule: 'negative-list:NL-PS-004@1',
      path: ['complaint', 'complainant', 'mobile'],
    });
    assertNoLeak(withheld, [person.mobile, person.mobile.slice(-4)]);
    assert.ok(published < 2_000);

    data(
      await as('publicsecurity-chief-data-officer', REVOKE, { ...ids, rev: 3 }),
    );
    await within(2_000, 'shared again after revocation', async () => {
      const res = await as('enforcement-jiefangbei', COMPLAINT);
      return res.errors === undefined;
    });
  });

  it('turns an approved share request into a grant that works at once, and stops with its revocation or expiry', async () => {
    const officer: TokenClaims = {
      sub: 'environment-data-officer',
      dept: 'environment',
      roles: ['data-officer'],
      level: 'CITY',
      region: '500000',
      purposes: ['data-governance'],
    };
    const read = () =>
      as('env-analyst', REPRESENTATIVE, undefined, 'environmental-supervision');
    findError(await read(), 'GRANT_REQUIRED', {
      path: ['enterprise', 'legalRepresentative', 'name'],
    });

    const request = async (expiry: string): Promise<any> =>
      data(
        await asClaims(
          officer,
          `mutation($input: ShareRequestInput!) { requestShare(input: $input) { id revision status dueAt } }`,
          {
            input: {
              entryId: 'NL-PS-002',
              purpose: 'environmental-supervision',
              coordinates: ['Person.name'],
              justification:
                '核对排污企业法定代表人 (check the legal representatives of dischargers)',
              requestedExpiry: expiry,
            },
          },
        ),
      ).requestShare;
    const approve = async (id: string, expiresAt?: string): Promise<any> =>
      data(
        await as(
          'publicsecurity-data-officer',
          `mutation($id: ID!, $decision: ShareApprovalInput) {
             approveShareRequest(id: $id, expectedRevision: 1, decision: $decision) {
               status grant { id inForce expiresAt } } }`,
          {
            id,
            decision: {
              masks: [{ coordinate: 'Person.name', mask: 'NAME' }],
              ...(expiresAt === undefined ? {} : { expiresAt }),
            },
          },
        ),
      ).approveShareRequest;

    const first = await request('2027-06-01T00:00:00+08:00');
    assert.equal(first.status, 'PENDING');
    const approved = await approve(first.id);
    assert.equal(approved.grant.inForce, true);
    await within(2_000, 'granted', async () => {
      const res = await read();
      return (
        res.errors === undefined &&
        /^.\*+$/.test(res.data?.enterprise?.legalRepresentative?.name ?? '')
      );
    });
    data(
      await as(
        'publicsecurity-data-officer',
        `mutation($id: ID!) { revokeGrant(id: $id, reason: "核对完成") { revoked } }`,
        { id: approved.grant.id },
      ),
    );
    await within(
      2_000,
      'revoked',
      async () =>
        (await read()).errors?.some(
          (e) => e.extensions?.['code'] === 'GRANT_REQUIRED',
        ) === true,
    );

    // A grant that expires stops working by itself: no publish, no restart.
    const second = await request('2027-06-01T00:00:00+08:00');
    const expiresAt = new Date(Date.now() + 3_000).toISOString();
    await approve(second.id, expiresAt);
    await within(
      2_000,
      'granted again',
      async () => (await read()).errors === undefined,
    );
    const wait = Date.parse(expiresAt) - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    findError(await read(), 'GRANT_REQUIRED');
  });

  it('withholds unclassified fields from other departments once the city says so, until they are classified', async () => {
    const query = `{ enterprise(creditCode: "${PURIFIER}") { name creditGrade establishedOn } }`;
    const grade = await scalar<string>(
      t.tdb.db,
      `SELECT credit_grade FROM market.enterprises WHERE credit_code = $1`,
      [PURIFIER],
    );
    assert.equal(
      data(await as('env-analyst', query)).enterprise.creditGrade,
      grade,
    );
    const setting = `mutation($v: Boolean!) { setWithholdUnclassified(value: $v) { withholdUnclassified version } }`;
    findError(
      await as('market-data-officer', setting, { v: true }),
      'FORBIDDEN',
      { rule: 'governance:not-permitted' },
    );
    data(await as('city-data-authority', setting, { v: true }));
    await within(
      2_000,
      'unclassified withheld',
      async () =>
        (await as('env-analyst', query)).errors?.some(
          (e) => e.extensions?.['code'] === 'FIELD_NOT_CLASSIFIED',
        ) === true,
    );
    const res = await as('env-analyst', query);
    findError(res, 'FIELD_NOT_CLASSIFIED', {
      rule: 'unclassified-field',
      path: ['enterprise', 'creditGrade'],
    });
    findError(res, 'FIELD_NOT_CLASSIFIED', {
      path: ['enterprise', 'establishedOn'],
    });
    assert.ok(res.data?.enterprise?.name);
    // The owner still reads its own fields.
    assert.equal(
      data(await as('market-data-officer', query)).enterprise.creditGrade,
      grade,
    );
    // Classified: shared again.
    data(
      await as(
        'market-data-officer',
        `mutation { classifyFields(input: [{ coordinate: "Enterprise.creditGrade", tags: ["GENERAL"] }]) { coordinate unclassified } }`,
      ),
    );
    await within(2_000, 'classified field shared', async () => {
      const r = await as('env-analyst', query);
      return r.data?.enterprise?.creditGrade === grade;
    });
    findError(await as('env-analyst', query), 'FIELD_NOT_CLASSIFIED', {
      path: ['enterprise', 'establishedOn'],
    });
    data(await as('city-data-authority', setting, { v: false }));
  });

  it('is governed like every department: roles at the gateway, permissions in the administration', async () => {
    const settings = '{ policySettings { withholdUnclassified } }';
    // The enforcement officer's role has no rule for governance data.
    const officer = await as('enforcement-jiefangbei', settings);
    findError(officer, 'FORBIDDEN', { rule: 'casl:no-rule' });
    // An algorithm reads only its filed inputs.
    findError(await as('algo-ruxi-oil', settings), 'ALGORITHM_INPUT_NOT_FILED');
    // An analyst reads the published list, but may write nothing.
    const published = data(
      await as(
        'env-analyst',
        '{ negativeListEntries { totalCount nodes { id versions { status } } } }',
      ),
    );
    assert.ok(
      published.negativeListEntries.nodes.every((e: any) =>
        e.versions.every((v: any) =>
          ['ACTIVE', 'SUPERSEDED', 'REVOKED'].includes(v.status),
        ),
      ),
    );
    findError(
      await as('env-analyst', CREATE, {
        input: {
          id: 'NL-ENV-009',
          ownerDepartment: 'environment',
          content: {
            selector: { coordinates: ['Reading.value'] },
            shareClass: 'NOT_SHARED',
            legalBasis: 'x',
            reason: 'x',
          },
        },
      }),
      'FORBIDDEN',
      { rule: 'governance:not-permitted' },
    );
    // Bad input gets its code through the gateway, not a 500.
    const bad = await as('publicsecurity-data-officer', CREATE, {
      input: {
        id: 'NL-PS-009',
        ownerDepartment: 'publicsecurity',
        content: {
          selector: { coordinates: ['Person.mobil'] },
          shareClass: 'NOT_SHARED',
          legalBasis: '',
          reason: 'x',
        },
      },
    });
    const error = findError(bad, 'BAD_USER_INPUT');
    assert.match(error.message, /did you mean Person\.mobile\?/);
    assert.match(error.message, /legal basis/);
    // Every call of the administration is in the access log.
    const logged = await scalar<number>(
      t.tdb.db,
      `SELECT count(*)::int FROM audit.access_log WHERE read ? 'governance'`,
    );
    assert.ok(logged > 10, `${String(logged)} records`);
  });
});

// Regression tests for what an independent review found in state shared
// between requests and in the limits around them (issue 12): the plan
// cache served plans decided under other variable values, `Query.explain`
// ran without the request limits and unlogged, list costs ignored
// variables and batches, policy writes were not read-your-writes, and
// suggestions and /health disclosed the schema and the gateway's state.
// Every test goes through the real hub on the real PostgreSQL; secrets are
// read from the database first and must appear nowhere in a response.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { demoHeaders, postBody, postGraphQL } from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import {
  assertNoLeak,
  personalValues,
  readPersonsIn,
  type PersonSecrets,
} from '../utils/security.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

let t: TestHub;
let url: string;
/** Every person of the register (public security's own table). */
let persons: PersonSecrets[];

before(async () => {
  t = await startTestHub({ replayScenarios: false });
  url = t.hub.gatewayUrl;
  persons = await readPersonsIn(t.tdb.db, '50');
  assert.ok(persons.length > 20, 'the demo city has a person register');
});

after(async () => {
  await t[Symbol.asyncDispose]();
});

async function as(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Awaited<ReturnType<typeof postGraphQL<any>>>> {
  return postGraphQL<any>(url, query, variables, await demoHeaders(user));
}

/** Every personal value of every person in the register. */
function everySecret(): string[] {
  return persons.flatMap(personalValues);
}

/** Access-log records of a subject whose operation text contains `text`. */
async function logged(subject: string, text: string): Promise<any[]> {
  const { rows } = await t.tdb.db.query<any>(
    `SELECT read, withheld, outcome, operation_text FROM audit.access_records
      WHERE subject = $1 AND position($2 in operation_text) > 0 ORDER BY seq`,
    [subject, text],
  );
  return rows;
}

describe('plan cache: a plan serves only the variable values it was decided for', () => {
  // Under a = true the analysis reads b, under a = false it reads c: the
  // variables it reads depend on the values. Keying plans on the last
  // plan's list (and on values without names) let the third request hit
  // the first one's plan, in which the register was never decided.
  const register = `publicSecurityRecords(first: 20) { nodes { ... on Person { id name idNumber mobile birthDate householdAddress } } }`;
  const text = `query Flip($a: Boolean!, $b: Boolean!, $c: Boolean!) {
    ... @include(if: $a) { ... @include(if: $b) { __typename } }
    ... @skip(if: $a) { ... @include(if: $c) { register: ${register} } }
  }`;

  it('withholds the register however other callers warmed the cache', async () => {
    const first = await as('env-analyst', text, {
      a: false,
      b: false,
      c: false,
    });
    assert.equal(first.status, 200, first.text);
    // Another caller, another department: the cache is shared.
    const second = await as('water-duty-qijiang', text, {
      a: true,
      b: false,
      c: false,
    });
    assert.equal(second.status, 200, second.text);
    const third = await as('env-analyst', text, {
      a: false,
      b: false,
      c: true,
    });
    assertNoLeak(third, everySecret());
    const codes = new Set(third.errors?.map((e) => e.extensions?.['code']));
    assert.ok(
      codes.has('FORBIDDEN_BY_NEGATIVE_LIST'),
      `the ID numbers are withheld by name: ${third.text.slice(0, 800)}`,
    );
    // And the read is in the access log with what it read and withheld.
    const records = await logged('env-analyst', 'query Flip');
    const last = records.at(-1);
    assert.ok(last, 'the cross-department read is logged');
    assert.ok(
      last.withheld.some((w: any) => w.coordinate === 'Person.idNumber'),
      JSON.stringify(last),
    );
  });

  it('tells an absent variable from an explicit null', async () => {
    // With its default the @skip holds; sent as null it does not (the
    // query planner reads null as false), so the null request must be
    // decided on its own.
    const query = `query Nulls($s: Boolean = true) {
      publicSecurityRecords(first: 20) { nodes { ... on Person {
        id name @skip(if: $s) idNumber @skip(if: $s) mobile @skip(if: $s)
        birthDate @skip(if: $s) householdAddress @skip(if: $s)
      } } }
    }`;
    const absent = await as('env-analyst', query, {});
    assert.equal(absent.status, 200, absent.text);
    assertNoLeak(absent, everySecret());
    for (const variables of [{ s: null }, { s: false }]) {
      const res = await as('env-analyst', query, variables);
      assertNoLeak(res, everySecret());
    }
  });

  it('never runs introspection for a role refused it, whatever warmed the cache', async () => {
    const query = `query Peek($a: Boolean!, $b: Boolean!, $c: Boolean!) {
      ... @include(if: $a) { ... @include(if: $b) { __typename } }
      ... @skip(if: $a) { ... @include(if: $c) { __schema { types { name } } } }
    }`;
    // enforcement-officer may not introspect.
    await as('enforcement-jiefangbei', query, { a: false, b: false, c: false });
    await as('enforcement-jiefangbei', query, { a: true, b: false, c: false });
    const res = await as('enforcement-jiefangbei', query, {
      a: false,
      b: false,
      c: true,
    });
    assert.equal(res.status, 403, res.text);
    assert.doesNotMatch(res.text, /"types"|PublicSecurityRecord/);
    assert.equal(
      res.errors?.[0]?.extensions?.['rule'],
      'introspection-not-allowed',
    );
  });
});

describe('explain: the operation it explains gets the request limits, and is logged', () => {
  const explain = `query Explain($op: String!, $vars: ExplainJSON) {
    explain(operation: $op, variables: $vars) { rewrittenOperation fields { coordinate effect } }
  }`;

  it('refuses an operation over the token, depth or alias limit', async () => {
    const huge = `{ ${Array.from({ length: 1_200 }, (_, i) => `f${i}: __typename`).join(' ')} }`;
    const deep = `{ region(code: "500103001") { ${'parent { '.repeat(14)}name${' }'.repeat(14)} } }`;
    const aliases = `{ ${Array.from({ length: 16 }, (_, i) => `r${i}: region(code: "500103") { name }`).join(' ')} }`;
    for (const [operation, message] of [
      [huge, /more that 1000 tokens/],
      [deep, /depth limit/i],
      [aliases, /Aliases limit/i],
    ] as const) {
      const res = await as('env-analyst', explain, { op: operation });
      const error = res.errors?.find((e) => message.test(e.message));
      assert.ok(error, `${String(message)}: ${res.text.slice(0, 500)}`);
      assert.equal(error.extensions?.['code'], 'BAD_USER_INPUT');
      assert.equal(res.data?.explain ?? null, null);
    }
  });

  it('charges what it explains to the request’s cost budget, across a batch', async () => {
    const costly = `query($n: Int) { enterprises(first: $n) { nodes { violations(first: $n) { nodes { category } } inspections(first: $n) { nodes { id } } } } }`;
    const one = await as('env-analyst', explain, {
      op: costly,
      vars: { n: 100 },
    });
    assert.match(one.text, /Cost limit of 200000 exceeded/);
    assert.equal(one.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
    // Five explains of an operation that costs 51,827 do not fit in one
    // request's budget.
    const modest = `{ enterprises(first: 100) { nodes { name creditCode violations(first: 30) { nodes { category occurredOn } } } } }`;
    const headers = await demoHeaders('env-analyst');
    const batch = await postBody<any>(
      url,
      JSON.stringify(
        Array.from({ length: 5 }, () => ({
          query: explain,
          variables: { op: modest },
        })),
      ),
      { 'content-type': 'application/json', ...headers },
    );
    const answers = JSON.parse(batch.text) as any[];
    const refused = answers.filter((a) =>
      a.errors?.some((e: any) => /Cost limit/.test(e.message)),
    );
    assert.ok(answers[0].data?.explain, batch.text.slice(0, 500));
    assert.ok(
      refused.length > 0,
      `the batch runs out of budget: ${batch.text.slice(0, 3000)}`,
    );
  });

  it('records explain and introspection in the access log', async () => {
    const operation = `{ person(id: "${persons[0]?.id ?? ''}") { name idNumber } }`;
    const res = await as(
      'env-analyst',
      explain.replace('query Explain', 'query ExplainLogged'),
      { op: operation },
    );
    assert.equal(res.errors, undefined, res.text);
    assert.equal(
      (await logged('env-analyst', 'query ExplainLogged')).length,
      1,
    );
    const introspection = await as(
      'env-analyst',
      `query Types { __schema { queryType { name } } }`,
    );
    assert.equal(introspection.errors, undefined, introspection.text);
    assert.equal((await logged('env-analyst', 'query Types')).length, 1);
    // A refused introspection is recorded too.
    await as(
      'enforcement-jiefangbei',
      `query Refused { __schema { types { name } } }`,
    );
    const refused = await logged('enforcement-jiefangbei', 'query Refused');
    assert.deepEqual(
      refused.map((r) => r.outcome),
      ['REJECTED'],
    );
  });
});

describe('cost: lists count at the page size the variables ask for, and a batch shares one budget', () => {
  // Fifteen aliases of a page of enterprises with their violations.
  const pages = (n: string): string =>
    `query Pages($n: Int) { ${Array.from(
      { length: 15 },
      (_, i) =>
        `e${i}: enterprises(first: ${n}) { nodes { name creditCode industry status address violations(first: ${n}) { nodes { category occurredOn } } } }`,
    ).join(' ')} }`;

  it('costs `first: $n` with the value sent', async () => {
    const res = await as('market-data-officer', pages('$n'), { n: 100 });
    assert.equal(res.status, 400, res.text.slice(0, 300));
    assert.match(res.text, /Cost limit of 200000 exceeded/);
    assert.equal(
      res.errors?.[0]?.extensions?.['code'],
      'GRAPHQL_VALIDATION_FAILED',
    );
    const small = await as('market-data-officer', pages('$n'), { n: 1 });
    assert.equal(small.status, 200, small.text.slice(0, 300));
    assert.equal(small.errors, undefined, small.text.slice(0, 300));
  });

  it('costs an absent `first` at the default page size', async () => {
    // 106,905 at 20 items a page (564.4 at one): two of them do not fit in
    // one request.
    const headers = await demoHeaders('market-data-officer');
    const twice = async (variables: Record<string, unknown>): Promise<any[]> =>
      JSON.parse(
        (
          await postBody<any>(
            url,
            JSON.stringify([
              { query: pages('$n'), variables },
              { query: pages('$n'), variables },
            ]),
            { 'content-type': 'application/json', ...headers },
          )
        ).text,
      ) as any[];
    const absent = await twice({});
    assert.ok(absent[0].data?.e0, JSON.stringify(absent[0]).slice(0, 300));
    assert.match(
      JSON.stringify(absent[1]),
      /Cost limit of 200000 exceeded: the operation costs 106905 on top of 106905/,
    );
    const small = await twice({ n: 1 });
    assert.ok(small.every((a) => a.data?.e0 && a.errors === undefined));
  });

  it('gives a batch one budget', async () => {
    // 27,189.5 each: ten of them cost 271,895.
    const one = `{ enterprises(first: 100) { nodes { name creditCode industry status address violations(first: 15) { nodes { category occurredOn } } } } }`;
    const headers = await demoHeaders('market-data-officer');
    const single = await postGraphQL<any>(url, one, undefined, headers);
    assert.equal(single.errors, undefined, single.text.slice(0, 300));
    const batch = await postBody<any>(
      url,
      JSON.stringify(Array.from({ length: 10 }, () => ({ query: one }))),
      { 'content-type': 'application/json', ...headers },
    );
    const answers = JSON.parse(batch.text) as any[];
    assert.equal(answers.length, 10);
    const served = answers.filter((a) => a.data?.enterprises);
    const refused = answers.filter((a) =>
      a.errors?.some((e: any) => /Cost limit of 200000/.test(e.message)),
    );
    assert.ok(
      served.length > 0 && served.length < 10,
      batch.text.slice(0, 300),
    );
    assert.equal(served.length + refused.length, 10);
  });
});

describe('disclosure: suggestions and /health', () => {
  it('hides every suggestion form, from a role that may not introspect as from one that may', async () => {
    for (const query of [
      `{ publicSecurityRecords { nodes { idNumber } } }`, // inline fragment form
      `{ region(code: "500103") { nam } }`, // field form
      `{ alerts(status: NEWW) { totalCount } }`, // enum form
    ]) {
      for (const user of ['enforcement-jiefangbei', 'env-analyst']) {
        const res = await as(user, query);
        assert.equal(res.status, 400, res.text);
        assert.doesNotMatch(res.text, /Did you mean|inline fragment on/, query);
      }
    }
  });

  it('tells liveness only without an operator token', async () => {
    const open = (await (await fetch(new URL('/health', url))).json()) as any;
    assert.deepEqual(Object.keys(open).sort(), ['gateway', 'status']);
    const analyst = await demoHeaders('env-analyst');
    const asAnalyst = (await (
      await fetch(new URL('/health', url), {
        headers: { authorization: analyst['authorization'] ?? '' },
      })
    ).json()) as any;
    assert.deepEqual(Object.keys(asAnalyst).sort(), ['gateway', 'status']);
    const operator = await demoHeaders('hub-operator');
    const details = (await (
      await fetch(new URL('/health', url), {
        headers: { authorization: operator['authorization'] ?? '' },
      })
    ).json()) as any;
    assert.equal(typeof details.policyVersion, 'string');
    assert.ok(details.planCache);
    assert.equal(details.subgraphs.publicsecurity, 'ok');
  });
});

describe('row scope: a reference to a row outside the caller’s scope is null, whatever is selected on it', () => {
  // Found by the property test (seed 3, case 2408): a reference selecting
  // only the key was answered from the referencing department's stub, so
  // the row's home — where the caller's scope applies — was never asked.
  it('answers a responsible person outside the district as null, and one inside as the person', async () => {
    const { rows } = await t.tdb.db.query<{
      id: string;
      person: string;
      inside: boolean;
    }>(
      `SELECT r.id, p.id AS person, p.region_code LIKE '500103%' AS inside
         FROM emergency.risk_items r JOIN publicsecurity.persons p ON p.id = r.responsible_person_id
        WHERE r.region_code LIKE '500103%' ORDER BY r.id`,
    );
    const out = rows.find((r) => !r.inside);
    const inside = rows.find((r) => r.inside);
    assert.ok(
      out && inside,
      'Yuzhong has risk items with people from inside and outside the district',
    );
    const query = `query Refs($out: ID!, $in: ID!) {
      out: riskItem(id: $out) { id responsiblePerson { id } }
      bare: riskItem(id: $out) { responsiblePerson { __typename } }
      spread: riskItem(id: $out) { ... on RiskItem { responsiblePerson { ...Key } } }
      in: riskItem(id: $in) { id responsiblePerson { id } }
    }
    fragment Key on Person { personId: id }`;
    const res = await as('police-crowd-yuzhong', query, {
      out: out.id,
      in: inside.id,
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.errors, undefined, res.text);
    const data = (JSON.parse(res.text) as any).data;
    assert.equal(data.out.id, out.id, res.text);
    assert.equal(data.out.responsiblePerson, null, res.text);
    assert.equal(data.bare.responsiblePerson, null, res.text);
    assert.equal(data.spread.responsiblePerson, null, res.text);
    assert.deepEqual(
      data.in.responsiblePerson,
      { id: inside.person },
      res.text,
    );
    assert.ok(
      !res.text.includes(out.person),
      'the outside person’s id is nowhere in the body',
    );
    assert.ok(
      !res.text.includes('__govgraph'),
      'the gateway’s probes are stripped',
    );
    // A city-level caller's scope does not restrict people: the reference stays.
    const city = await as(
      'emergency-duty',
      `{ riskItem(id: "${out.id}") { responsiblePerson { id } } }`,
    );
    assert.deepEqual(
      (JSON.parse(city.text) as any).data.riskItem.responsiblePerson,
      { id: out.person },
      city.text,
    );
  });

  it('answers merchants outside the street as null in a complaint’s list', async () => {
    // A complaint about a chain whose licence is registered in another
    // district: its merchant is outside the Jiefangbei officer's street.
    const { rows: elsewhere } = await t.tdb.db.query<{ code: string }>(
      `SELECT credit_code AS code FROM market.enterprises
        WHERE region_code NOT LIKE '500103%' ORDER BY credit_code LIMIT 1`,
    );
    await t.tdb.db.query(
      `INSERT INTO enforcement.complaint_merchants (complaint_id, credit_code)
       VALUES ('C-20250915-JCK', $1) ON CONFLICT DO NOTHING`,
      [elsewhere[0]?.code],
    );
    const { rows } = await t.tdb.db.query<{
      complaint: string;
      code: string;
      inside: boolean;
    }>(
      `SELECT c.id AS complaint, e.credit_code AS code, e.region_code LIKE '500103001%' AS inside
         FROM enforcement.complaints c
         JOIN enforcement.complaint_merchants m ON m.complaint_id = c.id
         JOIN market.enterprises e ON e.credit_code = m.credit_code
        WHERE c.region_code LIKE '500103001%' ORDER BY c.id, e.credit_code`,
    );
    const outside = rows.filter((r) => !r.inside);
    assert.ok(
      outside.length > 0 && rows.some((r) => r.inside),
      JSON.stringify(rows),
    );
    const complaints = [...new Set(rows.map((r) => r.complaint))];
    for (const id of complaints) {
      const res = await as(
        'enforcement-jiefangbei',
        `{ complaint(id: "${id}") { merchants(first: 50) { nodes { creditCode } } } }`,
      );
      assert.equal(res.status, 200, res.text);
      const nodes: any[] = (JSON.parse(res.text) as any).data.complaint
        .merchants.nodes;
      const expected = rows
        .filter((r) => r.complaint === id)
        .map((r) => (r.inside ? { creditCode: r.code } : null));
      assert.deepEqual(
        [...nodes].sort((a, b) =>
          String(a?.creditCode).localeCompare(String(b?.creditCode)),
        ),
        [...expected].sort((a, b) =>
          String(a?.creditCode).localeCompare(String(b?.creditCode)),
        ),
        res.text,
      );
      for (const r of outside) assert.ok(!res.text.includes(r.code), res.text);
    }
  });
});

describe('read-your-writes: a policy write is in force when its mutation answers', () => {
  it('withholds the complainant’s name on the very next read after revokeGrant', async () => {
    const read = `{ complaint(id: "C-20250915-JCK") { complainant { name } } }`;
    const before = await as('enforcement-jiefangbei', read);
    assert.equal(before.errors, undefined, before.text);
    const versionBefore = t.hub.policy.current().policy.version;
    const revoked = await as(
      'publicsecurity-data-officer',
      `mutation { revokeGrant(id: "G-2025-001", reason: "核对完成") { revoked } }`,
    );
    assert.equal(revoked.errors, undefined, revoked.text);
    const version = (JSON.parse(revoked.text) as any).extensions?.policyVersion;
    assert.notEqual(version, versionBefore);
    assert.equal(version, t.hub.policy.current().policy.version, revoked.text);
    for (let i = 0; i < 5; i += 1) {
      const res = await as('enforcement-jiefangbei', read);
      assert.ok(
        res.errors?.some((e) => e.extensions?.['code'] === 'GRANT_REQUIRED'),
        `read ${i} after the revocation answered: ${res.text}`,
      );
    }
  });
});

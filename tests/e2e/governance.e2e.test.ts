// The governed gateway end to end, over the seeded demo policy: withheld
// fields and their errors, masking, strict mode, explain (query and CLI),
// introspection per role, row scope, the plan cache, and the access log
// (records, chain, fail closed).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';

import { verifyAccessLog } from '../../policies/store/src/audit/index.js';
import { createGateway } from '../../gateway/src/createGateway.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../subgraphs/kit/src/index.js';
import { sha256 } from '../../subgraphs/kit/src/index.js';
import { readSupergraphFile } from '../../subgraphs/kit/src/index.js';
import { createLogger } from '../../subgraphs/kit/src/index.js';
import { testGovernance } from '../utils/governance.js';
import { PURPOSE_HEADER } from '../../gateway/src/identity/index.js';
import {
  demoHeaders,
  postBody,
  postGraphQL,
  testIdentity,
  testSigningKey,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import { LAUNCHER } from '../utils/processes.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- deep response walks */

let t: TestHub;
let url: string;

before(async () => {
  t = await startTestHub();
  url = t.hub.gatewayUrl;
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

async function as<T = any>(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(url, query, variables, {
    ...(await demoHeaders(user)),
    ...extraHeaders,
  });
}

async function complainant(): Promise<{
  id: string;
  name: string;
  mobile: string;
  id_number: string;
}> {
  const { rows } = await t.tdb.db.query<{
    id: string;
    name: string;
    mobile: string;
    id_number: string;
  }>(
    `SELECT p.id, p.name, p.mobile, p.id_number
       FROM enforcement.complaints c JOIN publicsecurity.persons p ON p.id = c.complainant_person_id
      WHERE c.id = 'C-20250915-JCK'`,
  );
  const row = rows[0];
  assert.ok(row, 'the seeded complaint has a complainant');
  return row;
}

async function logRows(): Promise<any[]> {
  const { rows } = await t.tdb.db.query(
    'SELECT seq, subject, department, purpose, operation_name, read, withheld, masked, outcome FROM audit.access_log ORDER BY seq',
  );
  return rows;
}

const COMPLAINT = `query Complaint {
  complaint(id: "C-20250915-JCK") {
    summary
    complainant { id name mobile idNumber }
  }
}`;

describe('governed gateway: withheld and masked fields', () => {
  it('masks granted fields, withholds the ID number with its rule, and keeps the rest', async () => {
    const person = await complainant();
    const res = await as('enforcement-jiefangbei', COMPLAINT);
    assert.equal(res.status, 200, res.text);
    const c = res.data.complaint;
    assert.ok(c.summary, 'the complaint itself arrives');
    assert.equal(c.complainant.id, person.id);
    assert.equal(c.complainant.name, `${person.name.slice(0, 1)}**`);
    assert.equal(
      c.complainant.mobile,
      `${person.mobile.slice(0, 3)}****${person.mobile.slice(-4)}`,
    );
    // A withheld non-null field is left out, not null, and wipes nothing.
    assert.equal('idNumber' in c.complainant, false);
    assert.deepEqual(res.errors, [
      {
        message: res.errors?.[0]?.message,
        path: ['complaint', 'complainant', 'idNumber'],
        extensions: {
          code: 'FORBIDDEN_BY_NEGATIVE_LIST',
          rule: 'negative-list:NL-PS-001@1',
          reason: res.errors?.[0]?.extensions?.['reason'],
          coordinate: 'Person.idNumber',
        },
      },
    ]);
    for (const secret of [person.id_number, person.mobile, person.name]) {
      assert.equal(res.text.includes(secret), false, `leaked ${secret}`);
    }
  });

  it('answers GRANT_REQUIRED and FORBIDDEN_BY_NEGATIVE_LIST by purpose', async () => {
    const query = `{ complaint(id: "C-20250915-JCK") { complainant { name } } }`;
    const noGrant = await as('env-analyst', query, undefined, {
      [PURPOSE_HEADER]: 'environmental-supervision',
    });
    assert.equal(noGrant.errors?.[0]?.extensions?.['code'], 'GRANT_REQUIRED');
    const excluded = await as('env-analyst', query);
    assert.equal(
      excluded.errors?.[0]?.extensions?.['code'],
      'FORBIDDEN_BY_NEGATIVE_LIST',
    );
  });

  it('refuses the whole operation in strict mode, naming every withheld field', async () => {
    const res = await as('enforcement-jiefangbei', COMPLAINT, undefined, {
      'x-govgraph-strict': 'true',
    });
    assert.equal(res.data, undefined, res.text);
    assert.deepEqual(
      res.errors?.map((e) => e.extensions?.['coordinate']),
      ['Person.idNumber'],
    );
    assert.doesNotMatch(res.text, /summary/);
  });

  it('answers an operation of nothing but withheld fields with empty data and the errors', async () => {
    const res = await as(
      'algo-ruxi-oil',
      `{ region(code: "500103") { name } }`,
    );
    assert.deepEqual(res.data, {});
    assert.equal(
      res.errors?.[0]?.extensions?.['code'],
      'ALGORITHM_INPUT_NOT_FILED',
    );
  });

  it('refuses names the gateway reserves for itself', async () => {
    const res = await as(
      'env-analyst',
      `{ region(code: "500103") { __govgraph_typename: name } }`,
    );
    assert.equal(res.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
    assert.equal(res.data, undefined);
  });
});

describe('governed gateway: row scope', () => {
  it('shows a district principal only its district, with counts to match', async () => {
    const res = await as(
      'water-duty-qijiang',
      `{ monitoringSections(first: 100) { totalCount nodes { id region { code } } } }`,
    );
    assert.equal(res.errors, undefined, res.text);
    const { rows } = await t.tdb.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM environment.sections WHERE region_code LIKE '500110%'`,
    );
    assert.equal(res.data.monitoringSections.totalCount, rows[0]?.n);
    assert.ok(res.data.monitoringSections.totalCount > 0);
    for (const node of res.data.monitoringSections.nodes) {
      assert.match(node.region.code, /^500110/);
    }
  });
});

describe('governed gateway: explain', () => {
  it('lists every field with its decision and rule, without running the operation', async () => {
    const res = await as(
      'enforcement-jiefangbei',
      `query($op: String!) { explain(operation: $op) {
        operationName policyVersion rejectedInStrictMode crossDepartment rowScope
        fields { coordinate effect code rule mask owners }
      } }`,
      { op: COMPLAINT },
    );
    assert.equal(res.errors, undefined, res.text);
    const e = res.data.explain;
    assert.equal(e.operationName, 'Complaint');
    assert.equal(e.rejectedInStrictMode, true);
    assert.equal(e.crossDepartment, true);
    const byCoordinate = new Map(e.fields.map((f: any) => [f.coordinate, f]));
    assert.deepEqual(byCoordinate.get('Person.idNumber'), {
      coordinate: 'Person.idNumber',
      effect: 'DENY',
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-PS-001@1',
      mask: null,
      owners: ['publicsecurity'],
    });
    assert.equal((byCoordinate.get('Person.mobile') as any).mask, 'MOBILE');
    assert.equal(
      (byCoordinate.get('Complaint.summary') as any).rule,
      'own-department',
    );
    assert.deepEqual(e.rowScope.region, '500103001');
    const person = await complainant();
    assert.equal(res.text.includes(person.mobile), false);
  });

  it('answers an operation that does not parse or validate with BAD_USER_INPUT', async () => {
    for (const op of ['{ complaint(', '{ nope }']) {
      const res = await as(
        'env-analyst',
        `query($op: String!) { explain(operation: $op) { policyVersion } }`,
        { op },
      );
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'BAD_USER_INPUT',
        res.text,
      );
    }
  });

  it('prints the same through `npm run explain`', async () => {
    const headers = await demoHeaders('enforcement-jiefangbei');
    const token = (headers['authorization'] ?? '').replace(/^Bearer /, '');
    const out = await new Promise<{ code: number; stdout: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [
            LAUNCHER,
            'gateway/src/explainMain.ts',
            '--gateway',
            url,
            '--token',
            token,
            '--purpose',
            'complaint-handling',
            '-e',
            COMPLAINT,
          ],
          { cwd: new URL('../..', import.meta.url) },
          (error, stdout) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
        );
      },
    );
    assert.equal(out.code, 0, out.stdout);
    assert.match(
      out.stdout,
      /Person\.idNumber\s+DENY FORBIDDEN_BY_NEGATIVE_LIST\s+negative-list:NL-PS-001@1/,
    );
    assert.match(out.stdout, /Person\.mobile\s+MASK MOBILE\s+grant:G-2025-001/);
  });
});

describe('governed gateway: introspection', () => {
  const TYPE = `{ __type(name: "Person") { fields { name } } }`;

  it('shows a role allowed to introspect only the fields it may use', async () => {
    const res = await as('env-analyst', TYPE);
    assert.equal(res.errors, undefined, res.text);
    const fields = res.data.__type.fields.map((f: any) => f.name);
    assert.ok(fields.includes('id'));
    assert.equal(fields.includes('idNumber'), false);
    assert.equal(fields.includes('mobile'), false);
    const own = await as('police-crowd-yuzhong', TYPE);
    const ownFields = own.data.__type.fields.map((f: any) => f.name);
    assert.ok(ownFields.includes('mobile'), 'its own department’s field');
    assert.equal(ownFields.includes('idNumber'), false, 'its role forbids it');
  });

  it('refuses introspection to roles without it, and mixed operations', async () => {
    const refused = await as('enforcement-jiefangbei', TYPE);
    assert.equal(refused.status, 403);
    assert.equal(refused.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
    assert.equal(
      refused.errors?.[0]?.extensions?.['rule'],
      'introspection-not-allowed',
    );
    const mixed = await as(
      'env-analyst',
      `{ __schema { queryType { name } } region(code: "500103") { name } }`,
    );
    assert.equal(mixed.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
  });
});

describe('governed gateway: plan cache', () => {
  it('reuses the governed plan for the same operation, caller kind and policy', async () => {
    const query = `{ enterprises(first: 2) { totalCount } }`;
    await as('market-data-officer', query);
    const before = t.hub.gateway.governance.planCache;
    const res = await as('market-data-officer', query);
    assert.equal(res.errors, undefined, res.text);
    const after = t.hub.gateway.governance.planCache;
    assert.equal(after.hits, before.hits + 1);
    assert.equal(after.misses, before.misses);
  });
});

describe('governed gateway: access log', () => {
  it('appends a record per cross-department read, none for own-department reads, and verifies', async () => {
    const before = (await logRows()).length;
    await as('market-data-officer', `{ enterprises(first: 1) { totalCount } }`);
    assert.equal((await logRows()).length, before, 'own department: no record');
    await as('enforcement-jiefangbei', COMPLAINT);
    const rows = await logRows();
    assert.equal(rows.length, before + 1);
    const record = rows.at(-1);
    assert.equal(record.subject, 'enforcement-jiefangbei');
    assert.equal(record.department, 'enforcement');
    assert.equal(record.purpose, 'complaint-handling');
    assert.equal(record.operation_name, 'Complaint');
    assert.equal(record.outcome, 'PARTIAL');
    assert.deepEqual(record.read.publicsecurity, [
      'Person.mobile',
      'Person.name',
    ]);
    assert.deepEqual(
      record.withheld.map((w: any) => [w.coordinate, w.code, w.rule]),
      [
        [
          'Person.idNumber',
          'FORBIDDEN_BY_NEGATIVE_LIST',
          'negative-list:NL-PS-001@1',
        ],
      ],
    );
    assert.deepEqual(
      record.masked.map((m: any) => [m.coordinate, m.mask, m.rule]).sort(),
      [
        ['Person.mobile', 'MOBILE', 'grant:G-2025-001'],
        ['Person.name', 'NAME', 'grant:G-2025-001'],
      ],
    );
    const verification = await verifyAccessLog(t.tdb.db);
    assert.equal(verification.ok, true, JSON.stringify(verification.problems));
  });

  it('finds a record altered behind the gateway’s back', async () => {
    await as('enforcement-jiefangbei', COMPLAINT);
    await t.tdb.db.exec(
      `ALTER TABLE audit.access_log DISABLE TRIGGER ALL;
       UPDATE audit.access_log SET subject = 'someone-else' WHERE seq = (SELECT max(seq) FROM audit.access_log);
       ALTER TABLE audit.access_log ENABLE TRIGGER ALL`,
    );
    const verification = await verifyAccessLog(t.tdb.db);
    assert.equal(verification.ok, false);
    // Put it back for the tests after this one.
    await t.tdb.db.exec(
      `ALTER TABLE audit.access_log DISABLE TRIGGER ALL;
       UPDATE audit.access_log SET subject = 'enforcement-jiefangbei' WHERE seq = (SELECT max(seq) FROM audit.access_log);
       ALTER TABLE audit.access_log ENABLE TRIGGER ALL`,
    );
    assert.equal((await verifyAccessLog(t.tdb.db)).ok, true);
  });

  it('refuses cross-department reads while the log cannot be written (fail closed), and recovers', async () => {
    const person = await complainant();
    await t.tdb.db.exec(
      'ALTER TABLE audit.access_log RENAME TO access_log_moved',
    );
    try {
      const refused = await as('enforcement-jiefangbei', COMPLAINT);
      assert.equal(refused.status, 503, refused.text);
      assert.equal(refused.data, undefined);
      assert.equal(
        refused.errors?.[0]?.extensions?.['code'],
        'AUDIT_UNAVAILABLE',
      );
      assert.equal(refused.text.includes(person.id), false);
      const own = await as(
        'enforcement-jiefangbei',
        `{ complaint(id: "C-20250915-JCK") { summary } }`,
      );
      assert.equal(own.errors, undefined, 'own-department reads go on');
    } finally {
      await t.tdb.db.exec(
        'ALTER TABLE audit.access_log_moved RENAME TO access_log',
      );
    }
    const again = await as('enforcement-jiefangbei', COMPLAINT);
    assert.ok(again.data?.complaint, again.text);
    assert.equal((await verifyAccessLog(t.tdb.db)).ok, true);
  });
});

describe('governed gateway: safelist mode', () => {
  it('runs only the operations of the manifest, sent as text or by hash', async () => {
    const listed = `{ enterprises(first: 1) { totalCount } }`;
    const gateway = createGateway(
      {
        supergraphSdl: await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH),
        subgraphUrls: Object.fromEntries(
          t.hub.subgraphs.map((s) => [s.name, s.url]),
        ),
        signing: testSigningKey,
        identity: testIdentity,
        governance: testGovernance({ safelist: new Set([sha256(listed)]) }),
      },
      { logger: createLogger('safelist-test', 'silent') },
    );
    const served = await gateway.listen({ port: 0 });
    try {
      const headers = await demoHeaders('market-data-officer');
      const ok = await postGraphQL<any>(served.url, listed, undefined, headers);
      assert.equal(ok.errors, undefined, ok.text);
      assert.ok(ok.data.enterprises.totalCount > 0);
      const persisted = {
        extensions: {
          persistedQuery: { version: 1, sha256Hash: sha256(listed) },
        },
      };
      const registered = await postBody<any>(
        served.url,
        JSON.stringify({ query: listed, ...persisted }),
        headers,
      );
      assert.equal(registered.errors, undefined, registered.text);
      const byHash = await postBody<any>(
        served.url,
        JSON.stringify(persisted),
        headers,
      );
      assert.equal(byHash.errors, undefined, byHash.text);
      assert.deepEqual(byHash.data, ok.data);
      const other = await postGraphQL(
        served.url,
        `{ enterprises(first: 2) { totalCount } }`,
        undefined,
        headers,
      );
      assert.equal(other.status, 403);
      assert.equal(other.data, undefined);
      assert.equal(
        other.errors?.[0]?.extensions?.['code'],
        'OPERATION_NOT_IN_SAFELIST',
      );
    } finally {
      await served.close();
    }
  });
});

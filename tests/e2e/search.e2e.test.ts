// Search of the risk inventory and of alerts through the gateway: Chinese
// keywords, filters, facets, cursors, bad input, and the same row scope and
// field policy as the rest of the graph.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  readPolicyDocument,
  writePolicyDocument,
} from '../../policies/store/src/policy/index.js';
import { demoHeaders, postGraphQL } from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

let t: TestHub;
let url: string;

before(async () => {
  t = await startTestHub();
  url = t.hub.gatewayUrl;
  // Everything the seeding wrote is indexed before the first search.
  await t.hub.search.flush();
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

async function search(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
  purpose?: string,
): Promise<{ data: any; errors: any[] | undefined; text: string }> {
  const res = await postGraphQL(
    url,
    query,
    variables,
    await demoHeaders(user, purpose === undefined ? {} : { purpose }),
  );
  return { data: res.data as any, errors: res.errors, text: res.text };
}

const RISK_SEARCH = `query ($text: String, $filter: RiskItemSearchFilter, $facets: [SearchFacetField!], $first: Int, $after: String, $sort: SearchSort) {
  searchRiskItems(text: $text, filter: $filter, facets: $facets, first: $first, after: $after, sort: $sort) {
    totalCount
    hits { score item { id name level region { code } } highlights { field fragments } }
    facets { field buckets { value count category { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function dbCount(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await t.tdb.db.query<{ n: string }>(sql, values);
  return Number(rows[0]?.n ?? 0);
}

describe('search through the gateway', () => {
  it('matches two-character Chinese words, highlights them and counts exactly', async () => {
    const res = await search('emergency-duty', RISK_SEARCH, {
      text: '危化',
      facets: ['LEVEL', 'CATEGORY'],
      first: 10,
    });
    assert.equal(res.errors, undefined, res.text);
    const result = res.data.searchRiskItems;
    // Every item whose name, address, measures or category name says 危化.
    const expected = await dbCount(
      `SELECT count(*) AS n FROM emergency.risk_items r
         JOIN emergency.risk_categories c ON c.code = r.category_code
        WHERE r.name LIKE '%危化%' OR r.address LIKE '%危化%'
           OR c.name LIKE '%危化%'
           OR array_to_string(r.disposal_measures, '|') LIKE '%危化%'`,
    );
    assert.ok(expected > 0);
    assert.equal(result.totalCount, expected);
    assert.equal(result.hits.length, 10);
    for (const hit of result.hits) {
      const marked = hit.highlights.flatMap((h: any) => h.fragments).join('');
      assert.match(marked, /<em>危化<\/em>/, JSON.stringify(hit));
    }
    const levels = result.facets.find((f: any) => f.field === 'LEVEL');
    assert.equal(
      levels.buckets.reduce((n: number, b: any) => n + b.count, 0),
      expected,
      'every item has one level',
    );
    const categories = result.facets.find((f: any) => f.field === 'CATEGORY');
    assert.ok(
      categories.buckets.some((b: any) => /危化/.test(b.category.name)),
    );
  });

  it('finds the oil-slick risk by 油污 and pages through every hit once', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 50; page += 1) {
      const res = await search('emergency-duty', RISK_SEARCH, {
        text: '油污',
        first: 7,
        after,
      });
      assert.equal(res.errors, undefined, res.text);
      const r = res.data.searchRiskItems;
      total = r.totalCount;
      for (const hit of r.hits) {
        assert.ok(!seen.has(hit.item.id), `${hit.item.id} twice`);
        seen.add(hit.item.id);
      }
      if (!r.pageInfo.hasNextPage) break;
      after = r.pageInfo.endCursor;
    }
    assert.ok(seen.has('RI-RUXI-LIRANG'), [...seen].join());
    assert.equal(seen.size, total);
  });

  it('filters by category, level, district, status, department and time, and sorts', async () => {
    const res = await search('emergency-duty', RISK_SEARCH, {
      filter: {
        regionCodes: ['500110'],
        levels: ['HIGH', 'MAJOR'],
        updatedSince: '2020-01-01',
      },
      facets: ['DISTRICT', 'RESPONSIBLE_DEPARTMENT'],
      sort: { field: 'LEVEL', order: 'DESC' },
      first: 50,
    });
    assert.equal(res.errors, undefined, res.text);
    const r = res.data.searchRiskItems;
    const expected = await dbCount(
      `SELECT count(*) AS n FROM emergency.risk_items
        WHERE region_code LIKE '500110%' AND level IN ('HIGH', 'MAJOR')`,
    );
    assert.equal(r.totalCount, expected);
    assert.deepEqual(
      r.facets[0].buckets.map((b: any) => [b.value, b.count]),
      [['500110', expected]],
    );
    const ranks = r.hits.map((h: any) => (h.item.level === 'MAJOR' ? 2 : 1));
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => b - a),
      'MAJOR before HIGH',
    );
    assert.ok(
      r.hits.every((h: any) => h.item.region.code.startsWith('500110')),
    );
  });

  it('keeps a district officer inside their district, hits and counts alike', async () => {
    // 綦江区水利局: district 500110.
    const own = await search('water-duty-qijiang', RISK_SEARCH, {
      text: '风险',
      facets: ['DISTRICT'],
      first: 100,
    });
    assert.equal(own.errors, undefined, own.text);
    const r = own.data.searchRiskItems;
    assert.ok(r.totalCount > 0);
    assert.deepEqual(
      r.facets[0].buckets.map((b: any) => b.value),
      ['500110'],
      'no other district, not even as a count',
    );
    assert.ok(
      r.hits.every((h: any) => h.item.region.code.startsWith('500110')),
    );
    const cityWide = await search('emergency-duty', RISK_SEARCH, {
      text: '风险',
      filter: { regionCodes: ['500110'] },
    });
    assert.equal(r.totalCount, cityWide.data.searchRiskItems.totalCount);

    // Asking for another district finds nothing and counts nothing.
    const other = await search('water-duty-qijiang', RISK_SEARCH, {
      text: '风险',
      filter: { regionCodes: ['500103'] },
      facets: ['DISTRICT', 'CATEGORY'],
    });
    assert.equal(other.errors, undefined, other.text);
    assert.equal(other.data.searchRiskItems.totalCount, 0);
    assert.deepEqual(
      other.data.searchRiskItems.facets.map((f: any) => f.buckets),
      [[], []],
    );
  });

  it('never matches or highlights a negative-listed field, and its values are nowhere in the body', async () => {
    // Addresses name their town: 三角镇 (綦江区), where 寨溪大桥 is.
    const { rows } = await t.tdb.db.query<{ address: string }>(
      `SELECT address FROM emergency.risk_items WHERE address LIKE '%三角镇%'`,
    );
    const addresses = rows.map((r) => r.address);
    assert.ok(addresses.length > 0);
    const query = { text: '三角镇', first: 100 };
    const before = await search('water-duty-qijiang', RISK_SEARCH, query);
    assert.equal(before.errors, undefined, before.text);
    assert.ok(
      before.data.searchRiskItems.hits.some((h: any) =>
        h.highlights.some((x: any) => x.field === 'address'),
      ),
      before.text,
    );

    // Publish: addresses of risk items are not shared with other departments.
    const doc = await readPolicyDocument(t.tdb.db);
    await writePolicyDocument(t.tdb.db, {
      ...doc,
      entries: [
        ...doc.entries,
        {
          id: 'NL-EMG-TEST-ADDRESS',
          version: 1,
          ownerDepartment: 'emergency',
          selector: { coordinates: ['RiskItem.address'] },
          shareClass: 'NOT_SHARED',
          legalBasis: '《中华人民共和国数据安全法》第二十一条',
          reason: 'test: risk item addresses stay with emergency management',
          priority: 50,
          status: 'ACTIVE',
          author: 'emergency-data-officer',
          approver: 'emergency-chief-data-officer',
        },
      ],
    });
    await t.hub.policy.refresh();
    try {
      const after = await search('water-duty-qijiang', RISK_SEARCH, query);
      assert.equal(after.errors, undefined, after.text);
      const r = after.data.searchRiskItems;
      assert.ok(
        r.totalCount < before.data.searchRiskItems.totalCount,
        `${String(r.totalCount)} hits: matching the address no longer counts`,
      );
      for (const h of r.hits) {
        assert.ok(
          h.highlights.every((x: any) => x.field !== 'address'),
          JSON.stringify(h),
        );
      }
      for (const address of addresses) {
        assert.ok(!after.text.includes(address), `${address} in the body`);
      }
      // Its owner still searches addresses.
      const owner = await search('emergency-duty', RISK_SEARCH, {
        ...query,
        filter: { regionCodes: ['500110'] },
      });
      assert.equal(
        owner.data.searchRiskItems.totalCount,
        before.data.searchRiskItems.totalCount,
      );
    } finally {
      await writePolicyDocument(t.tdb.db, doc);
      await t.hub.policy.refresh();
    }
  });

  it('answers bad input with BAD_USER_INPUT and a message naming it', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ first: 500 }, /first/],
      [{ first: 0 }, /first/],
      [{ filter: { regionCodes: ['123'] } }, /regionCodes/],
      [{ filter: { regionCodes: ['610103'] } }, /regionCodes/],
      [{ filter: { categoryCodes: ['NOPE'] } }, /categor/],
      [{ filter: { responsibleDepartments: ['火星局'] } }, /department/],
      [{ filter: { updatedSince: 'yesterday' } }, /since/],
      [
        {
          filter: {
            updatedSince: '2026-01-02',
            updatedBefore: '2026-01-01',
          },
        },
        /range/,
      ],
      [{ after: 'not-a-cursor' }, /cursor/i],
    ];
    for (const [variables, message] of cases) {
      const res = await search('emergency-duty', RISK_SEARCH, variables);
      assert.equal(res.data?.searchRiskItems ?? null, null, res.text);
      const error = res.errors?.[0];
      assert.equal(error?.extensions?.code, 'BAD_USER_INPUT', res.text);
      assert.match(error.message, message, res.text);
      assert.doesNotMatch(res.text, /stacktrace|\.ts:\d+/);
    }
  });

  it('searches alerts by keyword, status and level with facets', async () => {
    const res = await search(
      'emergency-duty',
      `{ searchAlerts(text: "溶解氧", facets: [STATUS, LEVEL], first: 20) {
          totalCount
          hits { alert { id title status } highlights { field fragments } }
          facets { field buckets { value count } }
        } }`,
    );
    assert.equal(res.errors, undefined, res.text);
    const r = res.data.searchAlerts;
    // Scenario 1's alert, raised by the evaluator when the hub seeded.
    const scenario = t.hub.scenarioReplay?.alerts[0]?.id;
    assert.match(scenario ?? '', /^AL-20250814-[0-9A-F]{8}$/);
    assert.ok(
      r.hits.some((h: any) => h.alert.id === scenario),
      res.text,
    );
    const statuses = r.facets.find((f: any) => f.field === 'STATUS');
    assert.equal(
      statuses.buckets.reduce((n: number, b: any) => n + b.count, 0),
      r.totalCount,
    );
  });

  it('indexes a change to a risk item through the outbox', async () => {
    await t.tdb.db.query(
      `UPDATE emergency.risk_items SET name = '测试更名危岩点', updated_at = now()
        WHERE id = 'RI-PUHE-ZHAIXI'`,
    );
    await t.hub.search.flush();
    const res = await search('emergency-duty', RISK_SEARCH, {
      text: '测试更名',
    });
    assert.equal(res.errors, undefined, res.text);
    assert.deepEqual(
      res.data.searchRiskItems.hits.map((h: any) => h.item.id),
      ['RI-PUHE-ZHAIXI'],
    );
  });

  it('says in extensions.searchIndex and /ready that the index is still building', async () => {
    const ready = async (): Promise<{ status: number; body: any }> => {
      const emergency = t.hub.subgraphs.find((sg) => sg.name === 'emergency');
      const res = await fetch(new URL('/ready', emergency?.url));
      return { status: res.status, body: await res.json() };
    };
    // A change the index does not hold yet (written to the outbox directly:
    // no NOTIFY wakes the relay, and the tests' poll is an hour).
    await t.tdb.db.query(
      `INSERT INTO emergency.search_outbox (collection, doc_id, created_at)
       VALUES ('risk-items', 'RI-PUHE-ZHAIXI', now() - interval '5 seconds')`,
    );
    const building = await search('emergency-duty', RISK_SEARCH, {
      text: '危化',
      first: 1,
    });
    assert.equal(building.errors, undefined, building.text);
    const index = JSON.parse(building.text).extensions?.searchIndex;
    assert.equal(index?.state, 'building', building.text);
    assert.ok(index.pending >= 1, building.text);
    assert.ok(index.oldestPendingAgeMs >= 5_000, building.text);
    const whileBuilding = await ready();
    // Building is reported, and is no reason to take traffic away.
    assert.equal(whileBuilding.status, 200, JSON.stringify(whileBuilding));
    assert.equal(whileBuilding.body.checks.searchIndex.status, 'building');
    assert.equal(whileBuilding.body.checks.database.status, 'ok');

    await t.hub.search.flush();
    const caughtUp = await search('emergency-duty', RISK_SEARCH, {
      text: '危化',
      first: 1,
    });
    assert.equal(JSON.parse(caughtUp.text).extensions, undefined);
    const after = await ready();
    assert.equal(after.status, 200);
    assert.equal(after.body.checks.searchIndex.status, 'ok');
    assert.equal(after.body.checks.searchIndex.pending, 0);
  });
});

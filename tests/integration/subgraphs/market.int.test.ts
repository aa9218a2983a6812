import assert from 'node:assert/strict';
import { it } from 'node:test';

import { creditCodeCheckChar } from '../../../subgraphs/kit/src/index.js';
import { marketSubgraph } from '../../../subgraphs/market/src/marketSubgraph.js';
import { describeDepartment } from './departmentConformance.js';

function code(body: string): string {
  return body + creditCodeCheckChar(body);
}

const HOTPOT = code('91500103MA5U1A2B3');
const GRILL = code('92500103MA5U1A2B4');
/** Well-formed, and no enterprise of the fixtures. */
const NOBODY = code('91500103MA5U1A2B5');

describeDepartment(
  {
    subgraph: marketSubgraph,
    async fixtures(db) {
      await db.query(
        `INSERT INTO market.enterprises VALUES
       ($1, '较场口老火锅', '餐饮', 'ACTIVE', 50, '2019-03-01', '渝中区较场口1号', '500103001', 29.55, 106.57, 'P-1', 'B', 'L1', '2019-03-01', NULL, '餐饮服务', '渝中区市场监督管理局'),
       ($2, '夜市烧烤', '餐饮', 'ACTIVE', 10, '2021-06-01', '渝中区较场口2号', '500103001', 29.55, 106.57, 'P-2', 'C', 'L2', '2021-06-01', '2031-05-31', '餐饮服务', '渝中区市场监督管理局')`,
        [HOTPOT, GRILL],
      );
      await db.query(
        `INSERT INTO market.violations VALUES
       ('V1', $1, '2024-05-01', '占道经营', '跨门店经营', '责令改正', 500, true),
       ('V2', $1, '2025-08-01', '油烟扰民', '油烟超标排放', '罚款', 2000, false)`,
        [GRILL],
      );
    },
    notFound: [
      {
        query: `query($c: ID!) { enterprise(creditCode: $c) { name } }`,
        variables: { c: NOBODY },
        field: 'enterprise',
      },
    ],
    badUserInput: [
      // A malformed credit code.
      { query: `{ enterprise(creditCode: "123") { name } }` },
      // A page size above the maximum.
      { query: `{ enterprises(first: 1000) { totalCount } }` },
    ],
    references: [],
    statementCounts: [],
  },
  ({ post }) => {
    it('resolves an enterprise with its licence and violations, newest first', async () => {
      const res = await post<{
        enterprise: {
          name: string;
          licence: { validUntil: string | null };
          violations: { totalCount: number; nodes: { id: string }[] };
        };
      }>(
        `query($c: ID!) { enterprise(creditCode: $c) { name licence { validUntil } violations { totalCount nodes { id } } } }`,
        { c: GRILL },
      );
      assert.equal(res.errors, undefined, res.text);
      assert.equal(res.data?.enterprise.name, '夜市烧烤');
      assert.equal(res.data?.enterprise.licence.validUntil, '2031-05-31');
      assert.deepEqual(
        res.data?.enterprise.violations.nodes.map((v) => v.id),
        ['V2', 'V1'],
      );
    });

    it('pages a region listing with a total count', async () => {
      const first = await post<{
        enterprises: {
          totalCount: number;
          nodes: { creditCode: string }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        `{ enterprises(regionCode: "500103", first: 1) { totalCount nodes { creditCode } pageInfo { hasNextPage endCursor } } }`,
      );
      assert.equal(first.data?.enterprises.totalCount, 2, first.text);
      assert.equal(first.data?.enterprises.pageInfo.hasNextPage, true);
      const second = await post<{
        enterprises: {
          nodes: { creditCode: string }[];
          pageInfo: { hasNextPage: boolean };
        };
      }>(
        `query($a: String) { enterprises(regionCode: "500103", first: 1, after: $a) { nodes { creditCode } pageInfo { hasNextPage } } }`,
        { a: first.data?.enterprises.pageInfo.endCursor },
      );
      assert.notEqual(
        second.data?.enterprises.nodes[0]?.creditCode,
        first.data?.enterprises.nodes[0]?.creditCode,
      );
      assert.equal(second.data?.enterprises.pageInfo.hasNextPage, false);
    });
  },
);

// Fixtures of the alerting integration tests: a migrated emergency schema
// with one water-quality risk item, principals of the departments, signed
// calls to the emergency subgraph as any of them, and alerts raised as the
// evaluator raises them.
import type { RequestPrincipal } from '../../../policies/src/index.js';
import {
  createEmergencySubgraph,
  type EmergencySubgraphConfig,
} from '../../../subgraphs/emergency/src/emergencySubgraph.js';
import { composeAlert } from '../../../subgraphs/emergency/src/alerting/composeAlert.js';
import type { RiskThresholdRow } from '../../../subgraphs/emergency/src/repository.js';
import {
  raiseAlert,
  type RaiseAlertInput,
} from '../../../subgraphs/emergency/src/alerting/repository/alertRepository.js';
import type { Database } from '../../../subgraphs/kit/src/index.js';
import {
  signedPostGraphQL,
  startSubgraph,
  type GraphQLResponse,
  type TestSubgraph,
} from '../../utils/graphql.js';

/** The DO rule of RI-PUHE-ZHAIXI. */
export const DO_RULE: RiskThresholdRow = {
  metric: 'DISSOLVED_OXYGEN',
  comparator: 'LT',
  value: 5,
  unit: 'mg/L',
  windowDays: 3,
  alertLevel: 'ORANGE',
};

/** A principal as the gateway signs it into calls. */
export function principal(
  subject: string,
  department: string,
  regionCode: string,
  roles: string[] = ['duty-officer'],
): RequestPrincipal {
  return {
    subject,
    department,
    roles,
    level:
      regionCode === '500000'
        ? 'CITY'
        : regionCode.length === 6
          ? 'DISTRICT'
          : 'STREET',
    regionCode,
    purposes: ['emergency-response'],
    purpose: 'emergency-response',
  };
}

/** 綦江区水利局 duty officer: a recipient of 綦江区 water alerts. */
export const WATER_QIJIANG = principal('water-duty-qijiang', 'water', '500110');
/** 渝中区水利局: the right department, another district. */
export const WATER_YUZHONG = principal('water-duty-yuzhong', 'water', '500103');
/** 市场监管局: never a recipient. */
export const MARKET = principal('market-officer', 'market', '500000', [
  'data-officer',
]);
/** 应急管理局 duty officer, city level. */
export const EMERGENCY_DUTY = principal(
  'emergency-duty',
  'emergency',
  '500000',
);
/** The responsible person of the fixture risk item. */
export const RESPONSIBLE = principal(
  'P-QJ-001',
  'environment',
  '500110003',
  [],
);

/** A test emergency subgraph, and GraphQL calls to it as any principal. */
export interface AlertSubgraph {
  subgraph: TestSubgraph;
  as(
    who: RequestPrincipal,
  ): <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ) => Promise<GraphQLResponse<T>>;
}

/**
 * Migrates and starts the emergency subgraph (configured by `config`, e.g.
 * the webhook targets it allows) and inserts the risk item.
 */
export async function startAlertSubgraph(
  db: Database,
  config: EmergencySubgraphConfig = {},
): Promise<AlertSubgraph> {
  const subgraph = await startSubgraph(createEmergencySubgraph(config), db);
  await db.query(
    `INSERT INTO emergency.risk_categories (code, name, domain)
     VALUES ('WATER-QUALITY', '地表水水质超标', '生态环境')`,
  );
  await db.query(
    `INSERT INTO emergency.risk_items VALUES
     ('RI-T-1', '蒲河寨溪大桥断面水质超标风险', 'WATER-QUALITY', 'HIGH',
      '500110003', '綦江区三角镇寨溪大桥', 29.15, 106.6, NULL, 'MS-T-1',
      $1::jsonb, ARRAY['核查上游排污单位排放情况'], 'P-QJ-001',
      '2025-06-30T02:00:00Z')`,
    [JSON.stringify([DO_RULE])],
  );
  return {
    subgraph,
    as: (who) => (query, variables) =>
      signedPostGraphQL(
        subgraph.url,
        { audience: 'emergency', context: { principal: who, scope: null } },
        query,
        variables,
      ),
  };
}

/**
 * The alert the evaluator raises for three days of low oxygen ending on
 * `day` (YYYY-MM-DD) at the fixture item, with two suspected plants.
 */
export function scenarioAlert(day = '2025-08-14'): RaiseAlertInput {
  const end = Date.parse(`${day}T06:00:00+08:00`);
  const readings = [3.2, 2.9, 3.4].map((value, i) => ({
    metric: 'DISSOLVED_OXYGEN',
    value,
    unit: 'mg/L',
    measuredAt: new Date(end - (2 - i) * 86_400_000).toISOString(),
  }));
  const start = new Date(end - 2 * 86_400_000 + 8 * 3_600_000)
    .toISOString()
    .slice(0, 10);
  return composeAlert(
    {
      id: 'RI-T-1',
      name: '蒲河寨溪大桥断面水质超标风险',
      category_code: 'WATER-QUALITY',
      category_name: '地表水水质超标',
      domain: '生态环境',
      region_code: '500110003',
      section_id: 'MS-T-1',
      thresholds: [DO_RULE],
      responsible_person_id: 'P-QJ-001',
    },
    { threshold: DO_RULE, windowStart: start, windowEnd: day, readings },
    {
      id: 'MS-T-1',
      name: '蒲河寨溪大桥断面',
      streetName: '三角镇',
      streetKind: '镇',
      districtName: '綦江区',
      sources: [
        {
          sourceId: 'PS-PUHE-04',
          distanceKm: 6.2,
          name: '三角镇污水处理厂',
          creditCode: null,
        },
        {
          sourceId: 'PS-PUHE-03',
          distanceKm: 13.6,
          name: '横山镇污水处理厂',
          creditCode: null,
        },
      ],
    },
    new Date(end + 2 * 3_600_000),
  );
}

/** Raises {@link scenarioAlert} for `day`; returns its id. */
export async function raiseScenarioAlert(
  db: Database,
  day?: string,
): Promise<string> {
  return (await raiseAlert(db, scenarioAlert(day))).id;
}

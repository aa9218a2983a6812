// Legitimate work of every demo user through the governed gateway: each
// operation succeeds unchanged (HTTP 200, no errors), and its data equals
// what the owning department's subgraph answers to a direct call signed
// with the same principal and row scope (the scope the gateway's `explain`
// reports for the operation), or the values in the database. Governance
// changes nothing for legitimate use; where a user legitimately reads
// masked data, the exact masked form is asserted.
import type { RequestPrincipal, RowScope } from '../../policies/src/index.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { demoUsers, findDemoUser } from '../../hub/demoUsers.js';
import {
  demoHeaders,
  postGraphQL,
  signedPostGraphQL,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import {
  maskedMobile,
  maskedName,
  readPersons,
  scalar,
} from '../utils/security.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const COMPLAINT = 'C-20250915-JCK';
const PURIFIER = '91500110MAGTNENH14'; // 綦江区三角镇污水处理厂
const FOOD_PLANT = '91500155675252775A'; // 梁平区鑫汝食品加工厂, 2.3 km upstream

let t: TestHub;

before(async () => {
  t = await startTestHub();
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

/** What a case's checks may use. */
interface Ctx {
  /** The gateway's data for the case's operation. */
  data: any;
  /**
   * Calls a subgraph directly, signed as the gateway signs: the user's
   * principal and the row scope the gateway reports for the case's
   * operation. Fails on errors; returns `data`.
   */
  direct(
    subgraph: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<any>;
}

interface Case {
  title: string;
  user: string;
  /** @defaultValue the demo user's own purpose */
  purpose?: string;
  query: string;
  variables?: Record<string, unknown>;
  /**
   * The one subgraph that resolves every field of `query`: it must answer
   * the same query with exactly the gateway's data.
   */
  owner?: string;
  /** Further comparisons (other departments' parts, the database). */
  check?: (ctx: Ctx) => Promise<void>;
}

function subgraphUrl(name: string): string {
  const s = t.hub.subgraphs.find((x) => x.name === name);
  assert.ok(s, `no subgraph ${name}`);
  return s.url;
}

/** The principal the gateway signs into subgraph calls for a demo user. */
function principalOf(user: string, purpose: string): RequestPrincipal {
  const demo = findDemoUser(user);
  assert.ok(demo);
  const { claims } = demo;
  return {
    subject: claims.sub,
    department: claims.dept,
    roles: claims.roles,
    level: claims.level,
    regionCode: claims.region,
    purposes: claims.purposes,
    purpose,
    ...(claims.filing ? { filingId: claims.filing } : {}),
  };
}

function ok(res: GraphQLResponse, what: string): any {
  assert.equal(res.status, 200, `${what}: ${res.text}`);
  assert.equal(res.errors, undefined, `${what}: ${res.text}`);
  assert.ok(res.data, `${what}: ${res.text}`);
  return res.data;
}

const CASES: Case[] = [
  // 生态环境局 analyst: the 蒲河寨溪大桥 breach (scenario 1).
  {
    title: '蒲河寨溪大桥 dissolved-oxygen readings, 12–14 August',
    user: 'env-analyst',
    owner: 'environment',
    query: `{ monitoringSection(id: "MS-PUHE-ZHAIXI") {
        id name riverKm targetClass latitude longitude
        readings(parameter: DISSOLVED_OXYGEN, since: "2025-08-11T00:00:00+08:00", until: "2025-08-15T00:00:00+08:00") {
          totalCount nodes { parameter measuredAt value unit breachesStandard }
        }
      } }`,
    async check({ data }) {
      const breaches = data.monitoringSection.readings.nodes.filter(
        (r: any) => r.breachesStandard,
      );
      assert.equal(breaches.length, 3, 'three days below standard');
    },
  },
  {
    title: 'the two upstream wastewater plants and their discharge records',
    user: 'env-analyst',
    owner: 'environment',
    query: `{ monitoringSection(id: "MS-PUHE-ZHAIXI") { suspectedSources { totalCount nodes {
        distanceKm
        source { id name kind permitNumber riverKm
          dischargeRecords(first: 5) { totalCount nodes { id recordedAt pollutant concentration unit permittedLimit exceedsPermit } } }
      } } } }`,
  },
  {
    title: 'the breach across five departments (README example)',
    user: 'env-analyst',
    query: `{ monitoringSection(id: "MS-PUHE-ZHAIXI") {
        name river { id name } region { code fullName }
        suspectedSources { nodes { distanceKm source { name kind enterprise {
          creditCode name creditGrade licence { number }
          violations(first: 2) { totalCount nodes { occurredOn category } }
        } } } }
        alerts { nodes { id title level status notifiedParties } }
      } }`,
    async check({ data, direct }) {
      const section = data.monitoringSection;
      const river = await direct(
        'water',
        `query($id: ID!) { river(id: $id) { id name } }`,
        { id: section.river.id },
      );
      assert.deepEqual(section.river, river.river);
      const region = await direct(
        'enforcement',
        `query($code: ID!) { region(code: $code) { code fullName } }`,
        { code: section.region.code },
      );
      assert.deepEqual(section.region, region.region);
      assert.equal(section.suspectedSources.nodes.length, 2);
      for (const node of section.suspectedSources.nodes) {
        const e = node.source.enterprise;
        const owned = await direct(
          'market',
          `query($c: ID!) { enterprise(creditCode: $c) {
              creditCode name creditGrade licence { number }
              violations(first: 2) { totalCount nodes { occurredOn category } } } }`,
          { c: e.creditCode },
        );
        assert.deepEqual(e, owned.enterprise);
      }
      const alerts = await direct(
        'emergency',
        `{ _entities(representations: [{ __typename: "MonitoringSection", id: "MS-PUHE-ZHAIXI" }]) {
            ... on MonitoringSection { alerts { nodes { id title level status notifiedParties } } } } }`,
      );
      assert.deepEqual(section.alerts, alerts._entities[0].alerts);
    },
  },
  {
    title:
      '汝溪河 drinking-water intakes (environment shares the duty of protecting them)',
    user: 'env-analyst',
    owner: 'water',
    query: `{ river(id: "R-RUXI") { id name lengthKm drinkingWaterIntakes { nodes { id name riverKm populationServed } } } }`,
    async check({ data }) {
      assert.ok(
        data.river.drinkingWaterIntakes.nodes.some(
          (i: any) => i.populationServed === 120_000,
        ),
      );
    },
  },

  // 綦江区水利局 duty officer (district 500110).
  {
    title: 'the rivers of 綦江区',
    user: 'water-duty-qijiang',
    owner: 'water',
    query: `{ rivers(regionCode: "500110", first: 50) { totalCount nodes { id name lengthKm basin } } }`,
    async check({ data }) {
      assert.ok(data.rivers.nodes.some((r: any) => r.name === '蒲河'));
    },
  },
  {
    title: '蒲河 hydrological stations and their latest flow',
    user: 'water-duty-qijiang',
    owner: 'water',
    query: `{ river(id: "R-PUHE") { name hydrologicalStations { totalCount nodes { id name riverKm latestFlow { measuredAt flowRate waterLevel velocity } } } } }`,
  },
  {
    title:
      '蒲河寨溪大桥 readings and the plants’ discharge records, for pollution tracing',
    user: 'water-duty-qijiang',
    purpose: 'water-pollution-tracing',
    owner: 'environment',
    query: `{ monitoringSection(id: "MS-PUHE-ZHAIXI") {
        name
        latestReading(parameter: DISSOLVED_OXYGEN) { measuredAt value breachesStandard }
        readings(parameter: DISSOLVED_OXYGEN, first: 10) { nodes { measuredAt value } }
        suspectedSources { nodes { distanceKm source { name dischargeRecords(first: 3) { nodes { recordedAt pollutant concentration exceedsPermit } } } } }
      } }`,
  },
  {
    title: 'the risk inventory of 綦江区',
    user: 'water-duty-qijiang',
    owner: 'emergency',
    query: `{ riskItems(regionCode: "500110", first: 30) { totalCount nodes { id name level address category { code name } } } }`,
    async check({ data }) {
      const count = await scalar<string>(
        t.tdb.db,
        `SELECT count(*) FROM emergency.risk_items WHERE region_code LIKE '500110%'`,
      );
      assert.equal(data.riskItems.totalCount, Number(count));
    },
  },

  // 市场监管局 data officer (数据专员).
  {
    title: 'enterprises of 渝中区 with their licences',
    user: 'market-data-officer',
    owner: 'market',
    query: `{ enterprises(regionCode: "500103", first: 30) { totalCount pageInfo { hasNextPage endCursor } nodes {
        creditCode name industry status creditGrade establishedOn
        licence { number issuedOn validUntil businessScope issuingAuthority }
      } } }`,
  },
  {
    title: 'the 三角镇 wastewater plant’s violations',
    user: 'market-data-officer',
    owner: 'market',
    query: `{ enterprise(creditCode: "${PURIFIER}") { name registeredCapitalWan address
        violations { totalCount nodes { id occurredOn category description penalty fineYuan rectified } } } }`,
  },
  {
    title: 'licences compared with discharge records (grant G-2025-005)',
    user: 'market-data-officer',
    query: `{ enterprise(creditCode: "${PURIFIER}") { creditCode name licence { number }
        pollutionSources { nodes { id permitNumber dischargeRecords(first: 5) { nodes { id recordedAt pollutant concentration unit permittedLimit exceedsPermit } } } } } }`,
    async check({ data, direct }) {
      const market = await direct(
        'market',
        `{ enterprise(creditCode: "${PURIFIER}") { creditCode name licence { number } } }`,
      );
      assert.equal(data.enterprise.name, market.enterprise.name);
      assert.deepEqual(data.enterprise.licence, market.enterprise.licence);
      const environment = await direct(
        'environment',
        `{ _entities(representations: [{ __typename: "Enterprise", creditCode: "${PURIFIER}" }]) {
            ... on Enterprise { pollutionSources { nodes { id permitNumber dischargeRecords(first: 5) { nodes { id recordedAt pollutant concentration unit permittedLimit exceedsPermit } } } } } } }`,
      );
      assert.deepEqual(
        data.enterprise.pollutionSources,
        environment._entities[0].pollutionSources,
      );
      assert.ok(
        data.enterprise.pollutionSources.nodes[0].dischargeRecords.nodes
          .length > 0,
      );
    },
  },

  // 解放碑街道 enforcement officer: the 较场口 night-market complaint (scenario 4).
  {
    title: '较场口 complaint dispatched to the nearest squad',
    user: 'enforcement-jiefangbei',
    owner: 'enforcement',
    query: `{ complaint(id: "${COMPLAINT}") {
        id channel summary receivedAt address status dispatchedAt resolvedAt resolution
        region { code fullName }
        nearestSquads(first: 2) { distanceMeters squad { id name dutyPhone memberCount } }
        assignedSquad { id name }
      } }`,
    async check({ data }) {
      assert.equal(
        data.complaint.nearestSquads[0].squad.name,
        '解放碑综合执法中队',
      );
    },
  },
  {
    title: 'the street’s complaints',
    user: 'enforcement-jiefangbei',
    owner: 'enforcement',
    query: `{ complaints(first: 50) { totalCount nodes { id status summary region { code } } } }`,
    async check({ data }) {
      const count = await scalar<string>(
        t.tdb.db,
        `SELECT count(*) FROM enforcement.complaints WHERE region_code LIKE '500103001%'`,
      );
      assert.equal(data.complaints.totalCount, Number(count));
    },
  },
  {
    title: 'the 3 barbecue stalls’ licences and violation history',
    user: 'enforcement-jiefangbei',
    query: `{ complaint(id: "${COMPLAINT}") { merchants { totalCount nodes {
        creditCode name licence { number validUntil }
        violations { totalCount nodes { occurredOn category penalty } }
        inspections { totalCount }
      } } } }`,
    async check({ data, direct }) {
      const merchants = data.complaint.merchants.nodes;
      assert.equal(merchants.length, 3);
      for (const m of merchants) {
        const owned = await direct(
          'market',
          `query($c: ID!) { enterprise(creditCode: $c) { creditCode name licence { number validUntil }
              violations { totalCount nodes { occurredOn category penalty } } } }`,
          { c: m.creditCode },
        );
        const { inspections, ...marketPart } = m;
        assert.deepEqual(marketPart, owned.enterprise);
        assert.equal(typeof inspections.totalCount, 'number');
      }
    },
  },
  {
    title: 'the complainant, masked (grant G-2025-001)',
    user: 'enforcement-jiefangbei',
    query: `{ complaint(id: "${COMPLAINT}") { id complainant { id name mobile } } }`,
    async check({ data, direct }) {
      const person = data.complaint.complainant;
      const owned = await direct(
        'publicsecurity',
        `query($id: ID!) { person(id: $id) { id name mobile } }`,
        { id: person.id },
      );
      const [truth] = await readPersons(t.tdb.db, [person.id]);
      assert.ok(truth);
      assert.equal(owned.person.name, truth.name);
      assert.equal(person.name, maskedName(truth.name));
      assert.equal(person.mobile, maskedMobile(truth.mobile));
      assert.match(person.name, /^王\*\*$/);
      assert.match(person.mobile, /^1\d{2}\*{4}\d{4}$/);
    },
  },

  // 应急管理局 duty officer: the risk inventory (scenario 5).
  {
    title: 'risk items of 綦江区 with thresholds and disposal measures',
    user: 'emergency-duty',
    owner: 'emergency',
    query: `{ riskItems(regionCode: "500110", first: 20) { totalCount nodes {
        id name level address latitude longitude updatedAt
        category { code name domain }
        thresholds { metric comparator value unit windowDays alertLevel }
        disposalMeasures
      } } }`,
  },
  {
    title: 'the risk categories',
    user: 'emergency-duty',
    purpose: 'risk-inventory',
    owner: 'emergency',
    query: `{ riskCategories(first: 100) { totalCount nodes { code name domain riskItemCount } } }`,
    async check({ data }) {
      assert.equal(data.riskCategories.totalCount, 132);
    },
  },
  {
    title: 'the 蒲河 alert and who was notified',
    user: 'emergency-duty',
    owner: 'emergency',
    query: `query($id: ID!) { alert(id: $id) { id title message level status raisedAt notifiedParties riskItem { id name } } }`,
    // Scenario 1's alert, raised by the evaluator when the hub seeded.
    get variables() {
      return { id: t.hub.scenarioReplay?.alerts[0]?.id };
    },
    async check({ data }) {
      assert.equal(data.alert.riskItem.id, 'RI-PUHE-ZHAIXI');
      assert.equal(data.alert.level, 'ORANGE');
    },
  },
  {
    title:
      'the responsible person, reachable in an emergency (grant G-2025-002)',
    user: 'emergency-duty',
    query: `{ riskItem(id: "RI-PUHE-ZHAIXI") { id name responsiblePerson { id name mobile birthDate householdAddress } } }`,
    async check({ data, direct }) {
      const person = data.riskItem.responsiblePerson;
      const owned = await direct(
        'publicsecurity',
        `query($id: ID!) { person(id: $id) { id name mobile birthDate } }`,
        { id: person.id },
      );
      assert.equal(person.name, owned.person.name);
      assert.equal(person.mobile, owned.person.mobile);
      assert.equal(person.birthDate, owned.person.birthDate.slice(0, 4));
      const [truth] = await readPersons(t.tdb.db, [person.id]);
      assert.ok(truth);
      const district = /^重庆市.{1,12}?[区县市]/u.exec(
        truth.householdAddress,
      )?.[0];
      assert.ok(district, truth.householdAddress);
      assert.equal(person.householdAddress, `${district}****`);
    },
  },

  // 渝中区公安 crowd analyst: 解放碑 (scenario 3).
  {
    title: '解放碑 crowd: latest observation and congestion points',
    user: 'police-crowd-yuzhong',
    owner: 'publicsecurity',
    query: `{ crowdArea(id: "CA-JIEFANGBEI") { id name safeCapacity latitude longitude
        latestObservation { observedAt currentCount visitorsToday congestionPoints { name latitude longitude density level } } } }`,
    async check({ data }) {
      assert.equal(data.crowdArea.latestObservation.congestionPoints.length, 3);
    },
  },
  {
    title: 'the district’s watched areas',
    user: 'police-crowd-yuzhong',
    owner: 'publicsecurity',
    query: `{ crowdAreas { totalCount nodes { id name safeCapacity } } }`,
  },
  {
    title: '解放碑 observations over the Spring Festival',
    user: 'police-crowd-yuzhong',
    owner: 'publicsecurity',
    query: `{ crowdArea(id: "CA-JIEFANGBEI") { observations(first: 24) { totalCount nodes { observedAt currentCount visitorsToday } } } }`,
    async check({ data }) {
      const peak = Math.max(
        ...data.crowdArea.observations.nodes.map((o: any) => o.visitorsToday),
      );
      assert.ok(peak > 1_000_000, `peak ${String(peak)}`);
    },
  },
  {
    title: 'person basics in the district (own department)',
    user: 'police-crowd-yuzhong',
    owner: 'publicsecurity',
    query: `{ publicSecurityRecords(regionCode: "500103001", first: 30) { totalCount nodes {
        __typename id ... on PublicSecurityRecord { name } ... on Person { birthDate gender } } } }`,
  },

  // 汝溪河 oil-tracing algorithm ALG-2025-017 (scenario 2).
  {
    title: 'the 汝溪河 oil slick',
    user: 'algo-ruxi-oil',
    owner: 'environment',
    query: `{ pollutionIncident(id: "INC-RUXI-OIL") { id kind description riverKm areaSquareMeters detectedAt } }`,
    async check({ data }) {
      assert.equal(data.pollutionIncident.areaSquareMeters, 300);
    },
  },
  {
    title: 'candidate sources within 30 km with their discharge records',
    user: 'algo-ruxi-oil',
    owner: 'environment',
    query: `{ pollutionIncident(id: "INC-RUXI-OIL") { candidateSources(withinKm: 30, first: 25) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { distanceKm source { id name kind
          dischargeRecords(first: 1) { nodes { pollutant concentration exceedsPermit } } } }
      } } }`,
    async check({ data }) {
      const nodes = data.pollutionIncident.candidateSources.nodes;
      assert.equal(nodes[0].distanceKm, 2.3);
      assert.equal(
        nodes.filter((n: any) => n.source.kind === 'WASTEWATER_PLANT').length,
        3,
      );
    },
  },
  {
    title: 'the river’s stations, flows and the intake downstream',
    user: 'algo-ruxi-oil',
    owner: 'water',
    query: `{ river(id: "R-RUXI") { id name lengthKm basin
        hydrologicalStations { totalCount nodes { id name riverKm latestFlow { measuredAt flowRate waterLevel velocity } } }
        drinkingWaterIntakes { nodes { id name riverKm populationServed } } } }`,
    async check({ data }) {
      assert.equal(data.river.hydrologicalStations.totalCount, 5);
    },
  },
  {
    title: 'the food plant 2.3 km upstream (registration basics)',
    user: 'algo-ruxi-oil',
    owner: 'market',
    query: `{ enterprise(creditCode: "${FOOD_PLANT}") { creditCode name industry status address latitude longitude } }`,
    async check({ data }) {
      assert.equal(data.enterprise.industry, '食品加工');
    },
  },
  // 公安局 data officer: runs the department's part of the negative list.
  {
    title:
      'requests for public security’s conditional data, pending ones by due date',
    user: 'publicsecurity-data-officer',
    owner: 'governance',
    query: `{ shareRequests(side: AS_OWNER, status: PENDING) { totalCount nodes {
        id consumerDepartment purpose coordinates justification dueAt overdue revision } } }`,
    async check({ data }) {
      assert.deepEqual(
        data.shareRequests.nodes.map((r: any) => [r.id, r.overdue]),
        [
          ['SR-2026-0001', true],
          ['SR-2026-0002', Date.now() >= Date.parse('2026-12-15T16:00:00Z')],
        ],
      );
    },
  },
  {
    title: 'the department’s entries, every version with its history',
    user: 'publicsecurity-data-officer',
    owner: 'governance',
    query: `{ negativeListEntries(ownerDepartment: "publicsecurity") { totalCount nodes { id
        versions { version status revision author approver approvedAt history { action actor comment revision at } } } } }`,
    async check({ data }) {
      assert.deepEqual(
        data.negativeListEntries.nodes.map((e: any) => e.id),
        ['NL-PS-001', 'NL-PS-002', 'NL-PS-003'],
      );
      const v2 = data.negativeListEntries.nodes[1].versions[1];
      assert.deepEqual(
        v2.history.map((h: any) => h.action),
        ['CREATED', 'SUBMITTED', 'RETURNED', 'EDITED', 'SUBMITTED', 'APPROVED'],
      );
    },
  },
  {
    title: 'grants issued under the department’s entries',
    user: 'publicsecurity-data-officer',
    owner: 'governance',
    query: `{ grants(ownerDepartment: "publicsecurity") { totalCount nodes {
        id entryId consumerDepartment purpose coordinates masks { coordinate mask } rowFilter expiresAt revoked inForce requestId issuedBy } } }`,
    async check({ data }) {
      assert.deepEqual(
        data.grants.nodes.map((g: any) => [g.id, g.inForce]),
        [
          ['G-2025-001', true],
          ['G-2025-002', true],
          ['G-2025-003', false],
          ['G-2025-004', false],
        ],
      );
    },
  },
  // 公安局 chief data officer: reviews (four eyes).
  {
    title: 'what changed from NL-PS-002 v1 to v2',
    user: 'publicsecurity-chief-data-officer',
    owner: 'governance',
    query: `{ negativeListEntry(id: "NL-PS-002") { diff(from: 1, to: 2) { field before after }
        active { version changesFromPrevious { field } } } }`,
    async check({ data }) {
      assert.deepEqual(
        data.negativeListEntry.diff.map((c: any) => c.field),
        ['conditions', 'legalBasis', 'reason', 'validFrom'],
      );
    },
  },
  {
    title:
      'the entry in force for person details, with what it covers and contradicts',
    user: 'publicsecurity-chief-data-officer',
    owner: 'governance',
    query: `{ negativeListEntry(id: "NL-PS-002") { active { version shareClass priority legalBasis
        conditions { consumers purposes scenarios masks { coordinate mask } } coverage contradictions { kind } } } }`,
    async check({ data }) {
      assert.deepEqual(data.negativeListEntry.active.coverage, [
        'Person.birthDate',
        'Person.householdAddress',
        'Person.mobile',
        'Person.name',
      ]);
    },
  },
  {
    title: 'the policy’s version log',
    user: 'publicsecurity-chief-data-officer',
    owner: 'governance',
    query: `{ policyVersions(first: 5) { totalCount nodes { seq version actor change publishedAt } } }`,
    async check({ data }) {
      assert.equal(
        data.policyVersions.nodes.at(-1).change,
        'seed the demo policy',
      );
    },
  },
  // 综合执法局 data officer: applies for other departments' data.
  {
    title: 'the department’s share requests and the grants they produced',
    user: 'enforcement-data-officer',
    owner: 'governance',
    query: `{ shareRequests(side: AS_CONSUMER) { totalCount nodes { id status decisionReason
        grant { id coordinates masks { coordinate mask } rowFilter inForce } } } }`,
    async check({ data }) {
      const approved = data.shareRequests.nodes.find(
        (r: any) => r.id === 'SR-2025-0001',
      );
      assert.equal(
        approved.grant.rowFilter,
        '{"op":"prefix","field":"regionCode","value":"500103"}',
      );
    },
  },
  {
    title: 'grants the department holds',
    user: 'enforcement-data-officer',
    owner: 'governance',
    query: `{ grants(consumerDepartment: "enforcement", inForce: true) { totalCount nodes { id entryId ownerDepartment purpose coordinates expiresAt } } }`,
    async check({ data }) {
      assert.deepEqual(
        data.grants.nodes.map((g: any) => g.id),
        ['G-2025-001'],
      );
    },
  },
  {
    title: 'the conditions of the published entry it may apply under',
    user: 'enforcement-data-officer',
    owner: 'governance',
    query: `{ negativeListEntry(id: "NL-PS-002") { id ownerDepartment active { version legalBasis reason
        conditions { consumers purposes scenarios } } versions { version status } } }`,
    async check({ data }) {
      assert.ok(
        data.negativeListEntry.active.conditions.consumers.includes(
          'enforcement',
        ),
      );
    },
  },
  // 市大数据发展局: the city data authority.
  {
    title: 'versions waiting for review across the city',
    user: 'city-data-authority',
    owner: 'governance',
    query: `{ reviewQueue { totalCount nodes { id version ownerDepartment author submittedAt revision } } }`,
    async check({ data }) {
      assert.deepEqual(
        data.reviewQueue.nodes.map((v: any) => `${v.id}@${v.version}`),
        ['NL-EMG-002@1'],
      );
    },
  },
  {
    title: 'fields nobody classified, and whether they are withheld',
    user: 'city-data-authority',
    owner: 'governance',
    query: `{ policySettings { withholdUnclassified } unclassifiedFields { totalCount nodes { coordinate owners sdlTags reviewedTags } } }`,
    async check({ data }) {
      assert.equal(data.policySettings.withholdUnclassified, false);
      assert.deepEqual(
        data.unclassifiedFields.nodes.map((f: any) => f.coordinate),
        ['Enterprise.creditGrade', 'Enterprise.establishedOn'],
      );
    },
  },
  {
    title: 'overdue share requests across the city',
    user: 'city-data-authority',
    owner: 'governance',
    query: `{ shareRequests(overdue: true) { totalCount nodes { id ownerDepartment consumerDepartment dueAt } } }`,
    async check({ data }) {
      assert.ok(
        data.shareRequests.nodes.some((r: any) => r.id === 'SR-2026-0001'),
      );
    },
  },
  // 市委网信办 algorithm reviewer: the registry.
  {
    title: 'the review queue of the seeded registry',
    user: 'algorithm-reviewer',
    owner: 'catalog',
    query: `{ algorithmReviewQueue { totalCount nodes { id state riskCategory } } }`,
  },
  {
    title: 'the registry, filtered by state',
    user: 'algorithm-reviewer',
    owner: 'catalog',
    query: `{ algorithmFilings(state: IN_SERVICE, first: 5) { totalCount nodes { id name ownerDepartment filingNumber } } }`,
  },
  {
    title: 'a field of the data directory with its share class',
    user: 'algorithm-reviewer',
    owner: 'catalog',
    query: `{ dataResource(coordinate: "Person.idNumber") { coordinate owners classification shareClass negativeListEntry updateFrequency } }`,
    async check({ data }) {
      assert.deepEqual(
        [data.dataResource.shareClass, data.dataResource.negativeListEntry],
        ['NOT_SHARED', 'NL-PS-001@1'],
      );
    },
  },
  // 生态环境局 algorithm owner.
  {
    title: 'the department’s filings',
    user: 'environment-algorithm-owner',
    owner: 'catalog',
    query: `{ algorithmFilings(ownerDepartment: "environment") { totalCount nodes { id state } } }`,
  },
  {
    title: 'searching the data directory for readings',
    user: 'environment-algorithm-owner',
    owner: 'catalog',
    query: `{ dataResources(search: "Reading.", first: 20) { totalCount nodes { coordinate owners shareClass updateFrequency } } }`,
    async check({ data }) {
      assert.ok(data.dataResources.totalCount > 0);
      // Reading.* (environment's readings); AlertReading.* also matches.
      const readings = data.dataResources.nodes.filter((n: any) =>
        n.coordinate.startsWith('Reading.'),
      );
      assert.ok(readings.length > 0);
      assert.ok(readings.every((n: any) => n.updateFrequency === 'DAILY'));
    },
  },
  {
    title: 'the conditional data an input would bring',
    user: 'environment-algorithm-owner',
    owner: 'catalog',
    query: `{ dataResource(coordinate: "DrinkingWaterIntake.populationServed") { owners shareClass negativeListEntry classification } }`,
    async check({ data }) {
      assert.equal(data.dataResource.shareClass, 'CONDITIONAL');
    },
  },
  // 市大数据发展局 hub operator (运维): the hub's own administration data.
  {
    title: 'the city-wide policy settings',
    user: 'hub-operator',
    owner: 'governance',
    query: `{ policySettings { withholdUnclassified } }`,
  },
  {
    title: 'the published negative list of a department',
    user: 'hub-operator',
    owner: 'governance',
    query: `{ negativeListEntries(ownerDepartment: "publicsecurity", first: 5) { totalCount nodes { id ownerDepartment } } }`,
    async check({ data }) {
      assert.ok(data.negativeListEntries.totalCount > 0);
    },
  },
  {
    title: 'the data directory of a department',
    user: 'hub-operator',
    owner: 'catalog',
    query: `{ dataResources(ownerDepartment: "water", first: 5) { totalCount nodes { coordinate owners } } }`,
    async check({ data }) {
      assert.ok(data.dataResources.totalCount > 0);
    },
  },
  // 市大数据局 auditor (审计员): the access log, read-only.
  {
    title: 'the access log’s verification',
    user: 'city-auditor',
    query: `{ accessLogVerification { ok problems { kind } head { seq hash } chains { chain records } } }`,
    async check({ data }) {
      assert.equal(data.accessLogVerification.ok, true);
      assert.deepEqual(data.accessLogVerification.problems, []);
    },
  },
  {
    title: 'the records of a consumer department before an instant',
    user: 'city-auditor',
    owner: 'governance',
    query: `{ accessRecords(filter: { department: "enforcement", until: "2026-01-01T00:00:00Z" }, first: 5) {
        totalCount nodes { seq subject purpose outcome } } }`,
  },
  {
    title: 'who read public security’s data in 2025',
    user: 'city-auditor',
    owner: 'governance',
    query: `{ accessReport(ownerDepartment: "publicsecurity", since: "2025-01-01", until: "2026-01-01") {
        rows { day consumer coordinate purpose reads } } }`,
  },
];

describe('roles: an auditor reads who read what; nobody else does', () => {
  it('finds the record of a governed read, opens it, and a data officer is refused', async () => {
    const officer = await demoHeaders('enforcement-jiefangbei');
    const read = await postGraphQL(
      t.hub.gatewayUrl,
      `query AuditedComplainant { complaint(id: "${COMPLAINT}") { id complainant { name mobile } } }`,
      undefined,
      officer,
    );
    ok(read, 'the read to audit');
    const auditor = await demoHeaders('city-auditor');
    const found = ok(
      await postGraphQL(
        t.hub.gatewayUrl,
        `query($f: AccessRecordFilter) { accessRecords(filter: $f, first: 1) {
            totalCount nodes { seq subject operationName } csv } }`,
        {
          f: {
            subject: 'enforcement-jiefangbei',
            coordinate: 'Person.mobile',
          },
        },
        auditor,
      ),
      'accessRecords',
    );
    const [newest] = found.accessRecords.nodes;
    assert.equal(newest.operationName, 'AuditedComplainant');
    assert.match(found.accessRecords.csv, /AuditedComplainant/);
    const opened = ok(
      await postGraphQL(
        t.hub.gatewayUrl,
        `query($seq: ID!) { accessRecord(seq: $seq) {
            seq subject department purpose outcome operationText
            read { ownerDepartment coordinates } masked { coordinate mask rule } hash } }`,
        { seq: newest.seq },
        auditor,
      ),
      'accessRecord',
    );
    const record = opened.accessRecord;
    assert.equal(record.subject, 'enforcement-jiefangbei');
    assert.match(record.operationText, /query AuditedComplainant/);
    assert.ok(
      record.read.some(
        (r: any) =>
          r.ownerDepartment === 'publicsecurity' &&
          r.coordinates.includes('Person.mobile'),
      ),
      JSON.stringify(record.read),
    );
    assert.deepEqual(
      record.masked.find((m: any) => m.coordinate === 'Person.mobile'),
      { coordinate: 'Person.mobile', mask: 'MOBILE', rule: 'grant:G-2025-001' },
    );

    const refused = await postGraphQL(
      t.hub.gatewayUrl,
      `{ accessRecords(first: 1) { totalCount nodes { seq subject } } }`,
      undefined,
      await demoHeaders('market-data-officer'),
    );
    assert.equal(refused.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
    assert.equal(
      refused.errors?.[0]?.extensions?.['rule'],
      'governance:auditor-only',
    );
    assert.doesNotMatch(refused.text, /enforcement-jiefangbei/);
  });
});

describe('roles: legitimate work of every demo user passes unchanged', () => {
  it('has at least 3 operations for each demo user', () => {
    for (const user of demoUsers) {
      const n = CASES.filter((c) => c.user === user.id).length;
      assert.ok(n >= 3, `${user.id} has ${String(n)} operations`);
    }
  });

  for (const c of CASES) {
    it(`${c.user}: ${c.title}`, async () => {
      const demo = findDemoUser(c.user);
      assert.ok(demo);
      const purpose = c.purpose ?? demo.purpose;
      const headers = await demoHeaders(c.user, { purpose });
      const res = await postGraphQL(t.hub.gatewayUrl, c.query, c.variables, {
        ...headers,
      });
      const data = ok(res, 'gateway');

      // What the gateway decided for the operation: nothing withheld, and
      // the row scope it signed into the subgraph calls.
      const explained = ok(
        await postGraphQL(
          t.hub.gatewayUrl,
          `query($op: String!, $vars: ExplainJSON) { explain(operation: $op, variables: $vars) {
              rejectedInStrictMode rowScope fields { coordinate effect } } }`,
          { op: c.query, vars: c.variables ?? null },
          headers,
        ),
        'explain',
      ) as any;
      assert.equal(
        explained.explain.rejectedInStrictMode,
        false,
        JSON.stringify(explained.explain.fields),
      );
      // The scope as the gateway explains it, signed as the gateway would.
      const scope = (explained.explain.rowScope ?? null) as RowScope | null;
      const principal = principalOf(c.user, purpose);

      const direct: Ctx['direct'] = async (subgraph, query, variables) =>
        ok(
          await signedPostGraphQL(
            subgraphUrl(subgraph),
            { audience: subgraph, context: { principal, scope } },
            query,
            variables,
          ),
          `${subgraph} directly`,
        );

      if (c.owner) {
        const owned = await direct(c.owner, c.query, c.variables);
        assert.deepEqual(data, owned, 'the owning subgraph answers the same');
      }
      await c.check?.({ data, direct });
    });
  }
});

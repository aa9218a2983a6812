// The governance API's suite, on either adapter (see describeGovernanceApi): the negative-list entry
// lifecycle with four eyes and optimistic concurrency, validation against
// the supergraph, share requests and grants, classification, settings, the
// version log and access reports — and for every bad input, a coded error
// and nothing changed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { DEFAULT_SUPERGRAPH_PATH } from '../../../subgraphs/kit/src/index.js';
import {
  loadPolicySnapshot,
  migratePolicyStore,
  policyVersion,
  readPolicyDocument,
  writePolicyDocument,
} from '../../../policies/store/src/policy/index.js';
import {
  createAccessLog,
  migrateAccessLog,
} from '../../../policies/store/src/audit/index.js';
import {
  decide,
  type AdministrationActor,
} from '../../../policies/src/index.js';
import { demoPolicy, writeDemoGovernance } from '../../../seeds/src/index.js';
import {
  createGovernanceApi,
  type GovernanceApi,
} from '../../../subgraphs/governance/src/GovernanceApi.js';
import type { EntryContentInput } from '../../../subgraphs/governance/src/entryContent.js';
import {
  readSupergraphInfo,
  type SupergraphInfo,
} from '../../../policies/store/src/supergraphInfo.js';
import {
  createLogger,
  GraphQLErrorWithCode,
  type Database,
} from '../../../subgraphs/kit/src/index.js';
import { openAdapterDatabase } from '../../utils/pglite.js';

const NOW = new Date('2026-12-04T10:00:00+08:00');
/** The OpenTelemetry trace id of the one traced request the access log holds. */
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const actors = {
  officer: {
    subject: 'publicsecurity-data-officer',
    department: 'publicsecurity',
    roles: ['data-officer'],
  },
  chief: {
    subject: 'publicsecurity-chief-data-officer',
    department: 'publicsecurity',
    roles: ['data-officer'],
  },
  market: {
    subject: 'market-data-officer',
    department: 'market',
    roles: ['data-officer'],
  },
  enforcement: {
    subject: 'enforcement-data-officer',
    department: 'enforcement',
    roles: ['data-officer'],
  },
  environment: {
    subject: 'environment-data-officer',
    department: 'environment',
    roles: ['data-officer'],
  },
  authority: {
    subject: 'city-data-authority',
    department: 'bigdata',
    roles: ['city-data-authority'],
  },
  analyst: {
    subject: 'env-analyst',
    department: 'environment',
    roles: ['analyst'],
  },
  auditor: {
    subject: 'city-auditor',
    department: 'bigdata',
    roles: ['auditor'],
    level: 'CITY',
  },
  districtAuditor: {
    subject: 'qijiang-auditor',
    department: 'bigdata',
    roles: ['auditor'],
    level: 'DISTRICT',
  },
} satisfies Record<string, AdministrationActor>;

let db: Database;
let supergraph: SupergraphInfo;

function as(actor: AdministrationActor): GovernanceApi {
  return createGovernanceApi(db, actor, { supergraph, now: () => NOW });
}

/** Everything a failed write must leave as it was. */
async function state(): Promise<string> {
  const doc = await readPolicyDocument(db);
  const { rows } = await db.query<{ state: unknown }>(
    `SELECT jsonb_build_object(
       'events', (SELECT count(*) FROM policy.entry_events),
       'requests', (SELECT jsonb_agg(to_jsonb(r) ORDER BY id) FROM policy.share_requests r),
       'entries', (SELECT jsonb_agg(jsonb_build_array(id, version, status, revision) ORDER BY id, version) FROM policy.negative_list_entries),
       'publications', (SELECT count(*) FROM policy.publications)) AS state`,
  );
  return JSON.stringify([policyVersion(doc), rows[0]?.state]);
}

/** Runs `fn`, expects a coded error, and that nothing changed. */
async function refused(
  fn: () => Promise<unknown>,
  code: string,
  pattern?: RegExp,
): Promise<GraphQLErrorWithCode> {
  const before = await state();
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof GraphQLErrorWithCode,
    `expected ${code}, got ${String(caught)}`,
  );
  assert.equal(caught.extensions['code'], code, caught.message);
  if (pattern) assert.match(caught.message, pattern);
  assert.equal(await state(), before, 'nothing changes');
  return caught;
}

const MOBILE_NOT_SHARED: EntryContentInput = {
  selector: { coordinates: ['Person.mobile'] },
  shareClass: 'NOT_SHARED',
  legalBasis: '《中华人民共和国个人信息保护法》第二十八条',
  reason: '手机号不予共享 (mobiles are not shared)',
  priority: 30,
};

// The same behaviour on both adapters: on PGlite's single connection, a
// statement outside a write's transaction would wait for it forever.
/**
 * The governance API's suite on one adapter: `governanceApi.int.test.ts`
 * runs it on PostgreSQL, `governanceApiPglite.int.test.ts` on PGlite (two
 * files, so that each runs beside other files instead of one after the
 * other).
 */
export function describeGovernanceApi(kind: 'pg' | 'pglite'): void {
  describe(`governance API on ${kind === 'pg' ? 'PostgreSQL' : 'embedded PostgreSQL (PGlite)'}`, () => {
    let drop: () => Promise<void>;
    before(async () => {
      ({ db, drop } = await openAdapterDatabase(kind));
      await migratePolicyStore(db);
      await migrateAccessLog(db);
      const sdl = await readFile(DEFAULT_SUPERGRAPH_PATH, 'utf8');
      supergraph = readSupergraphInfo(sdl);
      await writePolicyDocument(db, demoPolicy({ supergraphSdl: sdl }));
      await writeDemoGovernance(db);
      // Recorded traffic: enforcement read the 较场口 complainant (name and
      // mobile masked under G-2025-001) three times, emergency a risk item's
      // responsible person once.
      const log = createAccessLog(
        { db: db, flushIntervalMs: 1, failClosed: true },
        { logger: createLogger('test', 'silent') },
      );
      const complaint =
        '{ complaint(id: "C-20250915-JCK") { summary complainant { name mobile } } }';
      for (const subject of [
        'enforcement-jiefangbei',
        'enforcement-a',
        'enforcement-b',
      ]) {
        await log.append({
          subject,
          department: 'enforcement',
          roles: ['enforcement-officer'],
          purpose: 'complaint-handling',
          operationHash: 'h1',
          operationText: complaint,
          operationName: null,
          read: { publicsecurity: ['Person.name', 'Person.mobile'] },
          withheld: [],
          masked: [
            {
              coordinate: 'Person.name',
              rule: 'grant:G-2025-001',
              mask: 'NAME',
            },
            {
              coordinate: 'Person.mobile',
              rule: 'grant:G-2025-001',
              mask: 'MOBILE',
            },
          ],
          outcome: 'OK',
          latencyMs: 12,
        });
      }
      await log.append({
        subject: 'emergency-duty',
        department: 'emergency',
        roles: ['duty-officer'],
        purpose: 'emergency-response',
        operationHash: 'h2',
        operationText:
          'query Responsible { riskItems(regionCode: "500110", first: 1) { nodes { responsiblePerson { name } } } }',
        operationName: 'Responsible',
        read: { publicsecurity: ['Person.name'] },
        withheld: [],
        masked: [],
        outcome: 'OK',
        latencyMs: 20,
      });
      await log.close();
    });
    after(async () => {
      await drop();
    });

    describe('governance API: impact of a draft on recorded traffic', () => {
      it('reports which consumers, operations and fields a draft would change, before it is published', async () => {
        const draft = await as(actors.officer).entries.createEntry({
          id: 'NL-PS-030',
          ownerDepartment: 'publicsecurity',
          content: MOBILE_NOT_SHARED,
        });
        const report = await as(actors.officer).reports.impact(draft, {
          since: '2020-01-01T00:00:00Z',
          limit: 2,
        });
        assert.deepEqual(
          [report.records, report.simulated, report.skipped, report.changed],
          [4, 4, 0, 3],
        );
        assert.deepEqual(report.departments, [
          { department: 'enforcement', records: 3, fieldChanges: 3 },
        ]);
        assert.deepEqual(
          report.fields.map((f) => [
            f.coordinate,
            f.before,
            f.after,
            f.records,
          ]),
          [
            [
              'Person.mobile',
              'MASK:MOBILE',
              'DENY:FORBIDDEN_BY_NEGATIVE_LIST',
              3,
            ],
          ],
        );
        assert.equal(report.operations.length, 1);
        assert.equal(report.examples.length, 2);
        assert.equal(
          report.examples[0]?.changes[0]?.ruleAfter,
          'negative-list:NL-PS-030@1',
        );
        // Only the owner's data officers (and the city) simulate.
        await assert.rejects(
          as(actors.market).reports.impact(draft, {}),
          (e: unknown) =>
            e instanceof GraphQLErrorWithCode &&
            e.extensions['code'] === 'FORBIDDEN',
        );
        // The draft itself changed nothing for the gateways.
        const snapshot = await loadPolicySnapshot(db);
        assert.ok(
          !snapshot.policy.entries.some(
            (e) => e.id === 'NL-PS-030' && e.status === 'ACTIVE',
          ),
        );
      });
    });

    describe('governance API: entry lifecycle', () => {
      it('drafts, submits, approves (four eyes) and supersedes, recording every step', async () => {
        const draft = await as(actors.officer).entries.createEntry({
          id: 'NL-PS-010',
          ownerDepartment: 'publicsecurity',
          content: MOBILE_NOT_SHARED,
        });
        assert.deepEqual(
          [draft.status, draft.version, draft.revision],
          ['DRAFT', 1, 1],
        );
        assert.equal(draft.author, actors.officer.subject);

        const submitted = await as(actors.officer).entries.transition(
          'submit',
          'NL-PS-010',
          1,
          1,
          'ready',
        );
        assert.deepEqual(
          [submitted.status, submitted.revision],
          ['IN_REVIEW', 2],
        );
        assert.ok(submitted.submittedAt);

        const approved = await as(actors.chief).entries.transition(
          'approve',
          'NL-PS-010',
          1,
          2,
          '同意',
        );
        assert.deepEqual(
          [approved.status, approved.revision, approved.approver],
          ['ACTIVE', 3, actors.chief.subject],
        );
        // In force: the loaded policy now withholds mobiles from enforcement.
        const snapshot = await loadPolicySnapshot(db);
        const d = decide(
          {
            subject: 'e',
            department: 'enforcement',
            roles: ['enforcement-officer'],
            level: 'CITY',
            regionCode: '500000',
            purposes: ['complaint-handling'],
          },
          'complaint-handling',
          {
            coordinate: 'Person.mobile',
            ownerDepartment: 'publicsecurity',
            classification: [],
          },
          snapshot.policy,
          NOW,
        );
        assert.equal(d.rule, 'negative-list:NL-PS-010@1');

        // Version 2 supersedes version 1 on approval.
        const v2 = await as(actors.officer).entries.reviseEntry(
          'NL-PS-010',
          3,
          {
            ...MOBILE_NOT_SHARED,
            reason:
              '手机号不予共享；紧急情况走专项申请 (not shared; emergencies apply separately)',
          },
        );
        assert.deepEqual([v2.version, v2.status], [2, 'DRAFT']);
        await as(actors.officer).entries.transition(
          'submit',
          'NL-PS-010',
          2,
          1,
          null,
        );
        await as(actors.authority).entries.transition(
          'approve',
          'NL-PS-010',
          2,
          2,
          null,
        );
        const entry = await as(actors.analyst).entries.entry('NL-PS-010');
        assert.deepEqual(
          entry?.versions.map((v) => [v.version, v.status]),
          [
            [1, 'SUPERSEDED'],
            [2, 'ACTIVE'],
          ],
        );
        const history = await as(actors.analyst).entries.history(
          entry!.versions[0]!,
        );
        assert.deepEqual(
          history.map((e) => [
            e.action,
            e.fromStatus ?? null,
            e.toStatus,
            e.actor,
            e.revision,
          ]),
          [
            ['CREATED', null, 'DRAFT', actors.officer.subject, 1],
            ['SUBMITTED', 'DRAFT', 'IN_REVIEW', actors.officer.subject, 2],
            ['APPROVED', 'IN_REVIEW', 'ACTIVE', actors.chief.subject, 3],
            ['SUPERSEDED', 'ACTIVE', 'SUPERSEDED', actors.authority.subject, 4],
          ],
        );
        assert.deepEqual(
          (
            await as(actors.analyst).entries.diffVersions('NL-PS-010', 1, 2)
          ).map((c) => c.field),
          ['reason'],
        );
        // The history is append-only in the database too.
        await assert.rejects(
          db.query("UPDATE policy.entry_events SET comment = 'x'"),
          /append-only/,
        );
      });

      it('returns a version in review to its author with a comment, who edits and resubmits it', async () => {
        await as(actors.market).entries.createEntry({
          id: 'NL-MKT-010',
          ownerDepartment: 'market',
          content: {
            selector: { coordinates: ['Enterprise.registeredCapitalWan'] },
            shareClass: 'CONDITIONAL',
            legalBasis: '《企业信息公示暂行条例》',
            reason: '注册资本 (registered capital)',
            conditions: {
              consumers: ['enforcement'],
              purposes: ['complaint-handling'],
            },
          },
        });
        await as(actors.market).entries.transition(
          'submit',
          'NL-MKT-010',
          1,
          1,
          null,
        );
        await refused(
          () =>
            as(actors.authority).entries.transition(
              'return',
              'NL-MKT-010',
              1,
              2,
              '  ',
            ),
          'BAD_USER_INPUT',
          /comment/,
        );
        const returned = await as(actors.authority).entries.transition(
          'return',
          'NL-MKT-010',
          1,
          2,
          '请补充条款号',
        );
        assert.deepEqual([returned.status, returned.revision], ['DRAFT', 3]);
        const edited = await as(actors.market).entries.editDraft(
          'NL-MKT-010',
          1,
          3,
          {
            selector: { coordinates: ['Enterprise.registeredCapitalWan'] },
            shareClass: 'CONDITIONAL',
            legalBasis: '《企业信息公示暂行条例》第八条',
            reason: '注册资本 (registered capital)',
            conditions: {
              consumers: ['enforcement'],
              purposes: ['complaint-handling'],
            },
          },
        );
        assert.deepEqual(
          [edited.status, edited.revision, edited.legalBasis],
          ['DRAFT', 4, '《企业信息公示暂行条例》第八条'],
        );
        // Only the author edits a draft.
        await refused(
          () =>
            as(actors.authority).entries.editDraft('NL-MKT-010', 1, 4, {
              ...MOBILE_NOT_SHARED,
              selector: { coordinates: ['Enterprise.registeredCapitalWan'] },
            }),
          'FORBIDDEN',
          /Only the author/,
        );
      });

      it('refuses self-approval, stale revisions and illegal transitions, changing nothing', async () => {
        await as(actors.officer).entries.createEntry({
          id: 'NL-PS-011',
          ownerDepartment: 'publicsecurity',
          content: { ...MOBILE_NOT_SHARED, priority: 5 },
        });
        // Approving a draft that was never submitted.
        const illegal = await refused(
          () =>
            as(actors.chief).entries.transition(
              'approve',
              'NL-PS-011',
              1,
              1,
              null,
            ),
          'CONFLICT',
          /DRAFT; only a IN_REVIEW version can be approved/,
        );
        assert.equal(illegal.extensions['status'], 'DRAFT');
        await as(actors.officer).entries.transition(
          'submit',
          'NL-PS-011',
          1,
          1,
          null,
        );
        const self = await refused(
          () =>
            as(actors.officer).entries.transition(
              'approve',
              'NL-PS-011',
              1,
              2,
              null,
            ),
          'FORBIDDEN',
          /Four eyes/,
        );
        assert.equal(self.extensions['rule'], 'governance:four-eyes');
        // Approving what the reviewer read before it changed.
        const stale = await refused(
          () =>
            as(actors.chief).entries.transition(
              'approve',
              'NL-PS-011',
              1,
              1,
              null,
            ),
          'CONFLICT',
          /revision 2, not 1/,
        );
        assert.deepEqual(
          [
            stale.extensions['currentRevision'],
            stale.extensions['expectedRevision'],
          ],
          [2, 1],
        );
        // Another department's officer may not approve.
        await refused(
          () =>
            as(actors.market).entries.transition(
              'approve',
              'NL-PS-011',
              1,
              2,
              null,
            ),
          'NOT_FOUND',
        );
        // Revoking what is not in force; a second draft beside one in review.
        await refused(
          () =>
            as(actors.chief).entries.transition(
              'revoke',
              'NL-PS-011',
              1,
              2,
              'no',
            ),
          'CONFLICT',
        );
        await refused(
          () =>
            as(actors.officer).entries.reviseEntry(
              'NL-PS-011',
              2,
              MOBILE_NOT_SHARED,
            ),
          'CONFLICT',
          /IN_REVIEW already/,
        );
        await refused(
          () =>
            as(actors.officer).entries.createEntry({
              id: 'NL-PS-011',
              ownerDepartment: 'publicsecurity',
              content: MOBILE_NOT_SHARED,
            }),
          'CONFLICT',
          /exists already/,
        );
      });

      it('lets exactly one of two reviewers approving the same revision at once win', async () => {
        await as(actors.officer).entries.createEntry({
          id: 'NL-PS-012',
          ownerDepartment: 'publicsecurity',
          content: { ...MOBILE_NOT_SHARED, priority: 6 },
        });
        await as(actors.officer).entries.transition(
          'submit',
          'NL-PS-012',
          1,
          1,
          null,
        );
        const results = await Promise.allSettled([
          as(actors.chief).entries.transition(
            'approve',
            'NL-PS-012',
            1,
            2,
            null,
          ),
          as(actors.authority).entries.transition(
            'approve',
            'NL-PS-012',
            1,
            2,
            null,
          ),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const lost = results.find((r) => r.status === 'rejected');
        assert.ok(lost?.status === 'rejected');
        assert.equal(
          (lost.reason as GraphQLErrorWithCode).extensions['code'],
          'CONFLICT',
        );
        const entry = await as(actors.analyst).entries.entry('NL-PS-012');
        assert.equal(entry?.versions[0]?.revision, 3);
      });

      it('revokes an entry in force with a comment', async () => {
        await refused(
          () =>
            as(actors.officer).entries.transition(
              'revoke',
              'NL-PS-012',
              1,
              3,
              '',
            ),
          'BAD_USER_INPUT',
        );
        const revoked = await as(actors.officer).entries.transition(
          'revoke',
          'NL-PS-012',
          1,
          3,
          '与 NL-PS-010 重复 (duplicates NL-PS-010)',
        );
        assert.equal(revoked.status, 'REVOKED');
        const snapshot = await loadPolicySnapshot(db);
        assert.ok(
          snapshot.policy.entries.some(
            (e) => e.id === 'NL-PS-012' && e.status === 'REVOKED',
          ),
        );
      });
    });

    describe('governance API: entries are checked against the supergraph', () => {
      it('names every unknown selector with the nearest existing name, and writes nothing', async () => {
        const error = await refused(
          () =>
            as(actors.officer).entries.createEntry({
              id: 'NL-PS-020',
              ownerDepartment: 'publicsecurity',
              content: {
                ...MOBILE_NOT_SHARED,
                selector: {
                  coordinates: ['Person.mobil', 'Person.name'],
                  types: ['Persn'],
                  tags: ['PERSONAL_SENSITIV'],
                },
              },
            }),
          'BAD_USER_INPUT',
        );
        const problems = error.extensions['problems'] as Array<{
          field: string;
          name?: string;
          suggestion?: string;
        }>;
        assert.deepEqual(
          problems.map((p) => [p.field, p.name, p.suggestion]),
          [
            ['selector.coordinates', 'Person.mobil', 'Person.mobile'],
            ['selector.types', 'Persn', 'Person'],
            ['selector.tags', 'PERSONAL_SENSITIV', 'PERSONAL_SENSITIVE'],
          ],
        );
        assert.match(error.message, /did you mean Person\.mobile\?/);
      });

      it('requires a legal basis, a window that ends after it starts, and only the owner’s fields', async () => {
        const missing = await refused(
          () =>
            as(actors.officer).entries.createEntry({
              id: 'NL-PS-021',
              ownerDepartment: 'publicsecurity',
              content: { ...MOBILE_NOT_SHARED, legalBasis: '   ' },
            }),
          'BAD_USER_INPUT',
          /legal basis/,
        );
        assert.equal(
          (missing.extensions['problems'] as Array<{ field: string }>)[0]
            ?.field,
          'legalBasis',
        );
        await refused(
          () =>
            as(actors.officer).entries.createEntry({
              id: 'NL-PS-021',
              ownerDepartment: 'publicsecurity',
              content: {
                ...MOBILE_NOT_SHARED,
                validFrom: '2027-01-01T00:00:00+08:00',
                validUntil: '2026-12-31T00:00:00+08:00',
              },
            }),
          'BAD_USER_INPUT',
          /validUntil: The validity window ends .* before or when it starts/,
        );
        await refused(
          () =>
            as(actors.officer).entries.createEntry({
              id: 'NL-PS-021',
              ownerDepartment: 'publicsecurity',
              content: {
                ...MOBILE_NOT_SHARED,
                selector: { coordinates: ['Enterprise.name'] },
              },
            }),
          'BAD_USER_INPUT',
          /resolved by market, not publicsecurity/,
        );
        await refused(
          () =>
            as(actors.officer).entries.createEntry({
              id: 'NL-PS-021',
              ownerDepartment: 'publicsecurity',
              content: {
                ...MOBILE_NOT_SHARED,
                conditions: { consumers: ['enforcement'] },
              },
            }),
          'BAD_USER_INPUT',
          /Conditions apply only to CONDITIONAL entries/,
        );
        await refused(
          () =>
            as(actors.officer).entries.createEntry({
              id: 'NL-PS-021',
              ownerDepartment: 'publicsecurity',
              content: {
                ...MOBILE_NOT_SHARED,
                shareClass: 'CONDITIONAL',
                conditions: { rowFilter: '{"op":"like","field":"x"}' },
              },
            }),
          'BAD_USER_INPUT',
          /row filter/,
        );
        // Someone else's department, or no role for it at all.
        await refused(
          () =>
            as(actors.market).entries.createEntry({
              id: 'NL-PS-021',
              ownerDepartment: 'publicsecurity',
              content: MOBILE_NOT_SHARED,
            }),
          'FORBIDDEN',
        );
        await refused(
          () =>
            as(actors.analyst).entries.createEntry({
              id: 'NL-ENV-021',
              ownerDepartment: 'environment',
              content: MOBILE_NOT_SHARED,
            }),
          'FORBIDDEN',
        );
      });

      it('reports what a draft covers and contradicts without saving it', async () => {
        const result = await as(actors.officer).entries.validate({
          id: 'NL-PS-022',
          ownerDepartment: 'publicsecurity',
          content: {
            selector: { coordinates: ['Person.name'] },
            shareClass: 'NOT_SHARED',
            legalBasis: 'PIPL',
            reason: 'names',
            priority: 20,
          },
        });
        assert.equal(result.valid, true);
        assert.deepEqual(result.coverage, ['Person.name']);
        assert.deepEqual(
          result.contradictions.map((c) => [c.kind, c.otherEntry]),
          [
            ['OPPOSITE_CLASS_AT_SAME_PRIORITY', 'NL-PS-002@2'],
            // The names granted under NL-PS-002 would be withheld.
            ['GRANTS_WOULD_LAPSE', 'NL-PS-002'],
          ],
        );
        // G-2025-003 has expired and G-2025-004 is revoked: not listed.
        assert.deepEqual(result.contradictions[1]?.grants, [
          'G-2025-001',
          'G-2025-002',
        ]);
        // The seeded NL-WAT-001 both conditions environment and exempts it.
        const water = await as(actors.analyst).entries.entry('NL-WAT-001');
        const found = await as(actors.analyst).entries.contradictions(
          water!.versions[0]!,
        );
        assert.deepEqual(
          found.map((c) => c.kind),
          ['EXEMPT_AND_CONDITIONED'],
        );
      });
    });

    describe('governance API: share requests and grants', () => {
      const request = {
        entryId: 'NL-PS-002',
        purpose: 'complaint-handling',
        scenario: 'NIGHT_MARKET_COMPLAINT',
        coordinates: ['Person.name', 'Person.birthDate'],
        justification: '核实投诉人年龄 (check the complainant’s age)',
        requestedExpiry: '2027-06-01T00:00:00+08:00',
      };

      it('takes a request with a due date 10 working days on, and issues a grant on approval', async () => {
        const made = await as(actors.enforcement).shareRequests.requestShare(
          request,
        );
        assert.equal(made.id, 'SR-2026-0003');
        assert.equal(made.status, 'PENDING');
        assert.equal(made.dueAt, '2026-12-18T16:00:00.000Z');
        assert.equal(made.ownerDepartment, 'publicsecurity');
        // What each may do now: the owner decides, who asked withdraws.
        assert.deepEqual(
          as(actors.officer).shareRequests.allowedActions(made),
          ['APPROVE', 'REJECT'],
        );
        assert.deepEqual(
          as(actors.enforcement).shareRequests.allowedActions(made),
          ['WITHDRAW'],
        );
        assert.deepEqual(
          as(actors.market).shareRequests.allowedActions(made),
          [],
        );
        // The consumer cannot decide it; the owner can, narrower than asked.
        await refused(
          () =>
            as(actors.enforcement).shareRequests.approveShareRequest(
              made.id,
              1,
              {},
            ),
          'FORBIDDEN',
        );
        const approved = await as(
          actors.officer,
        ).shareRequests.approveShareRequest(made.id, 1, {
          coordinates: ['Person.birthDate'],
          masks: [{ coordinate: 'Person.birthDate', mask: 'DATE_TO_YEAR' }],
          rowFilter: '{"op":"prefix","field":"regionCode","value":"500103"}',
          expiresAt: '2027-03-01T00:00:00+08:00',
          comment: '只到年份，限渝中区',
        });
        assert.equal(approved.status, 'APPROVED');
        assert.equal(approved.grantId, 'G-2026-001');
        const grant = await as(actors.enforcement).shareRequests.grant(
          'G-2026-001',
        );
        assert.deepEqual(
          as(actors.officer).shareRequests.allowedActions(approved),
          [],
        );
        assert.ok(grant);
        assert.deepEqual(
          as(actors.officer).shareRequests.grantAllowedActions(grant),
          ['REVOKE'],
        );
        assert.deepEqual(
          as(actors.enforcement).shareRequests.grantAllowedActions(grant),
          [],
        );
        assert.deepEqual(
          {
            entryId: grant?.entryId,
            consumer: grant?.consumerDepartment,
            coordinates: grant?.coordinates,
            masks: grant?.masks,
            rowFilter: grant?.rowFilter,
            expiresAt: grant?.expiresAt,
            requestId: grant?.requestId,
            issuedBy: grant?.issuedBy,
          },
          {
            entryId: 'NL-PS-002',
            consumer: 'enforcement',
            coordinates: ['Person.birthDate'],
            masks: { 'Person.birthDate': 'DATE_TO_YEAR' },
            rowFilter: { op: 'prefix', field: 'regionCode', value: '500103' },
            expiresAt: '2027-02-28T16:00:00.000Z',
            requestId: 'SR-2026-0003',
            issuedBy: actors.officer.subject,
          },
        );
        // The loaded policy grants it.
        const snapshot = await loadPolicySnapshot(db);
        const d = decide(
          {
            subject: 'e',
            department: 'enforcement',
            roles: ['analyst'],
            level: 'CITY',
            regionCode: '500000',
            purposes: ['complaint-handling'],
          },
          'complaint-handling',
          {
            coordinate: 'Person.birthDate',
            ownerDepartment: 'publicsecurity',
            classification: ['PERSONAL'],
          },
          {
            ...snapshot.policy,
            roles: { analyst: [{ action: 'read', subject: 'all' }] },
          },
          NOW,
        );
        assert.equal(d.effect, 'MASK');
        assert.equal(d.rule, 'grant:G-2026-001');
        // Deciding it again is a conflict.
        await refused(
          () =>
            as(actors.officer).shareRequests.rejectShareRequest(
              made.id,
              2,
              'no',
            ),
          'CONFLICT',
          /APPROVED already/,
        );
      });

      it('refuses grants for data that is not conditional, other departments’ purposes and fields outside the entry', async () => {
        const notConditional = await refused(
          () =>
            as(actors.enforcement).shareRequests.requestShare({
              ...request,
              entryId: 'NL-PS-001',
              coordinates: ['Person.idNumber'],
            }),
          'BAD_USER_INPUT',
          /NOT_SHARED .* no grant can be issued/,
        );
        assert.equal(notConditional.extensions['reason'], 'not-conditional');
        await refused(
          () =>
            as(actors.enforcement).shareRequests.requestShare({
              ...request,
              purpose: 'crowd-management',
            }),
          'BAD_USER_INPUT',
          /only for .* not for crowd-management/,
        );
        await refused(
          () =>
            as(actors.enforcement).shareRequests.requestShare({
              ...request,
              coordinates: ['Person.gender'],
            }),
          'BAD_USER_INPUT',
          /Person\.gender is not covered by NL-PS-002@2/,
        );
        await refused(
          () =>
            as(actors.enforcement).shareRequests.requestShare({
              ...request,
              requestedExpiry: '2026-01-01T00:00:00+08:00',
            }),
          'BAD_USER_INPUT',
          /future/,
        );
        await refused(
          () =>
            as(actors.enforcement).shareRequests.requestShare({
              ...request,
              justification: ' ',
            }),
          'BAD_USER_INPUT',
          /justification/,
        );
        await refused(
          () => as(actors.officer).shareRequests.requestShare({ ...request }),
          'BAD_USER_INPUT',
          /own: it needs no grant/,
        );
        // A developer without the data-officer role may not apply.
        await refused(
          () =>
            as({
              ...actors.analyst,
              department: 'enforcement',
            }).shareRequests.requestShare(request),
          'FORBIDDEN',
        );
      });

      it('rejects with a reason, lets the requester withdraw, and lists overdue requests', async () => {
        const made = await as(actors.enforcement).shareRequests.requestShare(
          request,
        );
        await refused(
          () =>
            as(actors.officer).shareRequests.rejectShareRequest(made.id, 1, ''),
          'BAD_USER_INPUT',
        );
        const rejected = await as(
          actors.officer,
        ).shareRequests.rejectShareRequest(
          made.id,
          1,
          '最小必要：出生日期非投诉办理所需',
        );
        assert.equal(rejected.status, 'REJECTED');
        const again = await as(actors.enforcement).shareRequests.requestShare(
          request,
        );
        await refused(
          () =>
            as(actors.officer).shareRequests.withdrawShareRequest(again.id, 1),
          'FORBIDDEN',
          /Only who made/,
        );
        const withdrawn = await as(
          actors.enforcement,
        ).shareRequests.withdrawShareRequest(again.id, 1);
        assert.equal(withdrawn.status, 'WITHDRAWN');
        const overdue = await as(actors.officer).shareRequests.shareRequests(
          { side: 'AS_OWNER', overdue: true },
          {},
        );
        assert.deepEqual(
          overdue.nodes.map((r) => r.id),
          ['SR-2026-0001'],
        );
        // The consumer sees its own requests, not the others'.
        const mine = await as(actors.enforcement).shareRequests.shareRequests(
          {},
          { first: 100 },
        );
        assert.ok(
          mine.nodes.every((r) => r.consumerDepartment === 'enforcement'),
        );
        assert.ok(mine.totalCount >= 4);
      });

      it('revokes a grant with a reason; revoking twice is a conflict', async () => {
        await refused(
          () => as(actors.market).shareRequests.revokeGrant('G-2025-001', 'x'),
          'NOT_FOUND',
        );
        await refused(
          () =>
            as(actors.enforcement).shareRequests.revokeGrant('G-2025-001', 'x'),
          'FORBIDDEN',
        );
        const revoked = await as(actors.officer).shareRequests.revokeGrant(
          'G-2026-001',
          '投诉已办结 (the complaint is closed)',
        );
        assert.deepEqual(
          [revoked.revoked, revoked.revokedBy, revoked.revocationReason],
          [
            true,
            actors.officer.subject,
            '投诉已办结 (the complaint is closed)',
          ],
        );
        await refused(
          () =>
            as(actors.officer).shareRequests.revokeGrant('G-2026-001', 'again'),
          'CONFLICT',
        );
        const inForce = await as(actors.officer).shareRequests.grants(
          { inForce: true },
          { first: 100 },
        );
        assert.ok(!inForce.nodes.some((g) => g.id === 'G-2026-001'));
      });
    });

    describe('governance API: classification, settings, versions, reports', () => {
      it('flags unclassified fields to their owner and lets the owner classify them', async () => {
        const flagged = await as(
          actors.market,
        ).classifications.unclassifiedFields('market', {});
        assert.deepEqual(
          flagged.nodes.map((f) => f.coordinate),
          ['Enterprise.creditGrade', 'Enterprise.establishedOn'],
        );
        await refused(
          () =>
            as(actors.officer).classifications.classifyFields([
              { coordinate: 'Enterprise.creditGrade', tags: ['GENERAL'] },
            ]),
          'FORBIDDEN',
        );
        const bad = await refused(
          () =>
            as(actors.market).classifications.classifyFields([
              { coordinate: 'Enterprise.creditGrad', tags: ['general'] },
            ]),
          'BAD_USER_INPUT',
        );
        assert.match(bad.message, /did you mean Enterprise\.creditGrade\?/);
        const [review] = await as(actors.market).classifications.classifyFields(
          [{ coordinate: 'Enterprise.creditGrade', tags: ['GENERAL'] }],
        );
        assert.deepEqual(
          [review?.reviewedTags, review?.reviewedBy, review?.unclassified],
          [['GENERAL'], actors.market.subject, false],
        );
        const left = await as(actors.market).classifications.unclassifiedFields(
          'market',
          {},
        );
        assert.deepEqual(
          left.nodes.map((f) => f.coordinate),
          ['Enterprise.establishedOn'],
        );
      });

      it('lets only the city data authority withhold unclassified fields', async () => {
        await refused(
          () => as(actors.market).classifications.setWithholdUnclassified(true),
          'FORBIDDEN',
        );
        const on = await as(
          actors.authority,
        ).classifications.setWithholdUnclassified(true);
        assert.equal(on.withholdUnclassified, true);
        const snapshot = await loadPolicySnapshot(db);
        const d = decide(
          {
            subject: 'x',
            department: 'emergency',
            roles: ['analyst'],
            level: 'CITY',
            regionCode: '500000',
            purposes: ['risk-inventory'],
          },
          'risk-inventory',
          {
            coordinate: 'Enterprise.establishedOn',
            ownerDepartment: 'market',
            classification: [],
          },
          snapshot.policy,
          NOW,
        );
        assert.equal(d.code, 'FIELD_NOT_CLASSIFIED');
        const off = await as(
          actors.authority,
        ).classifications.setWithholdUnclassified(false);
        assert.equal(off.withholdUnclassified, false);
      });

      it('logs every version of the policy and diffs any two', async () => {
        const versions = await as(actors.officer).reports.policyVersions({
          first: 100,
        });
        assert.ok(versions.totalCount > 10);
        const [newest] = versions.nodes;
        assert.equal(
          newest?.version,
          policyVersion(await readPolicyDocument(db)),
        );
        assert.equal(newest?.change, 'set withholdUnclassified false');
        const seeded = versions.nodes.at(-1);
        assert.equal(seeded?.change, 'import');
        const changes = await as(actors.officer).reports.policyDiff(
          seeded?.version.slice(0, 8) ?? '',
          'current',
        );
        const keys = changes.map((c) => `${c.kind} ${c.key} ${c.change}`);
        assert.ok(keys.includes('entry NL-PS-010@2 added'), keys.join('\n'));
        assert.ok(keys.includes('grant G-2026-001 added'));
        assert.ok(keys.includes('classification Enterprise.creditGrade added'));
        // Drafts and grants of other departments stay hidden from the
        // market officer; published entries do not.
        const market = await as(actors.market).reports.policyDiff(
          seeded?.version ?? '',
          'current',
        );
        assert.ok(!market.some((c) => c.key === 'NL-PS-011@1'));
        assert.ok(!market.some((c) => c.key === 'G-2026-001'));
        assert.ok(market.some((c) => c.key === 'NL-PS-010@2'));
        assert.ok(market.some((c) => c.key === 'NL-MKT-010@1'));
        await refused(
          () => as(actors.analyst).reports.policyVersions({}),
          'FORBIDDEN',
        );
        await refused(
          () =>
            as(actors.officer).reports.policyDiff('ffffffffffff', 'current'),
          'NOT_FOUND',
        );
      });

      it('tells a data officer who read their data, and nobody else', async () => {
        await refused(
          () =>
            as(actors.market).reports.accessReport(
              'publicsecurity',
              null,
              null,
            ),
          'FORBIDDEN',
        );
        await refused(
          () =>
            as(actors.officer).reports.accessReport(
              'publicsecurity',
              '2026-12-04T00:00:00+08:00',
              '2026-12-01T00:00:00+08:00',
            ),
          'BAD_USER_INPUT',
        );
        const since = '2020-01-01T00:00:00Z';
        const until = '2100-01-01T00:00:00Z';
        const report = await as(actors.officer).reports.accessReport(
          'publicsecurity',
          since,
          until,
        );
        const today = new Date(Date.now() + 8 * 3_600_000)
          .toISOString()
          .slice(0, 10);
        assert.deepEqual(
          report.rows.map((r) => [
            r.consumer,
            r.coordinate,
            r.purpose,
            r.reads,
            r.subjects,
          ]),
          [
            ['emergency', 'Person.name', 'emergency-response', 1, 1],
            ['enforcement', 'Person.mobile', 'complaint-handling', 3, 3],
            ['enforcement', 'Person.name', 'complaint-handling', 3, 3],
          ],
        );
        assert.ok(report.rows.every((r) => r.day === today));
        const lines = report.csv.trimEnd().split('\r\n');
        assert.equal(
          lines[0],
          'day,consumer,coordinate,purpose,reads,withheld,subjects',
        );
        assert.equal(lines.length, 4);
        // Totals per consumer, field, purpose and day count operations and
        // principals once, not once per row.
        const totals = (list: typeof report.byConsumer) =>
          list.map((t) => [t.key, t.reads, t.withheld, t.subjects]);
        assert.deepEqual(totals(report.byConsumer), [
          ['emergency', 1, 0, 1],
          ['enforcement', 3, 0, 3],
        ]);
        assert.deepEqual(totals(report.byCoordinate), [
          ['Person.mobile', 3, 0, 3],
          ['Person.name', 4, 0, 4],
        ]);
        assert.deepEqual(totals(report.byPurpose), [
          ['complaint-handling', 3, 0, 3],
          ['emergency-response', 1, 0, 1],
        ]);
        assert.deepEqual(totals(report.byDay), [[today, 4, 0, 4]]);
        assert.deepEqual(totals([report.total]), [['', 4, 0, 4]]);
        // The city data authority reads every department's report.
        const city = await as(actors.authority).reports.accessReport(
          'publicsecurity',
          since,
          until,
        );
        assert.equal(city.rows.length, 3);
      });
    });

    describe('governance API: the access log for auditors', () => {
      it('refuses everyone but a city-level auditor, naming the rule', async () => {
        for (const actor of [
          actors.officer,
          actors.authority,
          actors.analyst,
          actors.districtAuditor,
        ]) {
          const error = await refused(
            () => as(actor).accessLog.records({}, {}),
            'FORBIDDEN',
            /auditor/,
          );
          assert.equal(error.extensions['rule'], 'governance:auditor-only');
          await refused(() => as(actor).accessLog.record('1'), 'FORBIDDEN');
          await refused(() => as(actor).accessLog.verification(), 'FORBIDDEN');
        }
        // An auditor reads every department's access report, and writes nothing.
        const report = await as(actors.auditor).reports.accessReport(
          'publicsecurity',
          '2020-01-01T00:00:00Z',
          '2100-01-01T00:00:00Z',
        );
        assert.ok(report.rows.length > 0);
        await refused(
          () =>
            as(actors.auditor).entries.createEntry({
              id: 'NL-PS-090',
              ownerDepartment: 'publicsecurity',
              content: MOBILE_NOT_SHARED,
            }),
          'FORBIDDEN',
        );
      });

      it('lists records newest first by principal, department, coordinate, purpose, outcome and time, in keyset pages with CSV', async () => {
        const log = createAccessLog(
          { db, flushIntervalMs: 1, failClosed: true },
          { logger: createLogger('test', 'silent') },
        );
        await log.append({
          subject: 'env-analyst',
          department: 'environment',
          roles: ['analyst'],
          purpose: 'water-pollution-tracing',
          operationHash: 'h3',
          operationText: 'query Who { person(id: "P-1") { name idNumber } }',
          operationName: 'Who',
          read: { publicsecurity: ['Query.person', 'Person.name'] },
          withheld: [
            {
              coordinate: 'Person.idNumber',
              path: ['person', 'idNumber'],
              code: 'FORBIDDEN_BY_NEGATIVE_LIST',
              rule: 'negative-list:NL-PS-001@1',
            },
          ],
          masked: [],
          outcome: 'PARTIAL',
          latencyMs: 7,
          // The gateway traced this request (docs/operations.md, Traces).
          traceId: TRACE_ID,
        });
        await log.close();
        const auditor = as(actors.auditor);
        const all = await auditor.accessLog.records({}, { first: 100 });
        assert.equal(all.totalCount, 5);
        const seqs = all.nodes.map((r) => r.seq);
        assert.deepEqual(
          seqs,
          [...seqs].sort((a, b) => b - a),
          'newest first',
        );
        assert.equal(all.nodes[0]?.subject, 'env-analyst');

        // Keyset pages: two, two, one, then none.
        const pages: number[][] = [];
        let after: string | null = null;
        for (;;) {
          const page = await auditor.accessLog.records({}, { first: 2, after });
          pages.push(page.nodes.map((r) => r.seq));
          assert.equal(page.totalCount, 5);
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        assert.deepEqual(pages.flat(), seqs);
        assert.deepEqual(
          pages.map((p) => p.length),
          [2, 2, 1],
        );

        const count = async (
          filter: Parameters<typeof auditor.accessLog.records>[0],
        ): Promise<number> =>
          (await auditor.accessLog.records(filter, { first: 100 })).totalCount;
        assert.equal(await count({ subject: 'enforcement-a' }), 1);
        assert.equal(await count({ department: 'enforcement' }), 3);
        assert.equal(await count({ ownerDepartment: 'publicsecurity' }), 5);
        assert.equal(await count({ ownerDepartment: 'market' }), 0);
        assert.equal(await count({ coordinate: 'Person.mobile' }), 3);
        assert.equal(await count({ coordinate: 'Person.idNumber' }), 1);
        assert.equal(await count({ purpose: 'emergency-response' }), 1);
        assert.equal(await count({ outcome: 'PARTIAL' }), 1);
        assert.equal(await count({ outcome: 'REJECTED' }), 0);
        assert.equal(
          await count({
            department: 'enforcement',
            coordinate: 'Person.name',
            outcome: 'OK',
          }),
          3,
        );
        assert.equal(await count({ since: '2100-01-01T00:00:00Z' }), 0);
        assert.equal(
          await count({
            since: '2020-01-01T00:00:00Z',
            until: '2100-01-01T00:00:00Z',
          }),
          5,
        );

        const csv = (
          await auditor.accessLog.records({ coordinate: 'Person.idNumber' }, {})
        ).csv
          .trimEnd()
          .split('\r\n');
        assert.equal(csv.length, 2);
        assert.match(csv[0] ?? '', /^seq,recordedAt,subject,department,/);
        assert.match(
          csv[1] ?? '',
          /,env-analyst,environment,analyst,water-pollution-tracing,PARTIAL,Who,h3,publicsecurity:Query.person;publicsecurity:Person.name,Person.idNumber=negative-list:NL-PS-001@1,,7,/,
        );
      });

      it('opens one record whole: operation, coordinates read, withheld and masked with their rules, its trace id, its hashes', async () => {
        const auditor = as(actors.auditor);
        const [newest] = (await auditor.accessLog.records({}, { first: 1 }))
          .nodes;
        assert.ok(newest);
        const record = await auditor.accessLog.record(String(newest.seq));
        assert.ok(record);
        assert.equal(
          record.operationText,
          'query Who { person(id: "P-1") { name idNumber } }',
        );
        assert.deepEqual(record.read, {
          publicsecurity: ['Query.person', 'Person.name'],
        });
        assert.deepEqual(record.withheld, [
          {
            coordinate: 'Person.idNumber',
            path: ['person', 'idNumber'],
            code: 'FORBIDDEN_BY_NEGATIVE_LIST',
            rule: 'negative-list:NL-PS-001@1',
          },
        ]);
        assert.match(record.hash, /^[0-9a-f]{64}$/);
        // The trace id it was logged with; records of untraced requests have none.
        assert.equal(record.traceId, TRACE_ID);
        assert.equal(
          (await auditor.accessLog.records({}, { first: 1 })).nodes[0]?.traceId,
          TRACE_ID,
        );
        const untraced = (
          await auditor.accessLog.records({ subject: 'enforcement-a' }, {})
        ).nodes[0];
        assert.ok(untraced);
        assert.equal(
          (await auditor.accessLog.record(String(untraced.seq)))?.traceId,
          null,
        );
        const masked = (
          await auditor.accessLog.records(
            { subject: 'enforcement-jiefangbei' },
            {},
          )
        ).nodes[0];
        assert.deepEqual(masked?.masked, [
          { coordinate: 'Person.name', rule: 'grant:G-2025-001', mask: 'NAME' },
          {
            coordinate: 'Person.mobile',
            rule: 'grant:G-2025-001',
            mask: 'MOBILE',
          },
        ]);
        assert.equal(await auditor.accessLog.record('999999999'), null);
        await refused(
          () => auditor.accessLog.record('seven'),
          'BAD_USER_INPUT',
        );
      });

      it('verifies the chains and names the last verified head', async () => {
        const auditor = as(actors.auditor);
        const verification = await auditor.accessLog.verification();
        assert.equal(verification.ok, true);
        assert.equal(verification.records, 5);
        assert.deepEqual(verification.problems, []);
        const [newest] = (await auditor.accessLog.records({}, { first: 1 }))
          .nodes;
        assert.equal(verification.head?.seq, newest?.seq);
        assert.equal(verification.head?.hash, newest?.hash);
        assert.equal(
          verification.chains.reduce((n, c) => n + c.records, 0),
          5,
        );
        assert.equal(verification.verifiedAt, NOW.toISOString());
      });

      it('refuses malformed filters and cursors with BAD_USER_INPUT', async () => {
        const auditor = as(actors.auditor);
        for (const [filter, page] of [
          [{ since: 'yesterday' }, {}],
          [
            {
              since: '2026-12-04T00:00:00+08:00',
              until: '2026-12-01T00:00:00+08:00',
            },
            {},
          ],
          [{ subject: '' }, {}],
          [{ outcome: 'LOST' }, {}],
          [{}, { first: 0 }],
          [{}, { first: 101 }],
          [{}, { after: 'not-a-cursor' }],
        ] as const) {
          await refused(
            () =>
              auditor.accessLog.records(
                filter as Parameters<typeof auditor.accessLog.records>[0],
                page,
              ),
            'BAD_USER_INPUT',
          );
        }
      });
    });

    describe('governance API: what the caller may do now', () => {
      it('lists the actions of an entry version from its lifecycle and four eyes, and whether a next version may be written', async () => {
        const draft = await as(actors.officer).entries.createEntry({
          id: 'NL-PS-095',
          ownerDepartment: 'publicsecurity',
          content: MOBILE_NOT_SHARED,
        });
        const allowed = (
          actor: AdministrationActor,
          version: typeof draft,
        ): string[] => as(actor).entries.allowedActions(version);
        assert.deepEqual(allowed(actors.officer, draft), ['edit', 'submit']);
        assert.deepEqual(allowed(actors.chief, draft), []);
        assert.deepEqual(allowed(actors.market, draft), []);
        const submitted = await as(actors.officer).entries.transition(
          'submit',
          'NL-PS-095',
          1,
          draft.revision,
          null,
        );
        // Four eyes: the author may return it, never approve it.
        assert.deepEqual(allowed(actors.officer, submitted), ['return']);
        assert.deepEqual(allowed(actors.chief, submitted), [
          'return',
          'approve',
        ]);
        assert.deepEqual(allowed(actors.authority, submitted), [
          'return',
          'approve',
        ]);
        assert.deepEqual(allowed(actors.auditor, submitted), []);
        const entry = await as(actors.officer).entries.entry('NL-PS-095');
        assert.ok(entry);
        assert.equal(as(actors.officer).entries.mayRevise(entry), false);
        const active = await as(actors.chief).entries.transition(
          'approve',
          'NL-PS-095',
          1,
          submitted.revision,
          null,
        );
        assert.deepEqual(allowed(actors.officer, active), ['revoke']);
        assert.deepEqual(allowed(actors.analyst, active), []);
        const published = await as(actors.officer).entries.entry('NL-PS-095');
        assert.ok(published);
        assert.equal(as(actors.officer).entries.mayRevise(published), true);
        assert.equal(as(actors.market).entries.mayRevise(published), false);
      });
    });
  });
}

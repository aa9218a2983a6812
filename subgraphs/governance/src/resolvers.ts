// Resolvers of the governance subgraph: thin mappings between GraphQL and
// the per-request GovernanceApi, each to the API of its aggregate (entries,
// shareRequests, classifications, reports).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import type {
  ClassificationProposalStatus,
  Contradiction,
  MaskKind,
} from '../../../policies/src/index.js';
import type { PageArgs, SubgraphContext } from '../../kit/src/index.js';
import { actorOf } from './actor.js';
import type { AccessRecordFilterInput } from './AccessLogApi.js';
import type {
  AccessLogVerification,
  AccessRecordView,
} from '../../../policies/store/src/audit/index.js';
import type { NegativeListEntryApi } from './NegativeListEntryApi.js';
import type { ShareRequestApi } from './ShareRequestApi.js';
import type { EntryContentInput } from './entryContent.js';
import {
  createGovernanceApi,
  type EntryView,
  type GovernanceApi,
  type GovernanceShared,
} from './GovernanceApi.js';
import type {
  ClassificationProposalRecord,
  EntryVersionRecord,
  GrantRecord,
  ShareRequestRecord,
  ShareRequestStatus,
} from '../../../policies/store/src/administration/index.js';
import {
  TokenRevocationApi,
  type TokenRevocationFilter,
  type TokenRevocationInput,
} from './TokenRevocationApi.js';

/** The request's token revocations (bearer tokens, `BearerToken` in CASL). */
function revocations(
  ctx: SubgraphContext,
  shared: GovernanceShared,
): TokenRevocationApi {
  return ctx.loaders.get(
    'governance.tokenRevocations',
    null,
    () => new TokenRevocationApi(ctx.db, actorOf(ctx), shared.now),
  );
}

/** The request's API, made on first use (one actor, one set of loaders). */
function api(ctx: SubgraphContext, shared: GovernanceShared): GovernanceApi {
  return ctx.loaders.get('governance.api', null, () =>
    createGovernanceApi(ctx.db, actorOf(ctx), shared),
  );
}

function masksOf(
  masks: Readonly<Record<string, MaskKind>> | undefined,
): { coordinate: string; mask: MaskKind }[] {
  return Object.entries(masks ?? {})
    .map(([coordinate, mask]) => ({ coordinate, mask }))
    .sort((a, b) => (a.coordinate < b.coordinate ? -1 : 1));
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

type Args<T> = T & Record<string, unknown>;

/** The resolvers, over what every request shares. */
export function createResolvers(
  shared: GovernanceShared,
): GraphQLResolverMap<SubgraphContext> {
  const of = (ctx: SubgraphContext): GovernanceApi => api(ctx, shared);
  return {
    Query: {
      negativeListEntry: (
        _: unknown,
        args: { id: string },
        ctx: SubgraphContext,
      ) => of(ctx).entries.entry(args.id),
      negativeListEntries: (
        _: unknown,
        args: Args<
          PageArgs & {
            ownerDepartment?: string | null;
            status?: EntryVersionRecord['status'] | null;
          }
        >,
        ctx: SubgraphContext,
      ) =>
        of(ctx).entries.entries(
          {
            ...(args.ownerDepartment
              ? { ownerDepartment: args.ownerDepartment }
              : {}),
            ...(args.status ? { status: args.status } : {}),
          },
          args,
        ),
      reviewQueue: (_: unknown, args: PageArgs, ctx: SubgraphContext) =>
        of(ctx).entries.reviewQueue(args),
      validateNegativeListEntry: (
        _: unknown,
        args: {
          input: {
            id: string;
            ownerDepartment: string;
            content: EntryContentInput;
          };
        },
        ctx: SubgraphContext,
      ) => of(ctx).entries.validate(args.input),
      shareRequest: (_: unknown, args: { id: string }, ctx: SubgraphContext) =>
        of(ctx).shareRequests.shareRequest(args.id),
      shareRequests: (
        _: unknown,
        args: Args<
          PageArgs & {
            side?: 'AS_OWNER' | 'AS_CONSUMER' | null;
            status?: ShareRequestStatus | null;
            overdue?: boolean | null;
          }
        >,
        ctx: SubgraphContext,
      ) => of(ctx).shareRequests.shareRequests(args, args),
      grant: (_: unknown, args: { id: string }, ctx: SubgraphContext) =>
        of(ctx).shareRequests.grant(args.id),
      grants: (
        _: unknown,
        args: Args<
          PageArgs & {
            consumerDepartment?: string | null;
            ownerDepartment?: string | null;
            inForce?: boolean | null;
          }
        >,
        ctx: SubgraphContext,
      ) => of(ctx).shareRequests.grants(args, args),
      unclassifiedFields: (
        _: unknown,
        args: Args<PageArgs & { ownerDepartment?: string | null }>,
        ctx: SubgraphContext,
      ) =>
        of(ctx).classifications.unclassifiedFields(args.ownerDepartment, args),
      fieldClassification: (
        _: unknown,
        args: { coordinate: string },
        ctx: SubgraphContext,
      ) => of(ctx).classifications.fieldReview(args.coordinate),
      classificationProposal: (
        _: unknown,
        args: { id: string },
        ctx: SubgraphContext,
      ) => of(ctx).classifications.proposal(args.id),
      classificationProposals: (
        _: unknown,
        args: Args<
          PageArgs & {
            status?: ClassificationProposalStatus | null;
            coordinate?: string | null;
            awaitingMyDecision?: boolean | null;
          }
        >,
        ctx: SubgraphContext,
      ) => of(ctx).classifications.proposals(args, args),
      policySettings: (_: unknown, __: unknown, ctx: SubgraphContext) =>
        of(ctx).classifications.settings(),
      policyVersions: (_: unknown, args: PageArgs, ctx: SubgraphContext) =>
        of(ctx).reports.policyVersions(args),
      policyDiff: (
        _: unknown,
        args: { from: string; to: string },
        ctx: SubgraphContext,
      ) => of(ctx).reports.policyDiff(args.from, args.to),
      accessReport: (
        _: unknown,
        args: {
          ownerDepartment: string;
          since?: string | null;
          until?: string | null;
        },
        ctx: SubgraphContext,
      ) =>
        of(ctx).reports.accessReport(
          args.ownerDepartment,
          args.since,
          args.until,
        ),
      accessRecords: (
        _: unknown,
        args: Args<PageArgs & { filter?: AccessRecordFilterInput | null }>,
        ctx: SubgraphContext,
      ) => of(ctx).accessLog.records(args.filter, args),
      accessRecord: (_: unknown, args: { seq: string }, ctx: SubgraphContext) =>
        of(ctx).accessLog.record(args.seq),
      accessLogVerification: (_: unknown, __: unknown, ctx: SubgraphContext) =>
        of(ctx).accessLog.verification(),
      tokenRevocations: (
        _: unknown,
        args: Args<PageArgs & TokenRevocationFilter>,
        ctx: SubgraphContext,
      ) => revocations(ctx, shared).list(args, args),
    },
    Mutation: {
      createNegativeListEntry: (
        _: unknown,
        args: {
          input: {
            id: string;
            ownerDepartment: string;
            content: EntryContentInput;
          };
        },
        ctx: SubgraphContext,
      ) => of(ctx).entries.createEntry(args.input),
      reviseNegativeListEntry: (
        _: unknown,
        args: {
          id: string;
          expectedRevision: number;
          content: EntryContentInput;
        },
        ctx: SubgraphContext,
      ) =>
        of(ctx).entries.reviseEntry(
          args.id,
          args.expectedRevision,
          args.content,
        ),
      editNegativeListEntryDraft: (
        _: unknown,
        args: {
          id: string;
          version: number;
          expectedRevision: number;
          content: EntryContentInput;
        },
        ctx: SubgraphContext,
      ) =>
        of(ctx).entries.editDraft(
          args.id,
          args.version,
          args.expectedRevision,
          args.content,
        ),
      submitNegativeListEntry: (
        _: unknown,
        args: TransitionArgs,
        ctx: SubgraphContext,
      ) => transition(of(ctx).entries, 'submit', args),
      returnNegativeListEntry: (
        _: unknown,
        args: TransitionArgs,
        ctx: SubgraphContext,
      ) => transition(of(ctx).entries, 'return', args),
      approveNegativeListEntry: (
        _: unknown,
        args: TransitionArgs,
        ctx: SubgraphContext,
      ) => transition(of(ctx).entries, 'approve', args),
      revokeNegativeListEntry: (
        _: unknown,
        args: TransitionArgs,
        ctx: SubgraphContext,
      ) => transition(of(ctx).entries, 'revoke', args),
      requestShare: (
        _: unknown,
        args: {
          input: {
            entryId: string;
            purpose: string;
            scenario?: string | null;
            coordinates: string[];
            justification: string;
            requestedExpiry: string;
          };
        },
        ctx: SubgraphContext,
      ) => of(ctx).shareRequests.requestShare(args.input),
      approveShareRequest: (
        _: unknown,
        args: {
          id: string;
          expectedRevision: number;
          decision?:
            Parameters<ShareRequestApi['approveShareRequest']>[2] | null;
        },
        ctx: SubgraphContext,
      ) =>
        of(ctx).shareRequests.approveShareRequest(
          args.id,
          args.expectedRevision,
          args.decision ?? {},
        ),
      rejectShareRequest: (
        _: unknown,
        args: { id: string; expectedRevision: number; reason: string },
        ctx: SubgraphContext,
      ) =>
        of(ctx).shareRequests.rejectShareRequest(
          args.id,
          args.expectedRevision,
          args.reason,
        ),
      withdrawShareRequest: (
        _: unknown,
        args: { id: string; expectedRevision: number },
        ctx: SubgraphContext,
      ) =>
        of(ctx).shareRequests.withdrawShareRequest(
          args.id,
          args.expectedRevision,
        ),
      revokeGrant: (
        _: unknown,
        args: { id: string; reason: string },
        ctx: SubgraphContext,
      ) => of(ctx).shareRequests.revokeGrant(args.id, args.reason),
      classifyFields: (
        _: unknown,
        args: { input: { coordinate: string; tags: string[] }[] },
        ctx: SubgraphContext,
      ) => of(ctx).classifications.classifyFields(args.input),
      approveClassificationProposal: (
        _: unknown,
        args: { id: string; expectedRevision: number; comment?: string | null },
        ctx: SubgraphContext,
      ) =>
        of(ctx).classifications.approveProposal(
          args.id,
          args.expectedRevision,
          args.comment,
        ),
      rejectClassificationProposal: (
        _: unknown,
        args: { id: string; expectedRevision: number; reason: string },
        ctx: SubgraphContext,
      ) =>
        of(ctx).classifications.rejectProposal(
          args.id,
          args.expectedRevision,
          args.reason,
        ),
      withdrawClassificationProposal: (
        _: unknown,
        args: { id: string; expectedRevision: number },
        ctx: SubgraphContext,
      ) =>
        of(ctx).classifications.withdrawProposal(
          args.id,
          args.expectedRevision,
        ),
      setWithholdUnclassified: (
        _: unknown,
        args: { value: boolean },
        ctx: SubgraphContext,
      ) => of(ctx).classifications.setWithholdUnclassified(args.value),
      revokeTokens: (
        _: unknown,
        args: { input: TokenRevocationInput },
        ctx: SubgraphContext,
      ) => revocations(ctx, shared).revoke(args.input),
    },
    NegativeListEntry: {
      active: (entry: EntryView) =>
        entry.versions.find((v) => v.status === 'ACTIVE') ?? null,
      latest: (entry: EntryView) => entry.versions.at(-1),
      version: (entry: EntryView, args: { version: number }) =>
        entry.versions.find((v) => v.version === args.version) ?? null,
      diff: (
        entry: EntryView,
        args: { from: number; to: number },
        ctx: SubgraphContext,
      ) => of(ctx).entries.diffVersions(entry.id, args.from, args.to),
    },
    NegativeListEntryVersion: {
      selector: (v: EntryVersionRecord) => ({
        coordinates: v.selector.coordinates ?? [],
        types: v.selector.types ?? [],
        tags: v.selector.tags ?? [],
      }),
      conditions: (v: EntryVersionRecord) =>
        v.conditions === undefined
          ? null
          : {
              consumers: v.conditions.consumers ?? null,
              purposes: v.conditions.purposes ?? null,
              scenarios: v.conditions.scenarios ?? null,
              rowFilter: json(v.conditions.rowFilter),
              masks: masksOf(v.conditions.masks),
            },
      exceptions: (v: EntryVersionRecord) =>
        v.exceptions === undefined
          ? null
          : {
              consumers: v.exceptions.consumers ?? [],
              purposes: v.exceptions.purposes ?? [],
            },
      coverage: (v: EntryVersionRecord, _: unknown, ctx: SubgraphContext) =>
        of(ctx).entries.coverage(v),
      contradictions: async (
        v: EntryVersionRecord,
        _: unknown,
        ctx: SubgraphContext,
      ) => (await of(ctx).entries.contradictions(v)).map(contradictionOf),
      changesFromPrevious: (
        v: EntryVersionRecord,
        _: unknown,
        ctx: SubgraphContext,
      ) => of(ctx).entries.changesFromPrevious(v),
      history: (v: EntryVersionRecord, _: unknown, ctx: SubgraphContext) =>
        of(ctx).entries.history(v),
      impact: (
        v: EntryVersionRecord,
        args: { since?: string | null; limit?: number | null },
        ctx: SubgraphContext,
      ) => of(ctx).reports.impact(v, args),
    },
    ShareRequest: {
      overdue: (r: ShareRequestRecord, _: unknown, ctx: SubgraphContext) =>
        of(ctx).shareRequests.isOverdue(r),
      grant: (r: ShareRequestRecord, _: unknown, ctx: SubgraphContext) =>
        r.grantId === undefined ? null : of(ctx).shareRequests.grant(r.grantId),
    },
    FieldReview: {
      pendingProposal: (
        r: { coordinate: string },
        _: unknown,
        ctx: SubgraphContext,
      ) => of(ctx).classifications.pendingProposalOf(r.coordinate),
    },
    ClassificationProposal: {
      changes: (p: ClassificationProposalRecord) =>
        p.changes.map((c) => ({ ...c, entriesChanged: c.coverageChanges })),
      affectedDepartments: (p: ClassificationProposalRecord) =>
        p.affected.map(({ department, reasons }) => {
          const approval = p.approvals.find((a) => a.department === department);
          return {
            department,
            reasons,
            approvedBy: approval?.approver ?? null,
            approvedAt: approval?.at ?? null,
            comment: approval?.comment ?? null,
          };
        }),
      history: (
        p: ClassificationProposalRecord,
        _: unknown,
        ctx: SubgraphContext,
      ) => of(ctx).classifications.proposalHistory(p),
      impact: (
        p: ClassificationProposalRecord,
        args: { since?: string | null; limit?: number | null },
        ctx: SubgraphContext,
      ) => of(ctx).reports.proposalImpact(p, args),
    },
    AccessRecord: {
      seq: (r: AccessRecordView) => String(r.seq),
      read: (r: AccessRecordView) =>
        Object.entries(r.read)
          .map(([ownerDepartment, coordinates]) => ({
            ownerDepartment,
            coordinates,
          }))
          .sort((a, b) => (a.ownerDepartment < b.ownerDepartment ? -1 : 1)),
      withheld: (r: AccessRecordView) =>
        r.withheld.map((w) => ({ ...w, path: w.path.map(String) })),
    },
    AccessLogVerification: {
      lastCheckpoint: (v: AccessLogVerification) => v.checkpoints.head,
      checkpointCount: (v: AccessLogVerification) => v.checkpoints.count,
    },
    Grant: {
      masks: (g: GrantRecord) => masksOf(g.masks),
      rowFilter: (g: GrantRecord) => json(g.rowFilter),
      inForce: (g: GrantRecord, _: unknown, ctx: SubgraphContext) =>
        of(ctx).shareRequests.isInForce(g),
    },
  };
}

interface TransitionArgs {
  id: string;
  version: number;
  expectedRevision: number;
  comment?: string | null;
}

function transition(
  entries: NegativeListEntryApi,
  action: 'submit' | 'return' | 'approve' | 'revoke',
  args: TransitionArgs,
): Promise<EntryVersionRecord> {
  return entries.transition(
    action,
    args.id,
    args.version,
    args.expectedRevision,
    args.comment,
  );
}

function contradictionOf(c: Contradiction): Record<string, unknown> {
  return {
    kind: c.kind,
    message: c.message,
    otherEntry: c.otherEntry ?? null,
    grants: c.grants ?? [],
    coordinates: c.coordinates,
  };
}

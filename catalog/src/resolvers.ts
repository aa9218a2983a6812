// Resolvers of the catalog subgraph: thin mappings between GraphQL and the
// per-request registry and directory.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import type { AlgorithmState } from '../../policies/src/index.js';
import type { PageArgs } from '../../subgraphs/kit/src/pagination.js';
import type { SubgraphContext } from '../../subgraphs/kit/src/createSubgraph.js';
import { actorOf } from './actor.js';
import type { CatalogShared } from './CatalogShared.js';
import { DirectoryApi, type DataResource } from './DirectoryApi.js';
import type { EvidenceUpload } from './evidenceDocument.js';
import type {
  Evidence,
  EvidenceKind,
  FilingRevisionContent,
  RiskCategory,
} from './model/Filing.js';
import type { FilingAction } from './model/filingLifecycle.js';
import { RegistryApi } from './RegistryApi.js';
import type {
  EvidenceDocumentRecord,
  FilingRecord,
  NotificationRecord,
  RevisionRecord,
} from './repository.js';

/** GraphQL's FilingAction enum value → the model's action. */
const ACTIONS: Readonly<Record<string, FilingAction>> = {
  SUBMIT: 'submit',
  START_REVIEW: 'startReview',
  FILE: 'file',
  RETURN: 'return',
  PILOT: 'pilot',
  SERVE: 'serve',
  APPROVE_CHANGE: 'approveChange',
  REJECT_CHANGE: 'rejectChange',
  SUSPEND: 'suspend',
  RESUME: 'resume',
  RETIRE: 'retire',
};

/** The model's action → GraphQL's FilingAction enum value. */
const ACTION_VALUES: ReadonlyMap<FilingAction, string> = new Map(
  Object.entries(ACTIONS).map(([value, action]) => [action, value]),
);

/** The model's action for a FilingAction value (GraphQL has checked the enum). */
function actionOf(value: string): FilingAction {
  const action = Object.hasOwn(ACTIONS, value) ? ACTIONS[value] : undefined;
  if (action === undefined) throw new Error(`unknown FilingAction ${value}`);
  return action;
}

/** The resolvers, over what every request shares. */
export function createCatalogResolvers(
  shared: CatalogShared,
): GraphQLResolverMap<SubgraphContext> {
  const registry = (ctx: SubgraphContext): RegistryApi =>
    ctx.loaders.get(
      'catalog.registry',
      null,
      () => new RegistryApi(ctx.db, actorOf(ctx), shared),
    );
  const directory = (ctx: SubgraphContext): DirectoryApi =>
    ctx.loaders.get(
      'catalog.directory',
      null,
      () => new DirectoryApi(ctx.db, shared),
    );
  const revisionOf = async (
    ctx: SubgraphContext,
    filing: FilingRecord,
    revision: number | undefined,
  ): Promise<RevisionRecord | null> =>
    revision === undefined
      ? null
      : ((await registry(ctx).revisions(filing.id)).find(
          (r) => r.revision === revision,
        ) ?? null);
  return {
    Query: {
      algorithmFiling: (
        _: unknown,
        args: { id: string },
        ctx: SubgraphContext,
      ) => registry(ctx).filing(args.id),
      algorithmEvidenceDocument: (
        _: unknown,
        args: { id: string },
        ctx: SubgraphContext,
      ) => registry(ctx).evidenceDocument(args.id),
      algorithmEvidencePolicy: (
        _: unknown,
        __: unknown,
        ctx: SubgraphContext,
      ) => registry(ctx).evidencePolicy(),
      algorithmFilings: (
        _: unknown,
        args: PageArgs & {
          state?: AlgorithmState | null;
          riskCategory?: RiskCategory | null;
          ownerDepartment?: string | null;
          search?: string | null;
        },
        ctx: SubgraphContext,
      ) =>
        registry(ctx).filings(
          {
            ...(args.state ? { state: args.state } : {}),
            ...(args.riskCategory ? { riskCategory: args.riskCategory } : {}),
            ...(args.ownerDepartment
              ? { ownerDepartment: args.ownerDepartment }
              : {}),
            ...(args.search ? { search: args.search } : {}),
          },
          args,
        ),
      algorithmReviewQueue: (
        _: unknown,
        args: PageArgs & { riskCategory?: RiskCategory | null },
        ctx: SubgraphContext,
      ) => registry(ctx).reviewQueue(args.riskCategory, args),
      algorithmNotifications: (
        _: unknown,
        args: PageArgs & { filingId?: string | null },
        ctx: SubgraphContext,
      ) => registry(ctx).notifications(args.filingId, args),
      dataResource: (
        _: unknown,
        args: { coordinate: string },
        ctx: SubgraphContext,
      ) => directory(ctx).resource(args.coordinate),
      dataResources: (
        _: unknown,
        args: PageArgs & {
          ownerDepartment?: string | null;
          search?: string | null;
        },
        ctx: SubgraphContext,
      ) => directory(ctx).resources(args, args),
    },
    Mutation: {
      createAlgorithmFiling: (
        _: unknown,
        args: {
          input: {
            id: string;
            name: string;
            safetyOfficer: string;
            serviceForm: string;
            domain: string;
            algorithmType: string;
            riskCategory: RiskCategory;
            content: FilingRevisionContent;
          };
        },
        ctx: SubgraphContext,
      ) => registry(ctx).create(args.input),
      updateAlgorithmFilingDraft: (
        _: unknown,
        args: {
          id: string;
          expectedVersion: number;
          content: FilingRevisionContent;
        },
        ctx: SubgraphContext,
      ) =>
        registry(ctx).updateDraft(args.id, args.expectedVersion, args.content),
      requestAlgorithmChange: (
        _: unknown,
        args: {
          id: string;
          expectedVersion: number;
          content: FilingRevisionContent;
          comment?: string | null;
        },
        ctx: SubgraphContext,
      ) =>
        registry(ctx).requestChange(
          args.id,
          args.expectedVersion,
          args.content,
          args.comment,
        ),
      attachAlgorithmEvidence: (
        _: unknown,
        args: {
          id: string;
          expectedVersion: number;
          evidence: EvidenceUpload & { kind: EvidenceKind; title: string };
        },
        ctx: SubgraphContext,
      ) =>
        registry(ctx).attachEvidence(
          args.id,
          args.expectedVersion,
          args.evidence,
        ),
      transitionAlgorithmFiling: (
        _: unknown,
        args: {
          id: string;
          action: string;
          expectedVersion: number;
          comment?: string | null;
        },
        ctx: SubgraphContext,
      ) =>
        registry(ctx).transition(
          args.id,
          actionOf(args.action),
          args.expectedVersion,
          args.comment,
        ),
    },
    Evidence: {
      document: (e: Evidence, _: unknown, ctx: SubgraphContext) =>
        registry(ctx).evidenceDocumentOf(e.uri),
    },
    EvidenceDocument: {
      contentBase64: (
        d: EvidenceDocumentRecord,
        _: unknown,
        ctx: SubgraphContext,
      ) => registry(ctx).evidenceContent(d),
    },
    AlgorithmFiling: {
      currentRevision: (f: FilingRecord, _: unknown, ctx: SubgraphContext) =>
        revisionOf(ctx, f, f.currentRevision),
      approvedRevision: (f: FilingRecord, _: unknown, ctx: SubgraphContext) =>
        revisionOf(ctx, f, f.approvedRevision),
      revisions: (f: FilingRecord, _: unknown, ctx: SubgraphContext) =>
        registry(ctx).revisions(f.id),
      history: (f: FilingRecord, _: unknown, ctx: SubgraphContext) =>
        registry(ctx).history(f.id),
      mayRead: (f: FilingRecord, _: unknown, ctx: SubgraphContext) =>
        registry(ctx).mayRead(f),
      allowedActions: (f: FilingRecord, _: unknown, ctx: SubgraphContext) =>
        registry(ctx)
          .allowedActions(f)
          .transitions.map((a) => ACTION_VALUES.get(a)),
      mayEditDraft: (f: FilingRecord, _: unknown, ctx: SubgraphContext) =>
        registry(ctx).allowedActions(f).mayEditDraft,
      mayRequestChange: (f: FilingRecord, _: unknown, ctx: SubgraphContext) =>
        registry(ctx).allowedActions(f).mayRequestChange,
    },
    AlgorithmRevision: {
      inputs: async (r: RevisionRecord, _: unknown, ctx: SubgraphContext) => {
        const resources = new Map(
          (
            await Promise.all(r.inputs.map((c) => directory(ctx).resource(c)))
          ).flatMap((d) => (d === null ? [] : [[d.coordinate, d] as const])),
        );
        return r.inputs.map((coordinate) => {
          const d = resources.get(coordinate);
          return {
            coordinate,
            owners: d?.owners ?? [],
            shareClass: d?.shareClass ?? 'UNKNOWN',
            negativeListEntry: d?.negativeListEntry ?? null,
          };
        });
      },
    },
    AlgorithmNotification: {
      filing: (n: NotificationRecord, _: unknown, ctx: SubgraphContext) =>
        registry(ctx).filing(n.filingId),
    },
    DataResource: {
      consumingAlgorithms: async (
        d: DataResource,
        _: unknown,
        ctx: SubgraphContext,
      ) =>
        (
          await Promise.all(d.consumers.map((id) => registry(ctx).filing(id)))
        ).filter((f): f is FilingRecord => f !== null),
    },
  };
}

// The policy's versions and reports for one request: what publishing an
// entry version or applying a classification proposal would change for
// recorded traffic (an impact simulation), the version log and the diff
// between two versions, and the access report on a department's data.
import {
  simulateImpact,
  type ImpactReport,
} from '../../../policies/src/govern/simulateImpact.js';
import {
  accessReport,
  accessReportCsv,
  accessReportTotals,
  type AccessReportTotals,
  readRecordedOperations,
  type AccessReportRow,
} from '../../../policies/store/src/audit/index.js';
import type {
  ClassificationProposalRecord,
  EntryVersionRecord,
} from '../../../policies/store/src/administration/index.js';
import {
  diffPolicies,
  type PolicyChange,
} from '../../../policies/store/src/policy/diffPolicies.js';
import {
  listPublications,
  readPublishedDocument,
  snapshotOf,
  type PolicyDocument,
  type Publication,
} from '../../../policies/store/src/policy/index.js';
import {
  BadUserInputError,
  NotFoundError,
} from '../../kit/src/errors/GraphQLErrorWithCode.js';
import {
  parsePage,
  toConnection,
  type Connection,
  type PageArgs,
} from '../../kit/src/pagination.js';
import { parseTimestamp } from '../../kit/src/arguments.js';
import { sha256 } from '../../kit/src/sha256.js';
import { proposalSubject } from './ClassificationApi.js';
import { versionKey, type GovernanceRequest } from './GovernanceRequest.js';

/** Default window of access reports and impact simulations. */
const DEFAULT_LOOKBACK_MS = 30 * 86_400_000;

/** Impact simulations, the policy's version log and access reports, for one request. */
export class PolicyReportApi {
  readonly #request: GovernanceRequest;

  constructor(request: GovernanceRequest) {
    this.#request = request;
  }

  /** What publishing `version` would change for recorded traffic. */
  async impact(
    version: EntryVersionRecord,
    options: { since?: string | null; limit?: number | null },
  ): Promise<ImpactReport> {
    this.#request.authorize('create', 'NegativeListEntry', {
      ownerDepartment: version.ownerDepartment,
    });
    const current = await this.#request.policy();
    return this.#simulate(
      current,
      {
        ...current,
        entries: current.entries.map((e) => {
          if (e.id !== version.id) return e;
          if (e.version === version.version) return { ...e, status: 'ACTIVE' };
          return e.status === 'ACTIVE' ? { ...e, status: 'SUPERSEDED' } : e;
        }),
      },
      options,
    );
  }

  /** Replays recorded operations under `current` and under `draft`. */
  async #simulate(
    current: PolicyDocument,
    draft: PolicyDocument,
    options: { since?: string | null; limit?: number | null },
  ): Promise<ImpactReport> {
    const limit = options.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 0 || limit > 100) {
      throw BadUserInputError.invalidArgument(
        'limit',
        limit,
        'an integer from 0 to 100',
      );
    }
    const now = this.#request.now();
    const since =
      options.since === null || options.since === undefined
        ? new Date(now.getTime() - DEFAULT_LOOKBACK_MS)
        : new Date(parseTimestamp(options.since, 'since'));
    const records = await readRecordedOperations(this.#request.db, {
      since,
      limit: this.#request.shared.maxSimulatedRecords ?? 20_000,
    });
    const { supergraph } = this.#request.shared;
    return simulateImpact({
      current: snapshotOf(current, now),
      draft: snapshotOf(draft, now),
      records,
      schema: supergraph.schema,
      localCoordinates: supergraph.localCoordinates,
      ownership: supergraph.ownership,
      now,
      limit,
      hashOperation: sha256,
    });
  }

  /** What applying a proposal would change for recorded traffic. */
  async proposalImpact(
    proposal: ClassificationProposalRecord,
    options: { since?: string | null; limit?: number | null },
  ): Promise<ImpactReport> {
    this.#request.authorize(
      'read',
      'ClassificationProposal',
      proposalSubject(proposal),
    );
    const current = await this.#request.policy();
    const after = new Map(
      proposal.changes.map((c) => [c.coordinate, c.tagsAfter]),
    );
    return this.#simulate(
      current,
      {
        ...current,
        classifications: [
          ...(current.classifications ?? []).filter(
            (c) => !after.has(c.coordinate),
          ),
          ...[...after].map(([coordinate, tags]) => ({ coordinate, tags })),
        ],
      },
      options,
    );
  }

  async policyVersions(args: PageArgs): Promise<Connection<Publication>> {
    this.#request.authorize('read', 'PolicyVersion', {});
    const page = parsePage(args);
    const { publications, totalCount } = await listPublications(
      this.#request.db,
      page,
    );
    return toConnection(publications, page, totalCount);
  }

  async policyDiff(from: string, to: string): Promise<PolicyChange[]> {
    this.#request.authorize('read', 'PolicyVersion', {});
    const side = async (
      name: string,
      argumentName: string,
    ): Promise<PolicyDocument> => {
      if (name === 'current') return this.#request.policy();
      const found = await readPublishedDocument(this.#request.db, name);
      if (found === null) {
        throw new NotFoundError(
          `No policy version ${name} in the version log (give a version hash, a prefix of 6+ hex digits, or "current").`,
          { argumentName },
        );
      }
      return found.document;
    };
    const [a, b] = await Promise.all([side(from, 'from'), side(to, 'to')]);
    // Drafts and versions in review, and grants, only for whom may read them.
    const readableEntry = (doc: PolicyDocument, key: string): boolean =>
      doc.entries.some(
        (e) =>
          versionKey(e.id, e.version) === key &&
          this.#request.can('read', 'NegativeListEntry', e),
      );
    const readableGrant = (doc: PolicyDocument, id: string): boolean =>
      doc.grants.some(
        (g) =>
          g.id === id &&
          this.#request.can('read', 'Grant', {
            consumerDepartment: g.consumerDepartment,
            ownerDepartment: doc.entries.find((e) => e.id === g.entryId)
              ?.ownerDepartment,
          }),
      );
    return diffPolicies(a, b).filter((c) => {
      switch (c.kind) {
        case 'entry':
          return readableEntry(a, c.key) || readableEntry(b, c.key);
        case 'grant':
          return readableGrant(a, c.key) || readableGrant(b, c.key);
        default:
          return true;
      }
    });
  }

  async accessReport(
    ownerDepartment: string,
    since: string | null | undefined,
    until: string | null | undefined,
  ): Promise<
    {
      ownerDepartment: string;
      since: string;
      until: string;
      rows: AccessReportRow[];
      csv: string;
    } & AccessReportTotals
  > {
    this.#request.authorize('read', 'AccessReport', { ownerDepartment });
    const now = this.#request.now();
    const end =
      until === null || until === undefined
        ? now
        : new Date(parseTimestamp(until, 'until'));
    const start =
      since === null || since === undefined
        ? new Date(end.getTime() - DEFAULT_LOOKBACK_MS)
        : new Date(parseTimestamp(since, 'since'));
    if (start.getTime() >= end.getTime()) {
      throw BadUserInputError.invalidArgument(
        'until',
        until ?? end.toISOString(),
        `an instant after since (${start.toISOString()})`,
      );
    }
    const owned = [...this.#request.shared.supergraph.ownership]
      .filter(([, o]) => o.owners.includes(ownerDepartment))
      .map(([coordinate]) => coordinate);
    const options = {
      owner: ownerDepartment,
      ownedCoordinates: owned,
      since: start,
      until: end,
    };
    const rows = await accessReport(this.#request.db, options);
    const totals = await accessReportTotals(this.#request.db, options);
    return {
      ownerDepartment,
      since: start.toISOString(),
      until: end.toISOString(),
      rows,
      csv: accessReportCsv(rows),
      ...totals,
    };
  }
}

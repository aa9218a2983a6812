// Field classifications for one request: every field's tags, the fields
// nobody classified yet, classifying fields (at once when only the caller's
// department depends on the change, else as a classification proposal that
// the departments it affects approve), the proposals' lifecycle, and the
// city-wide setting that withholds unclassified fields.
import DataLoader from 'dataloader';

import {
  affectedDepartments,
  approvalCovers,
  classificationEffect,
  classificationProposalTransition,
  type AffectedDepartment,
  type ClassificationProposalStatus,
  type PolicySettings,
} from '../../../policies/src/index.js';
import {
  appendProposalEvent,
  insertClassificationProposal,
  listClassificationProposals,
  lockClassificationProposal,
  lockPendingProposalsOf,
  nextClassificationProposalId,
  PROPOSAL_CONDITION_COLUMNS,
  readClassificationProposals,
  readClassifications,
  readPendingProposalIds,
  readProposalEvents,
  readSightings,
  updateClassificationProposal,
  upsertClassification,
  upsertSetting,
  type ClassificationChangeRecord,
  type ClassificationProposalRecord,
  type ClassificationRecord,
  type ProposalEvent,
  type ProposalFilter,
} from '../../../policies/store/src/administration/index.js';
import { nearestName } from '../../../policies/src/document/validateAgainstSupergraph.js';
import {
  DEFAULT_POLICY_SETTINGS,
  policyVersion,
  readPolicyDocument,
  recordPublication,
  type PolicyDocument,
} from '../../../policies/store/src/policy/index.js';
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
} from '../../kit/src/errors/GraphQLErrorWithCode.js';
import {
  parsePage,
  toConnection,
  type Connection,
  type PageArgs,
} from '../../kit/src/pagination.js';
import type { Queryable } from '../../kit/src/db/Database.js';
import type { EntryProblem } from './entryContent.js';
import { yearInChina, type GovernanceRequest } from './GovernanceRequest.js';
import {
  assertId,
  invalidInput,
  optionalText,
  requireText,
} from './parseArguments.js';

/** One field and its classification. */
export interface FieldReview {
  readonly coordinate: string;
  readonly owners: readonly string[];
  readonly sdlTags: readonly string[];
  readonly reviewedTags: readonly string[];
  readonly reviewedBy?: string;
  readonly reviewedAt?: string;
  readonly unclassified: boolean;
  readonly firstSeenAt?: string;
}

/** Field classifications, classification proposals and settings, for one request. */
export class ClassificationApi {
  readonly #request: GovernanceRequest;
  readonly #proposals: DataLoader<string, ClassificationProposalRecord | null>;
  readonly #pendingProposalIds: DataLoader<string, string | null>;
  readonly #proposalEvents: DataLoader<string, ProposalEvent[]>;

  constructor(request: GovernanceRequest) {
    this.#request = request;
    const { db } = request;
    const readable = request.permitted(
      'read',
      'ClassificationProposal',
      PROPOSAL_CONDITION_COLUMNS,
    );
    this.#proposals = new DataLoader(async (ids) => {
      const rows = await readClassificationProposals(db, ids, readable);
      return ids.map((id) => rows.find((p) => p.id === id) ?? null);
    });
    this.#pendingProposalIds = new DataLoader(async (coordinates) => {
      const ids = await readPendingProposalIds(db, coordinates);
      return coordinates.map((c) => ids.get(c) ?? null);
    });
    this.#proposalEvents = new DataLoader(async (ids) => {
      const rows = await readProposalEvents(db, ids);
      return ids.map((id) => rows.filter((e) => e.proposalId === id));
    });
  }

  // ------------------------------------------------------ field reviews

  async fieldReview(coordinate: string): Promise<FieldReview | null> {
    const ownership = this.#request.shared.supergraph.ownership.get(coordinate);
    if (ownership === undefined) return null;
    const [stored, sightings] = await Promise.all([
      this.#request.classifications(),
      readSightings(this.#request.db),
    ]);
    return reviewOf(coordinate, ownership, stored.get(coordinate), sightings);
  }

  async unclassifiedFields(
    ownerDepartment: string | null | undefined,
    args: PageArgs,
  ): Promise<Connection<FieldReview>> {
    const page = parsePage(args);
    const [stored, sightings] = await Promise.all([
      this.#request.classifications(),
      readSightings(this.#request.db),
    ]);
    const all: FieldReview[] = [];
    for (const [coordinate, ownership] of this.#request.shared.supergraph
      .ownership) {
      if (
        ownerDepartment !== null &&
        ownerDepartment !== undefined &&
        !ownership.owners.includes(ownerDepartment)
      ) {
        continue;
      }
      const review = reviewOf(
        coordinate,
        ownership,
        stored.get(coordinate),
        sightings,
      );
      if (review.unclassified) all.push(review);
    }
    all.sort(
      (a, b) =>
        (a.firstSeenAt ?? '').localeCompare(b.firstSeenAt ?? '') ||
        (a.coordinate < b.coordinate ? -1 : 1),
    );
    return toConnection(
      all.slice(page.offset, page.offset + page.limit),
      page,
      all.length,
    );
  }

  async classifyFields(
    input: readonly { coordinate: string; tags: readonly string[] }[],
  ): Promise<FieldReview[]> {
    if (input.length === 0 || input.length > 500) {
      throw BadUserInputError.invalidArgument(
        'input',
        input.length,
        'from 1 to 500 fields',
      );
    }
    const { ownership, names } = this.#request.shared.supergraph;
    const problems: EntryProblem[] = [];
    const seen = new Set<string>();
    for (const [i, item] of input.entries()) {
      const field = `input[${String(i)}]`;
      if (seen.has(item.coordinate)) {
        problems.push({ field, message: `${item.coordinate} is given twice.` });
      }
      seen.add(item.coordinate);
      if (!names.coordinates.has(item.coordinate)) {
        const suggestion = nearestName(item.coordinate, names.coordinates);
        problems.push({
          field: `${field}.coordinate`,
          message: `Unknown coordinate ${item.coordinate} in the current supergraph${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}.`,
          name: item.coordinate,
          ...(suggestion === undefined ? {} : { suggestion }),
        });
      }
      if (item.tags.length === 0) {
        problems.push({
          field: `${field}.tags`,
          message: 'Give at least one tag.',
        });
      }
      for (const tag of item.tags) {
        if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(tag)) {
          problems.push({
            field: `${field}.tags`,
            message: `${JSON.stringify(tag)} is not a tag: upper case, e.g. GENERAL, PERSONAL, IMPORTANT.`,
            name: tag,
          });
        }
      }
    }
    if (problems.length > 0) throw invalidInput(problems);
    for (const item of input) {
      this.#request.authorize('classify', 'FieldClassification', {
        coordinate: item.coordinate,
        owners: ownership.get(item.coordinate)?.owners ?? [],
      });
    }
    await this.#request.write(async (tx, at) => {
      const coordinates = input.map((i) => i.coordinate);
      const open = await lockPendingProposalsOf(tx, coordinates);
      if (open.length > 0) {
        const fields = coordinates.filter((c) =>
          open.some((p) => p.coordinates.includes(c)),
        );
        throw new ConflictError(
          `${fields.join(', ')} ${fields.length === 1 ? 'has' : 'have'} a pending classification proposal (${open.map((p) => p.id).join(', ')}): it must be approved, rejected or withdrawn before the field is classified again.`,
          { proposals: open.map((p) => p.id), coordinates: fields },
        );
      }
      const stored = await readClassifications(tx);
      const { entries } = await readPolicyDocument(tx);
      const atOnce: ClassificationChangeRecord[] = [];
      const proposed: ClassificationChangeRecord[] = [];
      for (const item of input) {
        const change = changeOf(
          item.coordinate,
          ownership.get(item.coordinate) ?? { owners: [], classification: [] },
          stored.get(item.coordinate)?.tags ?? [],
          item.tags,
          entries,
          this.#request.actor.department,
        );
        (change.affected.length === 0 ? atOnce : proposed).push(change);
      }
      for (const change of atOnce) {
        await upsertClassification(tx, {
          coordinate: change.coordinate,
          tags: change.tagsAfter,
          reviewedBy: this.#request.actor.subject,
          reviewedAt: at,
        });
      }
      const notes: string[] = [];
      if (atOnce.length > 0) {
        notes.push(`classify ${atOnce.map((c) => c.coordinate).join(', ')}`);
      }
      if (proposed.length > 0) {
        const id = await nextClassificationProposalId(
          tx,
          yearInChina(this.#request.now()),
        );
        const affected = affectedDepartments(proposed);
        await insertClassificationProposal(tx, {
          id,
          author: this.#request.actor.subject,
          authorDepartment: this.#request.actor.department,
          proposedAt: at,
          changes: proposed,
          affected,
        });
        await this.#proposalEvent(tx, id, 'PROPOSED', 1, at, {
          comment: `awaits ${affected.map((a) => a.department).join(', ')}`,
        });
        notes.push(`propose ${id}`);
      }
      return { result: undefined, note: notes.join('; ').slice(0, 500) };
    });
    this.#request.forgetClassifications();
    this.#request.forgetPolicy();
    this.#pendingProposalIds.clearAll();
    const reviews = await Promise.all(
      input.map((item) => this.fieldReview(item.coordinate)),
    );
    return reviews.filter((r): r is FieldReview => r !== null);
  }

  // ------------------------------------------- classification proposals

  /** A proposal the caller may read, or null. */
  proposal(id: string): Promise<ClassificationProposalRecord | null> {
    return this.#proposals.load(id);
  }

  /** The PENDING proposal that would change a field, if the caller may read it. */
  async pendingProposalOf(
    coordinate: string,
  ): Promise<ClassificationProposalRecord | null> {
    const id = await this.#pendingProposalIds.load(coordinate);
    return id === null ? null : this.#proposals.load(id);
  }

  /** Proposals the caller may read (or, `awaitingMyDecision`, decide now), oldest first. */
  proposals(
    filter: {
      status?: ClassificationProposalStatus | null;
      coordinate?: string | null;
      awaitingMyDecision?: boolean | null;
    },
    args: PageArgs,
  ): Promise<Connection<ClassificationProposalRecord>> {
    const readable =
      filter.awaitingMyDecision === true
        ? this.#request.permitted(
            'decide',
            'ClassificationProposal',
            PROPOSAL_CONDITION_COLUMNS,
          )
        : this.#request.permitted(
            'read',
            'ClassificationProposal',
            PROPOSAL_CONDITION_COLUMNS,
          );
    const f: ProposalFilter = {
      ...(filter.awaitingMyDecision === true
        ? { status: 'PENDING' as const }
        : filter.status
          ? { status: filter.status }
          : {}),
      ...(filter.coordinate ? { coordinate: filter.coordinate } : {}),
    };
    return listClassificationProposals(
      this.#request.db,
      f,
      readable,
      parsePage(args),
    );
  }

  /** Every step of a proposal, oldest first. */
  proposalHistory(
    proposal: ClassificationProposalRecord,
  ): Promise<ProposalEvent[]> {
    return this.#proposalEvents.load(proposal.id);
  }

  /**
   * Approves a PENDING proposal for the caller's department (the city data
   * authority: for every department still awaited). Who is affected is
   * worked out again first — an entry published since may select a changed
   * tag — and a department newly affected is awaited too. The last approval
   * stores the tags in the same transaction and publishes the policy
   * version every gateway then loads.
   */
  async approveProposal(
    id: string,
    expectedRevision: number,
    comment: string | null | undefined,
  ): Promise<ClassificationProposalRecord> {
    assertId(id, 'id');
    const note = optionalText(comment, 'comment');
    const result = await this.#request.write(async (tx, at) => {
      const proposal = await this.#pendingProposal(
        tx,
        id,
        expectedRevision,
        'decide',
      );
      const stored = await readClassifications(tx);
      const stale = proposal.changes.filter(
        (c) => !sameTags(stored.get(c.coordinate)?.tags ?? [], c.tagsBefore),
      );
      if (stale.length > 0) {
        throw new ConflictError(
          `The stored tags of ${stale.map((c) => c.coordinate).join(', ')} changed since ${id} was proposed: reject it (or its author withdraws it) and classify again.`,
          { coordinates: stale.map((c) => c.coordinate) },
        );
      }
      const { entries } = await readPolicyDocument(tx);
      const { ownership } = this.#request.shared.supergraph;
      const now = affectedDepartments(
        proposal.changes.map((c) =>
          changeOf(
            c.coordinate,
            ownership.get(c.coordinate) ?? {
              owners: c.owners,
              classification: c.sdlTags,
            },
            c.tagsBefore,
            c.tagsAfter,
            entries,
            proposal.authorDepartment,
          ),
        ),
      );
      const newly = now.filter(
        (a) => !proposal.departments.includes(a.department),
      );
      const open = [
        ...proposal.awaiting,
        ...newly.map((a) => a.department),
      ].sort();
      const covers = approvalCovers(this.#request.actor, open);
      const awaiting = open.filter((d) => !covers.includes(d));
      const affected = [...proposal.affected, ...newly];
      const to = classificationProposalTransition(
        'approve',
        proposal.status,
        awaiting,
      );
      let version: string | undefined;
      if (to === 'APPLIED') {
        for (const change of proposal.changes) {
          await upsertClassification(tx, {
            coordinate: change.coordinate,
            tags: change.tagsAfter,
            reviewedBy: proposal.author,
            reviewedAt: at,
          });
        }
        version = await recordPublication(tx, {
          actor: this.#request.actor.subject,
          change:
            `apply ${id}: classify ${proposal.coordinates.join(', ')}`.slice(
              0,
              500,
            ),
        });
      }
      const updated = await updateClassificationProposal(tx, id, {
        status: to ?? proposal.status,
        affected,
        awaiting,
        ...(to === 'APPLIED'
          ? {
              at,
              decidedBy: this.#request.actor.subject,
              ...(version === undefined ? {} : { policyVersion: version }),
            }
          : {}),
      });
      for (const department of covers) {
        await this.#proposalEvent(tx, id, 'APPROVED', updated.revision, at, {
          department,
          ...(note === undefined ? {} : { comment: note }),
        });
      }
      if (newly.length > 0) {
        await this.#proposalEvent(tx, id, 'AWAITS_MORE', updated.revision, at, {
          comment: `now also affects ${newly.map((a) => a.department).join(', ')}`,
        });
      }
      if (to === 'APPLIED') {
        await this.#proposalEvent(tx, id, 'APPLIED', updated.revision, at, {
          comment: `policy version ${version ?? ''}`,
        });
      }
      return {
        result: (await lockClassificationProposal(
          tx,
          id,
        )) as ClassificationProposalRecord,
        note: `approve ${id} for ${covers.join(', ')}`,
      };
    });
    this.#resetProposals();
    return result;
  }

  /** Rejects a PENDING proposal, saying why: nothing changes. */
  async rejectProposal(
    id: string,
    expectedRevision: number,
    reason: string,
  ): Promise<ClassificationProposalRecord> {
    assertId(id, 'id');
    const why = requireText(reason, 'reason', 'A reason for the rejection');
    const result = await this.#request.write(async (tx, at) => {
      const proposal = await this.#pendingProposal(
        tx,
        id,
        expectedRevision,
        'decide',
      );
      const updated = await updateClassificationProposal(tx, id, {
        status: 'REJECTED',
        affected: proposal.affected,
        awaiting: proposal.awaiting,
        at,
        decidedBy: this.#request.actor.subject,
        decisionReason: why,
      });
      await this.#proposalEvent(tx, id, 'REJECTED', updated.revision, at, {
        comment: why,
      });
      return { result: updated, note: `reject ${id}` };
    });
    this.#resetProposals();
    return result;
  }

  /** Its author withdraws a PENDING proposal: nothing changes. */
  async withdrawProposal(
    id: string,
    expectedRevision: number,
  ): Promise<ClassificationProposalRecord> {
    assertId(id, 'id');
    const result = await this.#request.write(async (tx, at) => {
      const proposal = await this.#pendingProposal(
        tx,
        id,
        expectedRevision,
        'withdraw',
      );
      const updated = await updateClassificationProposal(tx, id, {
        status: 'WITHDRAWN',
        affected: proposal.affected,
        awaiting: proposal.awaiting,
        at,
      });
      await this.#proposalEvent(tx, id, 'WITHDRAWN', updated.revision, at, {});
      return { result: updated, note: `withdraw ${id}` };
    });
    this.#resetProposals();
    return result;
  }

  /** A proposal locked for a step: readable, PENDING, permitted, not stale. */
  async #pendingProposal(
    tx: Queryable,
    id: string,
    expectedRevision: number,
    action: 'decide' | 'withdraw',
  ): Promise<ClassificationProposalRecord> {
    const proposal = await lockClassificationProposal(tx, id);
    if (
      proposal === null ||
      !this.#request.can(
        'read',
        'ClassificationProposal',
        proposalSubject(proposal),
      )
    ) {
      throw NotFoundError.of('ClassificationProposal', id);
    }
    if (classificationProposalTransition('reject', proposal.status) === null) {
      throw new ConflictError(
        `${id} is ${proposal.status} already; only a PENDING proposal can be approved, rejected or withdrawn.`,
        { status: proposal.status },
      );
    }
    this.#request.authorize(
      action,
      'ClassificationProposal',
      proposalSubject(proposal),
    );
    this.#request.assertRevision(proposal, expectedRevision);
    return proposal;
  }

  async #proposalEvent(
    tx: Queryable,
    proposalId: string,
    action: ProposalEvent['action'],
    revision: number,
    at: string,
    extra: { department?: string; comment?: string },
  ): Promise<void> {
    await appendProposalEvent(tx, {
      proposalId,
      action,
      ...extra,
      actor: this.#request.actor.subject,
      actorDepartment: this.#request.actor.department,
      revision,
      at,
    });
  }

  #resetProposals(): void {
    this.#proposals.clearAll();
    this.#pendingProposalIds.clearAll();
    this.#proposalEvents.clearAll();
    this.#request.forgetClassifications();
    this.#request.forgetPolicy();
  }

  // ----------------------------------------------------------- settings

  /** The city-wide settings, with the version of the policy they are part of. */
  async settings(): Promise<PolicySettings & { version: string }> {
    const policy = await this.#request.policy();
    return {
      ...DEFAULT_POLICY_SETTINGS,
      ...policy.settings,
      version: policyVersion(policy),
    };
  }

  async setWithholdUnclassified(
    value: boolean,
  ): Promise<PolicySettings & { version: string }> {
    this.#request.authorize('update', 'PolicySettings', {});
    await this.#request.write(async (tx) => {
      await upsertSetting(
        tx,
        'withholdUnclassified',
        value,
        this.#request.actor.subject,
      );
      return {
        result: undefined,
        note: `set withholdUnclassified ${String(value)}`,
      };
    });
    this.#request.forgetPolicy();
    return this.settings();
  }
}

/** The CASL subject of a classification proposal. */
export function proposalSubject(proposal: ClassificationProposalRecord): {
  author: string;
  authorDepartment: string;
  departments: readonly string[];
  awaiting: readonly string[];
  status: ClassificationProposalStatus;
} {
  return {
    author: proposal.author,
    authorDepartment: proposal.authorDepartment,
    departments: proposal.departments,
    awaiting: proposal.awaiting,
    status: proposal.status,
  };
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((t, i) => t === y[i]);
}

/** One field's change and whom it affects besides `proposerDepartment`. */
function changeOf(
  coordinate: string,
  ownership: { owners: readonly string[]; classification: readonly string[] },
  storedBefore: readonly string[],
  storedAfter: readonly string[],
  entries: PolicyDocument['entries'],
  proposerDepartment: string,
): ClassificationChangeRecord & { affected: readonly AffectedDepartment[] } {
  const tagsBefore = [...new Set(storedBefore)].sort();
  const tagsAfter = [...new Set(storedAfter)].sort();
  const effect = classificationEffect({
    change: {
      coordinate,
      owners: ownership.owners,
      sdlTags: ownership.classification,
      storedBefore: tagsBefore,
      storedAfter: tagsAfter,
    },
    entries,
    proposerDepartment,
  });
  return {
    coordinate,
    owners: [...ownership.owners],
    sdlTags: [...ownership.classification],
    tagsBefore,
    tagsAfter,
    added: effect.added,
    removed: effect.removed,
    coverageChanges: effect.coverageChanges,
    affected: effect.affected,
  };
}
function reviewOf(
  coordinate: string,
  ownership: { owners: readonly string[]; classification: readonly string[] },
  stored: ClassificationRecord | undefined,
  sightings: ReadonlyMap<string, string>,
): FieldReview {
  const firstSeenAt = sightings.get(coordinate);
  return {
    coordinate,
    owners: ownership.owners,
    sdlTags: ownership.classification,
    reviewedTags: stored?.tags ?? [],
    ...(stored === undefined
      ? {}
      : { reviewedBy: stored.reviewedBy, reviewedAt: stored.reviewedAt }),
    unclassified:
      ownership.classification.length === 0 && (stored?.tags.length ?? 0) === 0,
    ...(firstSeenAt === undefined ? {} : { firstSeenAt }),
  };
}

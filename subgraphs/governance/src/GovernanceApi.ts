import DataLoader from 'dataloader';

import {
  accessReport,
  accessReportCsv,
  readRecordedOperations,
  type AccessReportRow,
} from '../../../policies/store/src/audit/index.js';
import {
  simulateImpact,
  type ImpactReport,
} from '../../../policies/src/govern/simulateImpact.js';
import { canonicalJson } from '../../../policies/src/index.js';
import { diffPolicies } from '../../../policies/store/src/policy/diffPolicies.js';
import { nearestName } from '../../../policies/store/src/policy/validateAgainstSupergraph.js';
import type { PolicyChange } from '../../../policies/store/src/policy/diffPolicies.js';
import {
  DEFAULT_POLICY_SETTINGS,
  listPublications,
  policyVersion,
  readPolicyDocument,
  lockPolicyWrites,
  readPublishedDocument,
  recordPublication,
  snapshotOf,
  type PolicyDocument,
  type Publication,
} from '../../../policies/store/src/policy/index.js';
import {
  affectedDepartments,
  approvalCovers,
  checkAdministration,
  classificationEffect,
  classificationProposalTransition,
  defineAdministrationAbility,
  dueDate,
  entryActionNeedsComment,
  entryActionStartsFrom,
  entryCoverage,
  entryTransition,
  findContradictions,
  type AffectedDepartment,
  type ClassificationProposalStatus,
  type Contradiction,
  type EntryAction,
  type EntryStatus,
  type FieldInfo,
  type AdministrationAbility,
  type AdministrationAction,
  type AdministrationActor,
  type AdministrationSubjectType,
  type MaskKind,
  type PolicySettings,
} from '../../../policies/src/index.js';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  parsePage,
  parseTimestamp,
  sha256,
  toConnection,
  type Connection,
  type Database,
  type PageArgs,
  type Queryable,
} from '../../kit/src/index.js';
import {
  parseEntryContent,
  parseRowFilter,
  type EntryContentInput,
  type EntryProblem,
  type KnownNames,
} from './entryContent.js';
import {
  appendEntryEvent,
  appendProposalEvent,
  decideShareRequest,
  ENTRY_CONDITION_COLUMNS,
  GRANT_CONDITION_COLUMNS,
  insertClassificationProposal,
  insertEntryVersion,
  insertGrant,
  insertShareRequest,
  listClassificationProposals,
  listEntryIds,
  listGrants,
  listReviewQueue,
  listShareRequests,
  lockClassificationProposal,
  lockEntry,
  lockEntryVersion,
  lockGrant,
  lockPendingProposalsOf,
  lockShareRequest,
  nextClassificationProposalId,
  nextGrantId,
  nextShareRequestId,
  PROPOSAL_CONDITION_COLUMNS,
  readClassificationProposals,
  readClassifications,
  readEntryEvents,
  readEntryVersions,
  readGrants,
  readPendingProposalIds,
  readProposalEvents,
  readShareRequests,
  readSightings,
  revokeGrantRow,
  setEntryStatus,
  SHARE_REQUEST_CONDITION_COLUMNS,
  updateClassificationProposal,
  updateEntryContent,
  upsertClassification,
  upsertSetting,
  withdrawShareRequestRow,
  type ClassificationChangeRecord,
  type ClassificationProposalRecord,
  type ClassificationRecord,
  type EntryEvent,
  type EntryEventAction,
  type EntryFilter,
  type EntryVersionRecord,
  type GrantRecord,
  type ProposalEvent,
  type ProposalFilter,
  type ShareRequestFilter,
  type ShareRequestRecord,
  type ShareRequestStatus,
  type SqlWhere,
} from '../../../policies/store/src/administration/index.js';
import {
  fieldsOf,
  type SupergraphInfo,
} from '../../../policies/store/src/supergraphInfo.js';
import { toSqlWhere } from './toSqlWhere.js';

/** What every request of the governance subgraph shares. */
export interface GovernanceShared {
  /** The composed supergraph the policy refers to. */
  readonly supergraph: SupergraphInfo;
  /** The clock. */
  readonly now: () => Date;
  /**
   * Most access-log records (the newest) an impact simulation replays.
   * @defaultValue 20000
   */
  readonly maxSimulatedRecords?: number;
}

/** An entry and the versions the caller may read (at least one). */
export interface EntryView {
  readonly id: string;
  readonly ownerDepartment: string;
  readonly versions: readonly EntryVersionRecord[];
}

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

/** The most a share request may ask for: three years (minimum necessary). */
const MAX_GRANT_MS = 3 * 366 * 86_400_000;
/** Default window of access reports and impact simulations. */
const DEFAULT_LOOKBACK_MS = 30 * 86_400_000;

const EVENT_OF: Readonly<Record<EntryAction, EntryEventAction>> = {
  edit: 'EDITED',
  submit: 'SUBMITTED',
  return: 'RETURNED',
  approve: 'APPROVED',
  revoke: 'REVOKED',
};

function versionKey(id: string, version: number): string {
  return `${id}@${String(version)}`;
}

/** BAD_USER_INPUT listing every problem, each in `extensions.problems`. */
function invalidInput(problems: readonly EntryProblem[]): BadUserInputError {
  return new BadUserInputError(
    problems.map((p) => `${p.field}: ${p.message}`).join(' '),
    { problems },
  );
}

function requireText(
  value: string | null | undefined,
  argumentName: string,
  what: string,
): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') {
    throw new BadUserInputError(`${what} is required.`, { argumentName });
  }
  if (trimmed.length > 4000 || trimmed.includes('\u0000')) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      value,
      'text of at most 4000 characters without NUL',
    );
  }
  return trimmed;
}

function optionalText(
  value: string | null | undefined,
  argumentName: string,
): string | undefined {
  if (value === null || value === undefined || value.trim() === '') {
    return undefined;
  }
  return requireText(value, argumentName, argumentName);
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function assertId(id: string, argumentName: string): void {
  if (!ID.test(id)) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      id,
      'an id like NL-PS-004 (letters, digits, ".", "_" and "-")',
    );
  }
}

/**
 * The governance API for one request: who acts (from the gateway's signed
 * call), what CASL lets them do, per-request loaders, and every read and
 * write of the administration. Writes run in one transaction each, behind
 * the policy write lock, and end by logging the policy version they
 * produced (which also proves the policy still loads); hot reload carries
 * them to every gateway.
 */
export class GovernanceApi {
  readonly actor: AdministrationActor;
  readonly #db: Database;
  readonly #shared: GovernanceShared;
  readonly #ability: AdministrationAbility;
  readonly #versions: DataLoader<string, EntryVersionRecord[]>;
  readonly #events: DataLoader<string, EntryEvent[]>;
  readonly #grants: DataLoader<string, GrantRecord | null>;
  readonly #requests: DataLoader<string, ShareRequestRecord | null>;
  readonly #proposals: DataLoader<string, ClassificationProposalRecord | null>;
  readonly #pendingProposalIds: DataLoader<string, string | null>;
  readonly #proposalEvents: DataLoader<string, ProposalEvent[]>;
  #classifications: Promise<Map<string, ClassificationRecord>> | undefined;
  #document: Promise<PolicyDocument> | undefined;

  constructor(
    db: Database,
    actor: AdministrationActor,
    shared: GovernanceShared,
  ) {
    this.#db = db;
    this.actor = actor;
    this.#shared = shared;
    this.#ability = defineAdministrationAbility(actor);
    const readableEntries = this.#permitted(
      'read',
      'NegativeListEntry',
      ENTRY_CONDITION_COLUMNS,
    );
    this.#versions = new DataLoader(async (ids) => {
      const rows = await readEntryVersions(db, ids, readableEntries);
      return ids.map((id) => rows.filter((r) => r.id === id));
    });
    this.#events = new DataLoader(async (keys) => {
      const rows = await readEntryEvents(db, keys);
      return keys.map((key) =>
        rows.filter((e) => versionKey(e.entryId, e.version) === key),
      );
    });
    const readableGrants = this.#permitted(
      'read',
      'Grant',
      GRANT_CONDITION_COLUMNS,
    );
    this.#grants = new DataLoader(async (ids) => {
      const rows = await readGrants(db, ids, readableGrants);
      return ids.map((id) => rows.find((g) => g.id === id) ?? null);
    });
    const readableRequests = this.#permitted(
      'read',
      'ShareRequest',
      SHARE_REQUEST_CONDITION_COLUMNS,
    );
    this.#requests = new DataLoader(async (ids) => {
      const rows = await readShareRequests(db, ids, readableRequests);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    });
    const readableProposals = this.#permitted(
      'read',
      'ClassificationProposal',
      PROPOSAL_CONDITION_COLUMNS,
    );
    this.#proposals = new DataLoader(async (ids) => {
      const rows = await readClassificationProposals(
        db,
        ids,
        readableProposals,
      );
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

  // ------------------------------------------------------------ helpers

  #now(): Date {
    return this.#shared.now();
  }

  #permitted(
    action: AdministrationAction,
    subjectType: Exclude<AdministrationSubjectType, 'all'>,
    columns: Readonly<Record<string, string>>,
  ): SqlWhere {
    return toSqlWhere(this.#ability, action, subjectType, columns);
  }

  #can(
    action: AdministrationAction,
    subjectType: Exclude<AdministrationSubjectType, 'all'>,
    object: object,
  ): boolean {
    return checkAdministration(
      this.#ability,
      action,
      subjectType,
      object,
      this.actor,
    ).allowed;
  }

  /** @throws ForbiddenError naming the rule that refused */
  #authorize(
    action: AdministrationAction,
    subjectType: Exclude<AdministrationSubjectType, 'all'>,
    object: object,
  ): void {
    const verdict = checkAdministration(
      this.#ability,
      action,
      subjectType,
      object,
      this.actor,
    );
    if (!verdict.allowed) {
      throw new ForbiddenError(verdict.reason, verdict.rule, {
        action,
        subjectType,
      });
    }
  }

  /** Stored field reviews, read once per request. */
  #stored(): Promise<Map<string, ClassificationRecord>> {
    this.#classifications ??= readClassifications(this.#db);
    return this.#classifications;
  }

  /** The whole policy, read once per request. */
  #policy(): Promise<PolicyDocument> {
    this.#document ??= readPolicyDocument(this.#db);
    return this.#document;
  }

  async #knownNames(tx: Queryable = this.#db): Promise<KnownNames> {
    const stored =
      tx === this.#db ? await this.#stored() : await readClassifications(tx);
    const tags = new Set(this.#shared.supergraph.names.tags);
    const byCoordinate: Record<string, readonly string[]> = {};
    for (const review of stored.values()) {
      for (const tag of review.tags) tags.add(tag);
      byCoordinate[review.coordinate] = review.tags;
    }
    return {
      info: this.#shared.supergraph,
      tags,
      stored: Object.fromEntries(Object.entries(byCoordinate)),
    };
  }

  /**
   * Every field with its whole classification. Inside a write, pass its
   * transaction: on PGlite's one connection, a statement outside the open
   * transaction would wait for it forever.
   */
  async #fields(tx: Queryable = this.#db): Promise<FieldInfo[]> {
    const { stored } = await this.#knownNames(tx);
    return fieldsOf(this.#shared.supergraph, stored);
  }

  /** Content checked against the supergraph; BAD_USER_INPUT with every problem. */
  async #content(
    tx: Queryable,
    input: EntryContentInput,
    owner: string,
  ): Promise<ReturnType<typeof parseEntryContent>['content']> {
    const { content, problems } = parseEntryContent(
      input,
      owner,
      await this.#knownNames(tx),
    );
    if (problems.length > 0) throw invalidInput(problems);
    return content;
  }

  /** Checks a stored version's content is still sound against the supergraph. */
  async #recheck(tx: Queryable, version: EntryVersionRecord): Promise<void> {
    await this.#content(tx, toContentInput(version), version.ownerDepartment);
  }

  async #write<T>(
    change: (tx: Queryable, at: string) => Promise<{ result: T; note: string }>,
  ): Promise<T> {
    const at = this.#now().toISOString();
    return this.#db.transaction(async (tx) => {
      await lockPolicyWrites(tx);
      const { result, note } = await change(tx, at);
      await recordPublication(tx, { actor: this.actor.subject, change: note });
      return result;
    });
  }

  // -------------------------------------------------------------- entries

  /** An entry with the versions the caller may read, or null. */
  async entry(id: string): Promise<EntryView | null> {
    const versions = await this.#versions.load(id);
    const [first] = versions;
    if (first === undefined) return null;
    return { id, ownerDepartment: first.ownerDepartment, versions };
  }

  async entries(
    filter: EntryFilter,
    args: PageArgs,
  ): Promise<Connection<EntryView>> {
    const page = parsePage(args);
    const ids = await listEntryIds(
      this.#db,
      filter,
      this.#permitted('read', 'NegativeListEntry', ENTRY_CONDITION_COLUMNS),
      page,
    );
    const views = await Promise.all(ids.nodes.map((n) => this.entry(n.id)));
    return {
      ...ids,
      nodes: views.filter((v): v is EntryView => v !== null),
    };
  }

  reviewQueue(args: PageArgs): Promise<Connection<EntryVersionRecord>> {
    return listReviewQueue(
      this.#db,
      this.#permitted('approve', 'NegativeListEntry', ENTRY_CONDITION_COLUMNS),
      parsePage(args),
    );
  }

  async coverage(version: EntryVersionRecord): Promise<string[]> {
    return entryCoverage(version, await this.#fields());
  }

  async contradictions(version: EntryVersionRecord): Promise<Contradiction[]> {
    const policy = await this.#policy();
    return findContradictions({
      entry: version,
      entries: policy.entries,
      grants: policy.grants,
      fields: await this.#fields(),
      now: this.#now(),
    });
  }

  /** The content fields that differ between two versions of an entry. */
  async diffVersions(
    id: string,
    from: number,
    to: number,
  ): Promise<PolicyChange['fields']> {
    const versions = await this.#versions.load(id);
    const a = versions.find((v) => v.version === from);
    const b = versions.find((v) => v.version === to);
    if (a === undefined || b === undefined) {
      throw NotFoundError.of(
        'NegativeListEntryVersion',
        versionKey(id, a === undefined ? from : to),
      );
    }
    return contentDiff(a, b);
  }

  async changesFromPrevious(
    version: EntryVersionRecord,
  ): Promise<PolicyChange['fields']> {
    const versions = await this.#versions.load(version.id);
    const previous = versions.filter((v) => v.version < version.version).at(-1);
    return previous === undefined ? [] : contentDiff(previous, version);
  }

  history(version: EntryVersionRecord): Promise<EntryEvent[]> {
    return this.#events.load(versionKey(version.id, version.version));
  }

  /** What publishing `version` would change for recorded traffic. */
  async impact(
    version: EntryVersionRecord,
    options: { since?: string | null; limit?: number | null },
  ): Promise<ImpactReport> {
    this.#authorize('create', 'NegativeListEntry', {
      ownerDepartment: version.ownerDepartment,
    });
    const current = await this.#policy();
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
    const now = this.#now();
    const since =
      options.since === null || options.since === undefined
        ? new Date(now.getTime() - DEFAULT_LOOKBACK_MS)
        : new Date(parseTimestamp(options.since, 'since'));
    const records = await readRecordedOperations(this.#db, {
      since,
      limit: this.#shared.maxSimulatedRecords ?? 20_000,
    });
    const { supergraph } = this.#shared;
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

  /** Checks an entry without saving it. */
  async validate(input: {
    id: string;
    ownerDepartment: string;
    content: EntryContentInput;
  }): Promise<{
    valid: boolean;
    problems: EntryProblem[];
    coverage: string[];
    contradictions: Contradiction[];
  }> {
    const { content, problems } = parseEntryContent(
      input.content,
      input.ownerDepartment,
      await this.#knownNames(),
    );
    if (!ID.test(input.id)) {
      problems.unshift({
        field: 'id',
        message: 'An id is letters, digits, ".", "_" and "-", e.g. NL-PS-004.',
      });
    }
    const candidate = {
      id: input.id,
      version: 0,
      ownerDepartment: input.ownerDepartment,
      status: 'DRAFT' as const,
      ...content,
    };
    const policy = await this.#policy();
    const fields = await this.#fields();
    return {
      valid: problems.length === 0,
      problems,
      coverage: entryCoverage(candidate, fields),
      contradictions: findContradictions({
        entry: candidate,
        entries: policy.entries,
        grants: policy.grants,
        fields,
        now: this.#now(),
      }),
    };
  }

  async createEntry(input: {
    id: string;
    ownerDepartment: string;
    content: EntryContentInput;
  }): Promise<EntryVersionRecord> {
    assertId(input.id, 'id');
    this.#authorize('create', 'NegativeListEntry', {
      ownerDepartment: input.ownerDepartment,
    });
    const owners = new Set(
      [...this.#shared.supergraph.ownership.values()].flatMap((o) => o.owners),
    );
    if (!owners.has(input.ownerDepartment)) {
      throw new BadUserInputError(
        `No subgraph of ${input.ownerDepartment} is in the supergraph: an entry lists data its owner publishes.`,
        { argumentName: 'ownerDepartment' },
      );
    }
    return this.#write(async (tx, at) => {
      const existing = await lockEntry(tx, input.id);
      if (existing.length > 0) {
        throw new ConflictError(
          `Entry ${input.id} exists already (version ${String(existing.at(-1)?.version)}): revise it instead.`,
          { id: input.id },
        );
      }
      const content = await this.#content(
        tx,
        input.content,
        input.ownerDepartment,
      );
      const created = await insertEntryVersion(tx, {
        id: input.id,
        version: 1,
        ownerDepartment: input.ownerDepartment,
        author: this.actor.subject,
        content,
        at,
      });
      await this.#event(tx, created, 'CREATED', undefined, undefined, at);
      return { result: created, note: `draft ${versionKey(input.id, 1)}` };
    });
  }

  async reviseEntry(
    id: string,
    expectedRevision: number,
    input: EntryContentInput,
  ): Promise<EntryVersionRecord> {
    return this.#write(async (tx, at) => {
      const versions = await lockEntry(tx, id);
      const latest = versions.at(-1);
      if (latest === undefined) throw NotFoundError.of('NegativeListEntry', id);
      this.#authorize('create', 'NegativeListEntry', latest);
      this.#assertRevision(latest, expectedRevision);
      if (latest.status === 'DRAFT' || latest.status === 'IN_REVIEW') {
        throw new ConflictError(
          `${versionKey(id, latest.version)} is ${latest.status} already: edit, return or approve it rather than start another version.`,
          { status: latest.status, version: latest.version },
        );
      }
      const content = await this.#content(tx, input, latest.ownerDepartment);
      const created = await insertEntryVersion(tx, {
        id,
        version: latest.version + 1,
        ownerDepartment: latest.ownerDepartment,
        author: this.actor.subject,
        content,
        at,
      });
      await this.#event(
        tx,
        created,
        'CREATED',
        undefined,
        `revision of ${versionKey(id, latest.version)}`,
        at,
      );
      return {
        result: created,
        note: `draft ${versionKey(id, created.version)}`,
      };
    });
  }

  async editDraft(
    id: string,
    version: number,
    expectedRevision: number,
    input: EntryContentInput,
  ): Promise<EntryVersionRecord> {
    return this.#transition(id, version, expectedRevision, 'edit', {
      content: input,
    });
  }

  async transition(
    action: Exclude<EntryAction, 'edit'>,
    id: string,
    version: number,
    expectedRevision: number,
    comment: string | null | undefined,
  ): Promise<EntryVersionRecord> {
    return this.#transition(id, version, expectedRevision, action, {
      comment,
    });
  }

  #assertRevision(
    current: { id: string; version?: number; revision: number },
    expected: number,
  ): void {
    if (current.revision !== expected) {
      const name =
        current.version === undefined
          ? current.id
          : versionKey(current.id, current.version);
      throw new ConflictError(
        `${name} is at revision ${String(current.revision)}, not ${String(expected)}: it changed since it was read. Read it again and decide on what it says now.`,
        { currentRevision: current.revision, expectedRevision: expected },
      );
    }
  }

  async #transition(
    id: string,
    versionNumber: number,
    expectedRevision: number,
    action: EntryAction,
    options: {
      comment?: string | null | undefined;
      content?: EntryContentInput;
    },
  ): Promise<EntryVersionRecord> {
    const comment = entryActionNeedsComment(action)
      ? requireText(
          options.comment,
          'comment',
          `A comment saying why (${action})`,
        )
      : optionalText(options.comment, 'comment');
    return this.#write(async (tx, at) => {
      const version = await lockEntryVersion(tx, id, versionNumber);
      if (
        version === null ||
        !this.#can('read', 'NegativeListEntry', version)
      ) {
        throw NotFoundError.of(
          'NegativeListEntryVersion',
          versionKey(id, versionNumber),
        );
      }
      this.#authorize(action, 'NegativeListEntry', version);
      this.#assertRevision(version, expectedRevision);
      const to = entryTransition(action, version.status);
      if (to === null) {
        throw new ConflictError(
          `${versionKey(id, versionNumber)} is ${version.status}; only a ${entryActionStartsFrom(action)} version can be ${pastTense(action)}.`,
          { status: version.status, action },
        );
      }
      let changed: EntryVersionRecord;
      if (action === 'edit') {
        const content = await this.#content(
          tx,
          options.content as EntryContentInput,
          version.ownerDepartment,
        );
        changed = await updateEntryContent(tx, id, versionNumber, content, at);
      } else {
        if (action === 'submit' || action === 'approve') {
          // The supergraph may have changed since the draft was written.
          await this.#recheck(tx, version);
        }
        if (action === 'approve') {
          const versions = await lockEntry(tx, id);
          const active = versions.find((v) => v.status === 'ACTIVE');
          if (active !== undefined) {
            const superseded = await setEntryStatus(tx, id, active.version, {
              status: 'SUPERSEDED',
              at,
            });
            await this.#event(
              tx,
              superseded,
              'SUPERSEDED',
              'ACTIVE',
              `superseded by ${versionKey(id, versionNumber)}`,
              at,
            );
          }
        }
        changed = await setEntryStatus(tx, id, versionNumber, {
          status: to,
          at,
          ...(action === 'approve' ? { approver: this.actor.subject } : {}),
          ...(action === 'submit' ? { submitted: true } : {}),
        });
      }
      await this.#event(
        tx,
        changed,
        EVENT_OF[action],
        version.status,
        comment,
        at,
      );
      return {
        result: changed,
        note: `${action} ${versionKey(id, versionNumber)}`,
      };
    });
  }

  async #event(
    tx: Queryable,
    version: EntryVersionRecord,
    action: EntryEventAction,
    from: EntryStatus | undefined,
    comment: string | undefined,
    at: string,
  ): Promise<void> {
    await appendEntryEvent(tx, {
      entryId: version.id,
      version: version.version,
      action,
      ...(from === undefined ? {} : { fromStatus: from }),
      toStatus: version.status,
      actor: this.actor.subject,
      actorDepartment: this.actor.department,
      ...(comment === undefined ? {} : { comment }),
      revision: version.revision,
      at,
    });
  }

  // ------------------------------------------------- share requests, grants

  shareRequest(id: string): Promise<ShareRequestRecord | null> {
    return this.#requests.load(id);
  }

  shareRequests(
    filter: {
      side?: 'AS_OWNER' | 'AS_CONSUMER' | null;
      status?: ShareRequestStatus | null;
      overdue?: boolean | null;
    },
    args: PageArgs,
  ): Promise<Connection<ShareRequestRecord>> {
    const f: ShareRequestFilter = {
      ...(filter.side === 'AS_OWNER'
        ? { ownerDepartment: this.actor.department }
        : {}),
      ...(filter.side === 'AS_CONSUMER'
        ? { consumerDepartment: this.actor.department }
        : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.overdue === true
        ? { dueBefore: this.#now().toISOString() }
        : {}),
    };
    return listShareRequests(
      this.#db,
      f,
      this.#permitted('read', 'ShareRequest', SHARE_REQUEST_CONDITION_COLUMNS),
      parsePage(args),
    );
  }

  isOverdue(request: ShareRequestRecord): boolean {
    return (
      request.status === 'PENDING' &&
      Date.parse(request.dueAt) < this.#now().getTime()
    );
  }

  grant(id: string): Promise<GrantRecord | null> {
    return this.#grants.load(id);
  }

  grants(
    filter: {
      consumerDepartment?: string | null;
      ownerDepartment?: string | null;
      inForce?: boolean | null;
    },
    args: PageArgs,
  ): Promise<Connection<GrantRecord>> {
    return listGrants(
      this.#db,
      {
        ...(filter.consumerDepartment
          ? { consumerDepartment: filter.consumerDepartment }
          : {}),
        ...(filter.ownerDepartment
          ? { ownerDepartment: filter.ownerDepartment }
          : {}),
        ...(filter.inForce === true
          ? { inForceAt: this.#now().toISOString() }
          : {}),
      },
      this.#permitted('read', 'Grant', GRANT_CONDITION_COLUMNS),
      parsePage(args),
    );
  }

  isInForce(grant: GrantRecord): boolean {
    const now = this.#now().getTime();
    return (
      !grant.revoked &&
      (grant.validFrom === undefined || Date.parse(grant.validFrom) <= now) &&
      Date.parse(grant.expiresAt) > now
    );
  }

  async requestShare(input: {
    entryId: string;
    purpose: string;
    scenario?: string | null;
    coordinates: readonly string[];
    justification: string;
    requestedExpiry: string;
  }): Promise<ShareRequestRecord> {
    assertId(input.entryId, 'entryId');
    const consumer = this.actor.department;
    const purpose = requireText(input.purpose, 'purpose', 'A purpose of use');
    const justification = requireText(
      input.justification,
      'justification',
      'A justification (why the data is needed, 申请理由)',
    );
    const scenario = optionalText(input.scenario, 'scenario');
    const now = this.#now();
    const expiry = parseTimestamp(input.requestedExpiry, 'requestedExpiry');
    if (Date.parse(expiry) <= now.getTime()) {
      throw BadUserInputError.invalidArgument(
        'requestedExpiry',
        input.requestedExpiry,
        'an instant in the future',
      );
    }
    if (Date.parse(expiry) - now.getTime() > MAX_GRANT_MS) {
      throw BadUserInputError.invalidArgument(
        'requestedExpiry',
        input.requestedExpiry,
        'at most three years from now (minimum necessary: apply again to renew)',
      );
    }
    const coordinates = [...new Set(input.coordinates)];
    if (coordinates.length === 0) {
      throw new BadUserInputError('Name the fields you apply for.', {
        argumentName: 'coordinates',
      });
    }
    return this.#write(async (tx, at) => {
      const versions = await lockEntry(tx, input.entryId);
      const active = versions.find((v) => v.status === 'ACTIVE');
      if (active === undefined) {
        throw new BadUserInputError(
          versions.length === 0
            ? `No negative-list entry ${input.entryId}.`
            : `Entry ${input.entryId} is not in force (no ACTIVE version): there is nothing to grant under it.`,
          { argumentName: 'entryId' },
        );
      }
      this.#authorize('create', 'ShareRequest', {
        consumerDepartment: consumer,
        ownerDepartment: active.ownerDepartment,
        requestedBy: this.actor.subject,
      });
      this.#assertGrantable(active, consumer, purpose, scenario);
      await this.#assertCovered(tx, active, coordinates, 'coordinates');
      const id = await nextShareRequestId(tx, yearInChina(now));
      const request = await insertShareRequest(tx, {
        id,
        entryId: active.id,
        ownerDepartment: active.ownerDepartment,
        consumerDepartment: consumer,
        purpose,
        ...(scenario === undefined ? {} : { scenario }),
        coordinates,
        justification,
        requestedExpiry: expiry,
        requestedBy: this.actor.subject,
        requestedAt: at,
        dueAt: dueDate(now).toISOString(),
      });
      return { result: request, note: `request ${id}` };
    });
  }

  /** BAD_USER_INPUT unless a grant under `entry` could serve the request. */
  #assertGrantable(
    entry: EntryVersionRecord,
    consumer: string,
    purpose: string,
    scenario: string | undefined,
  ): void {
    const key = versionKey(entry.id, entry.version);
    const refuse = (message: string, reason: string): never => {
      throw new BadUserInputError(message, { reason, entry: key });
    };
    if (entry.shareClass !== 'CONDITIONAL') {
      refuse(
        `${key} is ${entry.shareClass} (不予共享): its data is never shared, so no grant can be issued under it.`,
        'not-conditional',
      );
    }
    if (entry.ownerDepartment === consumer) {
      refuse(
        `The data of ${key} is ${consumer}'s own: it needs no grant.`,
        'own-department',
      );
    }
    const { conditions, exceptions } = entry;
    if (
      exceptions?.consumers?.includes(consumer) === true ||
      exceptions?.purposes?.includes(purpose) === true
    ) {
      refuse(
        `${consumer} reading for ${purpose} is exempt from ${key}: no grant is needed.`,
        'exempt',
      );
    }
    if (
      conditions?.consumers !== undefined &&
      !conditions.consumers.includes(consumer)
    ) {
      refuse(
        `${key} shares only with ${conditions.consumers.join(', ') || 'no department'}, not with ${consumer}.`,
        'consumer-not-eligible',
      );
    }
    if (
      conditions?.purposes !== undefined &&
      !conditions.purposes.includes(purpose)
    ) {
      refuse(
        `${key} shares only for ${conditions.purposes.join(', ') || 'no purpose'}, not for ${purpose}.`,
        'purpose-not-eligible',
      );
    }
    if (
      scenario !== undefined &&
      conditions?.scenarios !== undefined &&
      !conditions.scenarios.includes(scenario)
    ) {
      refuse(
        `${key} is meant for the scenarios ${conditions.scenarios.join(', ')}, not ${scenario}.`,
        'scenario-not-eligible',
      );
    }
  }

  /** BAD_USER_INPUT unless the entry covers every coordinate. */
  async #assertCovered(
    tx: Queryable,
    entry: EntryVersionRecord,
    coordinates: readonly string[],
    argumentName: string,
  ): Promise<void> {
    const covered = new Set(entryCoverage(entry, await this.#fields(tx)));
    const outside = coordinates.filter((c) => !covered.has(c));
    if (outside.length > 0) {
      throw new BadUserInputError(
        `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not covered by ${versionKey(entry.id, entry.version)} (it covers ${[...covered].join(', ') || 'nothing'}).`,
        { argumentName, outside },
      );
    }
  }

  async #pendingRequest(
    tx: Queryable,
    id: string,
    expectedRevision: number,
    action: 'decide' | 'withdraw',
  ): Promise<ShareRequestRecord> {
    const request = await lockShareRequest(tx, id);
    if (request === null || !this.#can('read', 'ShareRequest', request)) {
      throw NotFoundError.of('ShareRequest', id);
    }
    this.#authorize(action, 'ShareRequest', request);
    this.#assertRevision(request, expectedRevision);
    if (request.status !== 'PENDING') {
      throw new ConflictError(
        `${id} is ${request.status} already; only a PENDING request can be decided or withdrawn.`,
        { status: request.status },
      );
    }
    return request;
  }

  async approveShareRequest(
    id: string,
    expectedRevision: number,
    decision: {
      coordinates?: readonly string[] | null;
      masks?: readonly { coordinate: string; mask: MaskKind }[] | null;
      rowFilter?: string | null;
      expiresAt?: string | null;
      comment?: string | null;
    } = {},
  ): Promise<ShareRequestRecord> {
    const comment = optionalText(decision.comment, 'comment');
    const now = this.#now();
    return this.#write(async (tx, at) => {
      const request = await this.#pendingRequest(
        tx,
        id,
        expectedRevision,
        'decide',
      );
      const versions = await lockEntry(tx, request.entryId);
      const active = versions.find((v) => v.status === 'ACTIVE');
      if (active === undefined) {
        throw new BadUserInputError(
          `Entry ${request.entryId} is no longer in force: reject the request instead.`,
          { reason: 'entry-not-in-force' },
        );
      }
      this.#assertGrantable(
        active,
        request.consumerDepartment,
        request.purpose,
        request.scenario,
      );
      const coordinates =
        decision.coordinates === null || decision.coordinates === undefined
          ? [...request.coordinates]
          : [...new Set(decision.coordinates)];
      const beyond = coordinates.filter(
        (c) => !request.coordinates.includes(c),
      );
      if (coordinates.length === 0 || beyond.length > 0) {
        throw new BadUserInputError(
          coordinates.length === 0
            ? 'An approval grants at least one of the requested fields.'
            : `${beyond.join(', ')} ${beyond.length === 1 ? 'was' : 'were'} not requested: approve at most what was asked for.`,
          { argumentName: 'decision.coordinates' },
        );
      }
      await this.#assertCovered(
        tx,
        active,
        coordinates,
        'decision.coordinates',
      );
      const masks: Record<string, MaskKind> = {};
      for (const m of decision.masks ?? []) {
        if (!coordinates.includes(m.coordinate)) {
          throw new BadUserInputError(
            `${m.coordinate} is masked but not granted.`,
            { argumentName: 'decision.masks' },
          );
        }
        masks[m.coordinate] = m.mask;
      }
      const problems: EntryProblem[] = [];
      const rowFilter = parseRowFilter(
        'decision.rowFilter',
        decision.rowFilter,
        problems,
      );
      if (problems.length > 0) throw invalidInput(problems);
      let expiresAt = request.requestedExpiry;
      if (decision.expiresAt !== null && decision.expiresAt !== undefined) {
        expiresAt = parseTimestamp(decision.expiresAt, 'decision.expiresAt');
        if (Date.parse(expiresAt) > Date.parse(request.requestedExpiry)) {
          throw BadUserInputError.invalidArgument(
            'decision.expiresAt',
            decision.expiresAt,
            `no later than requested (${request.requestedExpiry})`,
          );
        }
      }
      if (Date.parse(expiresAt) <= now.getTime()) {
        throw BadUserInputError.invalidArgument(
          'decision.expiresAt',
          expiresAt,
          'an instant in the future (the requested expiry has passed: set an earlier one or reject)',
        );
      }
      const grantId = await nextGrantId(tx, yearInChina(now));
      await insertGrant(tx, {
        id: grantId,
        entryId: active.id,
        consumerDepartment: request.consumerDepartment,
        purpose: request.purpose,
        coordinates,
        ...(Object.keys(masks).length > 0 ? { masks } : {}),
        ...(rowFilter === undefined ? {} : { rowFilter }),
        validFrom: at,
        expiresAt,
        revoked: false,
        issuedBy: this.actor.subject,
        requestId: request.id,
      });
      const decided = await decideShareRequest(tx, id, {
        status: 'APPROVED',
        decidedBy: this.actor.subject,
        at,
        ...(comment === undefined ? {} : { reason: comment }),
        grantId,
      });
      return { result: decided, note: `grant ${grantId} for ${id}` };
    });
  }

  async rejectShareRequest(
    id: string,
    expectedRevision: number,
    reason: string,
  ): Promise<ShareRequestRecord> {
    const why = requireText(
      reason,
      'reason',
      'A reason for the rejection (不予共享的理由)',
    );
    return this.#write(async (tx, at) => {
      await this.#pendingRequest(tx, id, expectedRevision, 'decide');
      const decided = await decideShareRequest(tx, id, {
        status: 'REJECTED',
        decidedBy: this.actor.subject,
        at,
        reason: why,
      });
      return { result: decided, note: `reject ${id}` };
    });
  }

  async withdrawShareRequest(
    id: string,
    expectedRevision: number,
  ): Promise<ShareRequestRecord> {
    return this.#write(async (tx, at) => {
      const request = await lockShareRequest(tx, id);
      if (request === null || !this.#can('read', 'ShareRequest', request)) {
        throw NotFoundError.of('ShareRequest', id);
      }
      this.#authorize('withdraw', 'ShareRequest', request);
      this.#assertRevision(request, expectedRevision);
      if (request.status !== 'PENDING') {
        throw new ConflictError(
          `${id} is ${request.status} already; only a PENDING request can be withdrawn.`,
          { status: request.status },
        );
      }
      const withdrawn = await withdrawShareRequestRow(tx, id, at);
      return { result: withdrawn, note: `withdraw ${id}` };
    });
  }

  async revokeGrant(id: string, reason: string): Promise<GrantRecord> {
    assertId(id, 'id');
    const why = requireText(reason, 'reason', 'A reason for the revocation');
    return this.#write(async (tx, at) => {
      const grant = await lockGrant(tx, id);
      if (grant === null || !this.#can('read', 'Grant', grant)) {
        throw NotFoundError.of('Grant', id);
      }
      this.#authorize('revoke', 'Grant', grant);
      if (grant.revoked) {
        throw new ConflictError(`Grant ${id} is revoked already.`, {
          revokedAt: grant.revokedAt,
        });
      }
      await revokeGrantRow(tx, id, { by: this.actor.subject, at, reason: why });
      const revoked = await lockGrant(tx, id);
      return { result: revoked as GrantRecord, note: `revoke grant ${id}` };
    });
  }

  // ---------------------------------------- classification, settings, log

  async fieldReview(coordinate: string): Promise<FieldReview | null> {
    const ownership = this.#shared.supergraph.ownership.get(coordinate);
    if (ownership === undefined) return null;
    const [stored, sightings] = await Promise.all([
      this.#stored(),
      readSightings(this.#db),
    ]);
    return reviewOf(coordinate, ownership, stored.get(coordinate), sightings);
  }

  async unclassifiedFields(
    ownerDepartment: string | null | undefined,
    args: PageArgs,
  ): Promise<Connection<FieldReview>> {
    const page = parsePage(args);
    const [stored, sightings] = await Promise.all([
      this.#stored(),
      readSightings(this.#db),
    ]);
    const all: FieldReview[] = [];
    for (const [coordinate, ownership] of this.#shared.supergraph.ownership) {
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
    const { ownership, names } = this.#shared.supergraph;
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
      this.#authorize('classify', 'FieldClassification', {
        coordinate: item.coordinate,
        owners: ownership.get(item.coordinate)?.owners ?? [],
      });
    }
    await this.#write(async (tx, at) => {
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
          this.actor.department,
        );
        (change.affected.length === 0 ? atOnce : proposed).push(change);
      }
      for (const change of atOnce) {
        await upsertClassification(tx, {
          coordinate: change.coordinate,
          tags: change.tagsAfter,
          reviewedBy: this.actor.subject,
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
          yearInChina(this.#now()),
        );
        const affected = affectedDepartments(proposed);
        await insertClassificationProposal(tx, {
          id,
          author: this.actor.subject,
          authorDepartment: this.actor.department,
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
    this.#classifications = undefined;
    this.#document = undefined;
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
        ? this.#permitted(
            'decide',
            'ClassificationProposal',
            PROPOSAL_CONDITION_COLUMNS,
          )
        : this.#permitted(
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
    return listClassificationProposals(this.#db, f, readable, parsePage(args));
  }

  /** Every step of a proposal, oldest first. */
  proposalHistory(
    proposal: ClassificationProposalRecord,
  ): Promise<ProposalEvent[]> {
    return this.#proposalEvents.load(proposal.id);
  }

  /** What applying a proposal would change for recorded traffic. */
  async proposalImpact(
    proposal: ClassificationProposalRecord,
    options: { since?: string | null; limit?: number | null },
  ): Promise<ImpactReport> {
    this.#authorize('read', 'ClassificationProposal', subjectOf(proposal));
    const current = await this.#policy();
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
    const result = await this.#write(async (tx, at) => {
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
      const { ownership } = this.#shared.supergraph;
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
      const covers = approvalCovers(this.actor, open);
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
          actor: this.actor.subject,
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
              decidedBy: this.actor.subject,
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
    const result = await this.#write(async (tx, at) => {
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
        decidedBy: this.actor.subject,
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
    const result = await this.#write(async (tx, at) => {
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
      !this.#can('read', 'ClassificationProposal', subjectOf(proposal))
    ) {
      throw NotFoundError.of('ClassificationProposal', id);
    }
    if (classificationProposalTransition('reject', proposal.status) === null) {
      throw new ConflictError(
        `${id} is ${proposal.status} already; only a PENDING proposal can be approved, rejected or withdrawn.`,
        { status: proposal.status },
      );
    }
    this.#authorize(action, 'ClassificationProposal', subjectOf(proposal));
    this.#assertRevision(proposal, expectedRevision);
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
      actor: this.actor.subject,
      actorDepartment: this.actor.department,
      revision,
      at,
    });
  }

  #resetProposals(): void {
    this.#proposals.clearAll();
    this.#pendingProposalIds.clearAll();
    this.#proposalEvents.clearAll();
    this.#classifications = undefined;
    this.#document = undefined;
  }

  async settings(): Promise<PolicySettings & { version: string }> {
    const policy = await this.#policy();
    return {
      ...DEFAULT_POLICY_SETTINGS,
      ...policy.settings,
      version: policyVersion(policy),
    };
  }

  async setWithholdUnclassified(
    value: boolean,
  ): Promise<PolicySettings & { version: string }> {
    this.#authorize('update', 'PolicySettings', {});
    await this.#write(async (tx) => {
      await upsertSetting(
        tx,
        'withholdUnclassified',
        value,
        this.actor.subject,
      );
      return {
        result: undefined,
        note: `set withholdUnclassified ${String(value)}`,
      };
    });
    this.#document = undefined;
    return this.settings();
  }

  async policyVersions(args: PageArgs): Promise<Connection<Publication>> {
    this.#authorize('read', 'PolicyVersion', {});
    const page = parsePage(args);
    const { publications, totalCount } = await listPublications(this.#db, page);
    return toConnection(publications, page, totalCount);
  }

  async policyDiff(from: string, to: string): Promise<PolicyChange[]> {
    this.#authorize('read', 'PolicyVersion', {});
    const side = async (
      name: string,
      argumentName: string,
    ): Promise<PolicyDocument> => {
      if (name === 'current') return this.#policy();
      const found = await readPublishedDocument(this.#db, name);
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
          this.#can('read', 'NegativeListEntry', e),
      );
    const readableGrant = (doc: PolicyDocument, id: string): boolean =>
      doc.grants.some(
        (g) =>
          g.id === id &&
          this.#can('read', 'Grant', {
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
  ): Promise<{
    ownerDepartment: string;
    since: string;
    until: string;
    rows: AccessReportRow[];
    csv: string;
  }> {
    this.#authorize('read', 'AccessReport', { ownerDepartment });
    const now = this.#now();
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
    const owned = [...this.#shared.supergraph.ownership]
      .filter(([, o]) => o.owners.includes(ownerDepartment))
      .map(([coordinate]) => coordinate);
    const rows = await accessReport(this.#db, {
      owner: ownerDepartment,
      ownedCoordinates: owned,
      since: start,
      until: end,
    });
    return {
      ownerDepartment,
      since: start.toISOString(),
      until: end.toISOString(),
      rows,
      csv: accessReportCsv(rows),
    };
  }
}

function pastTense(action: EntryAction): string {
  switch (action) {
    case 'edit':
      return 'edited';
    case 'submit':
      return 'submitted';
    case 'return':
      return 'returned';
    case 'approve':
      return 'approved';
    case 'revoke':
      return 'revoked';
  }
}

/** The CASL subject of a classification proposal. */
function subjectOf(proposal: ClassificationProposalRecord): {
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

/** The year in China Standard Time (ids are numbered per year there). */
function yearInChina(now: Date): number {
  return new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
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

/** A stored version's content in the shape the API takes it. */
function toContentInput(version: EntryVersionRecord): EntryContentInput {
  const c = version.conditions;
  return {
    selector: version.selector,
    shareClass: version.shareClass,
    legalBasis: version.legalBasis,
    reason: version.reason,
    conditions:
      c === undefined
        ? null
        : {
            ...(c.consumers === undefined ? {} : { consumers: c.consumers }),
            ...(c.purposes === undefined ? {} : { purposes: c.purposes }),
            ...(c.scenarios === undefined ? {} : { scenarios: c.scenarios }),
            ...(c.rowFilter === undefined
              ? {}
              : { rowFilter: JSON.stringify(c.rowFilter) }),
            masks: Object.entries(c.masks ?? {}).map(([coordinate, mask]) => ({
              coordinate,
              mask,
            })),
          },
    exceptions: version.exceptions ?? null,
    validFrom: version.validFrom ?? null,
    validUntil: version.validUntil ?? null,
    priority: version.priority,
  };
}

const CONTENT_FIELDS = [
  'selector',
  'shareClass',
  'legalBasis',
  'reason',
  'conditions',
  'exceptions',
  'validFrom',
  'validUntil',
  'priority',
] as const;

/** The content fields that differ between two versions, in name order, as canonical JSON. */
function contentDiff(
  a: EntryVersionRecord,
  b: EntryVersionRecord,
): PolicyChange['fields'] {
  const json = (value: unknown): string | undefined =>
    value === undefined ? undefined : canonicalJson(value);
  return [...CONTENT_FIELDS]
    .sort()
    .map((field) => ({
      field,
      before: json(a[field]),
      after: json(b[field]),
    }))
    .filter((f) => f.before !== f.after);
}

// The negative list's entries for one request: reading them (with the
// versions the caller may read, their coverage, contradictions, diffs and
// history), checking a draft, and every step of an entry version's
// lifecycle (create, revise, edit, submit, return, approve, revoke).
import DataLoader from 'dataloader';

import {
  canonicalJson,
  entryActionNeedsComment,
  entryActionStartsFrom,
  ENTRY_ACTIONS,
  entryCoverage,
  entryTransition,
  findContradictions,
  type Contradiction,
  type EntryAction,
  type EntryStatus,
} from '../../../policies/src/index.js';
import {
  appendEntryEvent,
  ENTRY_CONDITION_COLUMNS,
  insertEntryVersion,
  listEntryIds,
  listReviewQueue,
  lockEntry,
  lockEntryVersion,
  readEntryEvents,
  readEntryVersions,
  setEntryStatus,
  updateEntryContent,
  type EntryEvent,
  type EntryEventAction,
  type EntryFilter,
  type EntryVersionRecord,
} from '../../../policies/store/src/administration/index.js';
import type { PolicyChange } from '../../../policies/store/src/policy/diffPolicies.js';
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
} from '../../kit/src/errors/GraphQLErrorWithCode.js';
import {
  parsePage,
  type Connection,
  type PageArgs,
} from '../../kit/src/pagination.js';
import type { Queryable } from '../../kit/src/db/Database.js';
import {
  parseEntryContent,
  type EntryContentInput,
  type EntryProblem,
} from './entryContent.js';
import { versionKey, type GovernanceRequest } from './GovernanceRequest.js';
import {
  assertId,
  invalidInput,
  isId,
  optionalText,
  requireText,
} from './parseArguments.js';

/** Statuses in which an entry's latest version is still being written or reviewed: no next version yet. */
const REVISION_OPEN: ReadonlySet<EntryStatus> = new Set(['DRAFT', 'IN_REVIEW']);

/** An entry and the versions the caller may read (at least one). */
export interface EntryView {
  readonly id: string;
  readonly ownerDepartment: string;
  readonly versions: readonly EntryVersionRecord[];
}

const EVENT_OF: Readonly<Record<EntryAction, EntryEventAction>> = {
  edit: 'EDITED',
  submit: 'SUBMITTED',
  return: 'RETURNED',
  approve: 'APPROVED',
  revoke: 'REVOKED',
};

/** The negative list's entries, for one request. */
export class NegativeListEntryApi {
  readonly #request: GovernanceRequest;
  readonly #versions: DataLoader<string, EntryVersionRecord[]>;
  readonly #events: DataLoader<string, EntryEvent[]>;

  constructor(request: GovernanceRequest) {
    this.#request = request;
    const { db } = request;
    const readable = request.permitted(
      'read',
      'NegativeListEntry',
      ENTRY_CONDITION_COLUMNS,
    );
    this.#versions = new DataLoader(async (ids) => {
      const rows = await readEntryVersions(db, ids, readable);
      return ids.map((id) => rows.filter((r) => r.id === id));
    });
    this.#events = new DataLoader(async (keys) => {
      const rows = await readEntryEvents(db, keys);
      return keys.map((key) =>
        rows.filter((e) => versionKey(e.entryId, e.version) === key),
      );
    });
  }

  /** An entry with the versions the caller may read, or null. */
  /**
   * What the caller may do to `version` now, from the same lifecycle
   * (`entryTransition`) and CASL rules (four eyes: never approve one's own)
   * the actions are checked by.
   */
  allowedActions(version: EntryVersionRecord): EntryAction[] {
    return ENTRY_ACTIONS.filter(
      (action) =>
        entryTransition(action, version.status) !== null &&
        this.#request.can(action, 'NegativeListEntry', version),
    );
  }

  /**
   * Whether the caller may write the entry's next version now
   * (`reviseNegativeListEntry`): its latest version is neither `DRAFT` nor
   * `IN_REVIEW`, and they may create its versions.
   */
  mayRevise(entry: EntryView): boolean {
    const latest = entry.versions.at(-1);
    return (
      latest !== undefined &&
      !REVISION_OPEN.has(latest.status) &&
      this.#request.can('create', 'NegativeListEntry', latest)
    );
  }

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
      this.#request.db,
      filter,
      this.#request.permitted(
        'read',
        'NegativeListEntry',
        ENTRY_CONDITION_COLUMNS,
      ),
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
      this.#request.db,
      this.#request.permitted(
        'approve',
        'NegativeListEntry',
        ENTRY_CONDITION_COLUMNS,
      ),
      parsePage(args),
    );
  }

  async coverage(version: EntryVersionRecord): Promise<string[]> {
    return entryCoverage(version, await this.#request.fields());
  }

  async contradictions(version: EntryVersionRecord): Promise<Contradiction[]> {
    const policy = await this.#request.policy();
    return findContradictions({
      entry: version,
      entries: policy.entries,
      grants: policy.grants,
      fields: await this.#request.fields(),
      now: this.#request.now(),
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
      await this.#request.knownNames(),
    );
    if (!isId(input.id)) {
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
    const policy = await this.#request.policy();
    const fields = await this.#request.fields();
    return {
      valid: problems.length === 0,
      problems,
      coverage: entryCoverage(candidate, fields),
      contradictions: findContradictions({
        entry: candidate,
        entries: policy.entries,
        grants: policy.grants,
        fields,
        now: this.#request.now(),
      }),
    };
  }

  async createEntry(input: {
    id: string;
    ownerDepartment: string;
    content: EntryContentInput;
  }): Promise<EntryVersionRecord> {
    assertId(input.id, 'id');
    this.#request.authorize('create', 'NegativeListEntry', {
      ownerDepartment: input.ownerDepartment,
    });
    const owners = new Set(
      [...this.#request.shared.supergraph.ownership.values()].flatMap(
        (o) => o.owners,
      ),
    );
    if (!owners.has(input.ownerDepartment)) {
      throw new BadUserInputError(
        `No subgraph of ${input.ownerDepartment} is in the supergraph: an entry lists data its owner publishes.`,
        { argumentName: 'ownerDepartment' },
      );
    }
    return this.#request.write(async (tx, at) => {
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
        author: this.#request.actor.subject,
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
    return this.#request.write(async (tx, at) => {
      const versions = await lockEntry(tx, id);
      const latest = versions.at(-1);
      if (latest === undefined) throw NotFoundError.of('NegativeListEntry', id);
      this.#request.authorize('create', 'NegativeListEntry', latest);
      this.#request.assertRevision(latest, expectedRevision);
      if (REVISION_OPEN.has(latest.status)) {
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
        author: this.#request.actor.subject,
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
    return this.#request.write(async (tx, at) => {
      const version = await lockEntryVersion(tx, id, versionNumber);
      if (
        version === null ||
        !this.#request.can('read', 'NegativeListEntry', version)
      ) {
        throw NotFoundError.of(
          'NegativeListEntryVersion',
          versionKey(id, versionNumber),
        );
      }
      this.#request.authorize(action, 'NegativeListEntry', version);
      this.#request.assertRevision(version, expectedRevision);
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
          ...(action === 'approve'
            ? { approver: this.#request.actor.subject }
            : {}),
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
      actor: this.#request.actor.subject,
      actorDepartment: this.#request.actor.department,
      ...(comment === undefined ? {} : { comment }),
      revision: version.revision,
      at,
    });
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
      await this.#request.knownNames(tx),
    );
    if (problems.length > 0) throw invalidInput(problems);
    return content;
  }

  /** Checks a stored version's content is still sound against the supergraph. */
  async #recheck(tx: Queryable, version: EntryVersionRecord): Promise<void> {
    await this.#content(tx, toContentInput(version), version.ownerDepartment);
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

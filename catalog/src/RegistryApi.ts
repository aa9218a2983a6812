import { createHash, randomUUID } from 'node:crypto';

import DataLoader from 'dataloader';

import {
  bindFiling,
  recordPublication,
} from '../../policies/store/src/policy/index.js';
import { nearestName } from '../../policies/src/document/validateAgainstSupergraph.js';
import type {
  AlgorithmState,
  AdministrationActor,
} from '../../policies/src/index.js';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
} from '../../subgraphs/kit/src/errors/GraphQLErrorWithCode.js';
import {
  parsePage,
  type Connection,
  type PageArgs,
} from '../../subgraphs/kit/src/pagination.js';
import type {
  Database,
  Queryable,
} from '../../subgraphs/kit/src/db/Database.js';
import type { CatalogShared } from './CatalogShared.js';
import {
  checkRegistry,
  defineRegistryAbility,
  type RegistryAbility,
  type RegistryAction,
} from './model/defineRegistryAbility.js';
import {
  checkEvidenceUpload,
  EVIDENCE_CONTENT_TYPES,
  EVIDENCE_URI_PREFIX,
  evidenceDocumentIdOf,
  type EvidencePolicy,
  type EvidenceUpload,
} from './evidenceDocument.js';
import {
  submissionProblems,
  type EvidenceKind,
  type FilingRevisionContent,
  type RiskCategory,
} from './model/Filing.js';
import {
  FILING_ACTIONS,
  filingActionNeedsComment,
  filingActionStartsFrom,
  filingNumber,
  filingTransition,
  type FilingAction,
} from './model/filingLifecycle.js';
import {
  appendFilingEvent,
  insertEvidenceDocument,
  insertFiling,
  listFilings,
  listNotifications,
  lockFiling,
  nextFilingSequence,
  readEvidenceContent,
  readEvidenceDocuments,
  readFilingEvents,
  readFilings,
  readRevisions,
  touchFiling,
  updateFiling,
  upsertRevision,
  type EvidenceDocumentRecord,
  type FilingChange,
  type FilingEventRecord,
  type FilingFilter,
  type FilingRecord,
  type NotificationRecord,
  type RevisionRecord,
} from './repository.js';

/** States in which an algorithm identity reads its approved inputs. */
const SERVING: ReadonlySet<AlgorithmState> = new Set([
  'PILOT',
  'IN_SERVICE',
  'CHANGE_PENDING',
]);

/** States whose current revision the owner edits (and attaches evidence to). */
const EDITABLE: ReadonlySet<AlgorithmState> = new Set(['DRAFT', 'RETURNED']);

/** States a reviewer has work in. */
const AWAITING_REVIEW: readonly AlgorithmState[] = [
  'SUBMITTED',
  'UNDER_REVIEW',
  'CHANGE_PENDING',
];

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const YEAR_MS = 365 * 86_400_000;

function versionConflict(
  filing: FilingRecord,
  expected: number,
): ConflictError {
  return new ConflictError(
    `${filing.id} is at version ${String(filing.version)}, not ${String(expected)}: it changed since it was read. Read it again and decide on what it says now.`,
    { currentVersion: filing.version, expectedVersion: expected },
  );
}

function text(value: string, field: string, problems: string[]): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 4000 || trimmed.includes('\u0000')) {
    problems.push(`${field}: required text of at most 4000 characters`);
  }
  return trimmed;
}

/**
 * The algorithm registry for one request: who acts (the gateway's signed
 * principal), what CASL lets them do, and every read and write. Writes are
 * one transaction each; a transition that changes what an algorithm may
 * read rebinds it in the policy store and logs the policy version, so that
 * every gateway applies it within seconds.
 */
export class RegistryApi {
  readonly actor: AdministrationActor;
  readonly #db: Database;
  readonly #shared: CatalogShared;
  readonly #ability: RegistryAbility;
  readonly #filings: DataLoader<string, FilingRecord | null>;
  readonly #revisions: DataLoader<string, RevisionRecord[]>;
  readonly #events: DataLoader<string, FilingEventRecord[]>;
  readonly #documents: DataLoader<string, EvidenceDocumentRecord | null>;

  constructor(db: Database, actor: AdministrationActor, shared: CatalogShared) {
    this.#db = db;
    this.actor = actor;
    this.#shared = shared;
    this.#ability = defineRegistryAbility(actor);
    this.#filings = new DataLoader(async (ids) => {
      const rows = await readFilings(db, ids);
      return ids.map((id) => rows.find((f) => f.id === id) ?? null);
    });
    this.#revisions = new DataLoader(async (ids) => {
      const rows = await readRevisions(db, ids);
      return ids.map((id) => rows.filter((r) => r.filingId === id));
    });
    this.#events = new DataLoader(async (ids) => {
      const rows = await readFilingEvents(db, ids);
      return ids.map((id) => rows.filter((e) => e.filingId === id));
    });
    this.#documents = new DataLoader(async (ids) => {
      const rows = await readEvidenceDocuments(db, ids);
      return ids.map((id) => rows.find((d) => d.id === id) ?? null);
    });
  }

  #authorize(action: RegistryAction, filing: object): void {
    const verdict = checkRegistry(this.#ability, action, filing, this.actor);
    if (!verdict.allowed) {
      throw new ForbiddenError(verdict.reason, verdict.rule, { action });
    }
  }

  /** Inputs that are coordinates of the supergraph; BAD_USER_INPUT otherwise. */
  #content(input: FilingRevisionContent): FilingRevisionContent {
    const problems: string[] = [];
    const unknown: { name: string; suggestion?: string }[] = [];
    const coordinates = this.#shared.supergraph.names.coordinates;
    for (const c of input.inputs) {
      if (!coordinates.has(c)) {
        const suggestion = nearestName(c, coordinates);
        unknown.push({
          name: c,
          ...(suggestion === undefined ? {} : { suggestion }),
        });
        problems.push(
          `inputs: unknown coordinate ${c} in the current supergraph${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
        );
      }
    }
    const content: FilingRevisionContent = {
      purposeAndImpact: input.purposeAndImpact.trim(),
      operatingLogic: input.operatingLogic.trim(),
      inputs: [...new Set(input.inputs)],
      outputs: input.outputs.map((o) => o.trim()).filter((o) => o !== ''),
      legalBasis: input.legalBasis.trim(),
      humanOversight: input.humanOversight.trim(),
      selfAssessment: input.selfAssessment.trim(),
      modelVersions: input.modelVersions
        .map((m) => m.trim())
        .filter((m) => m !== ''),
      deploymentEndpoint: input.deploymentEndpoint.trim(),
      evidence: input.evidence.map((e) => ({
        kind: e.kind,
        title: text(e.title, 'evidence.title', problems),
        uri: text(e.uri, 'evidence.uri', problems),
      })),
    };
    if (problems.length > 0) {
      throw new BadUserInputError(problems.join('; '), {
        problems,
        ...(unknown.length > 0 ? { unknown } : {}),
      });
    }
    return content;
  }

  async #write<T>(
    change: (
      tx: Queryable,
      at: string,
    ) => Promise<{ result: T; note?: string }>,
  ): Promise<T> {
    const at = this.#shared.now().toISOString();
    return this.#db.transaction(async (tx) => {
      const { result, note } = await change(tx, at);
      if (note !== undefined) {
        await recordPublication(tx, {
          actor: this.actor.subject,
          change: note,
        });
      }
      return result;
    });
  }

  // ----------------------------------------------------------------- reads

  filing(id: string): Promise<FilingRecord | null> {
    return this.#filings.load(id);
  }

  revisions(id: string): Promise<RevisionRecord[]> {
    return this.#revisions.load(id);
  }

  history(id: string): Promise<FilingEventRecord[]> {
    return this.#events.load(id);
  }

  filings(
    filter: FilingFilter,
    args: PageArgs,
  ): Promise<Connection<FilingRecord>> {
    return listFilings(this.#db, filter, parsePage(args));
  }

  /** What the caller may review: none of their own department's or submissions. */
  reviewQueue(
    riskCategory: RiskCategory | null | undefined,
    args: PageArgs,
  ): Promise<Connection<FilingRecord>> {
    const page = parsePage(args);
    if (!this.actor.roles.includes('algorithm-reviewer')) {
      return Promise.resolve({
        nodes: [],
        totalCount: 0,
        pageInfo: { hasNextPage: false, endCursor: null },
      });
    }
    return listFilings(
      this.#db,
      {
        states: AWAITING_REVIEW,
        notOwnerDepartment: this.actor.department,
        notSubmittedBy: this.actor.subject,
        ...(riskCategory ? { riskCategory } : {}),
      },
      page,
      true,
    );
  }

  /** What the registry told the caller or the caller's department. */
  notifications(
    filingId: string | null | undefined,
    args: PageArgs,
  ): Promise<Connection<NotificationRecord>> {
    return listNotifications(
      this.#db,
      [this.actor.subject, `department:${this.actor.department}`],
      filingId ?? undefined,
      parsePage(args),
    );
  }

  /**
   * What an evidence upload may be: the largest size in bytes and the
   * content types {@link attachEvidence} accepts (the same limit and types
   * it checks with), for a client to refuse a file before sending it.
   */
  evidencePolicy(): EvidencePolicy {
    return {
      maxBytes: this.#shared.evidenceMaxBytes,
      contentTypes: Object.keys(EVIDENCE_CONTENT_TYPES),
    };
  }

  /** An evidence document's description (name, type, size, SHA-256), or `null`. */
  evidenceDocument(id: string): Promise<EvidenceDocumentRecord | null> {
    return this.#documents.load(id);
  }

  /** The document an evidence URI names (`evidence:<id>`), or `null` for plain `doc://` text. */
  async evidenceDocumentOf(
    uri: string,
  ): Promise<EvidenceDocumentRecord | null> {
    const documentId = evidenceDocumentIdOf(uri);
    return documentId === undefined ? null : this.#documents.load(documentId);
  }

  /**
   * The bytes of an evidence document, base64-encoded, after checking that
   * they still have the SHA-256 stored with them.
   *
   * @throws ForbiddenError `registry:evidence-readers` for anyone but the owner department's algorithm owners and reviewers
   */
  async evidenceContent(document: EvidenceDocumentRecord): Promise<string> {
    const filing = await this.#filings.load(document.filingId);
    if (filing === null) {
      throw NotFoundError.of('AlgorithmFiling', document.filingId);
    }
    this.#authorize('readEvidence', filing);
    const content = await readEvidenceContent(this.#db, document.id);
    if (content === null)
      throw NotFoundError.of('EvidenceDocument', document.id);
    const digest = createHash('sha256').update(content).digest('hex');
    if (digest !== document.sha256) {
      throw new ConflictError(
        `Evidence document ${document.id} no longer has the SHA-256 it was stored with: it was altered.`,
        { id: document.id },
      );
    }
    return content.toString('base64');
  }

  /**
   * What the caller may do to `filing` now, from the same lifecycle
   * (`filingTransition`) and CASL rules (`checkRegistry`) the actions are
   * checked by: the transitions, and whether they may edit the draft
   * (`updateAlgorithmFilingDraft`, `attachAlgorithmEvidence`) or file a
   * change (`requestAlgorithmChange`). Content guards (the evidence a
   * submission needs, comments) are checked when the action is taken.
   */
  allowedActions(filing: FilingRecord): {
    transitions: FilingAction[];
    mayEditDraft: boolean;
    mayRequestChange: boolean;
  } {
    const allowed = (action: FilingAction | 'edit'): boolean =>
      checkRegistry(this.#ability, action, filing, this.actor).allowed;
    return {
      transitions: FILING_ACTIONS.filter(
        (action) =>
          action !== 'requestChange' &&
          filingTransition(action, filing.state) !== null &&
          allowed(action),
      ),
      mayEditDraft: EDITABLE.has(filing.state) && allowed('edit'),
      mayRequestChange:
        filingTransition('requestChange', filing.state) !== null &&
        allowed('requestChange'),
    };
  }

  mayRead(filing: FilingRecord): boolean {
    return SERVING.has(filing.state);
  }

  // ---------------------------------------------------------------- writes

  async create(input: {
    id: string;
    name: string;
    safetyOfficer: string;
    serviceForm: string;
    domain: string;
    algorithmType: string;
    riskCategory: RiskCategory;
    content: FilingRevisionContent;
  }): Promise<FilingRecord> {
    if (!ID.test(input.id)) {
      throw BadUserInputError.invalidArgument(
        'id',
        input.id,
        'an id like ALG-2026-201',
      );
    }
    const owner = this.actor.department;
    this.#authorize('create', { ownerDepartment: owner });
    const problems: string[] = [];
    const header = {
      name: text(input.name, 'name', problems),
      safetyOfficer: text(input.safetyOfficer, 'safetyOfficer', problems),
      serviceForm: text(input.serviceForm, 'serviceForm', problems),
      domain: text(input.domain, 'domain', problems),
      algorithmType: text(input.algorithmType, 'algorithmType', problems),
    };
    if (problems.length > 0) {
      throw new BadUserInputError(problems.join('; '), { problems });
    }
    const content = this.#content(input.content);
    return this.#write(async (tx, at) => {
      if ((await lockFiling(tx, input.id)) !== null) {
        throw new ConflictError(`Filing ${input.id} exists already.`, {
          id: input.id,
        });
      }
      await insertFiling(tx, {
        id: input.id,
        ...header,
        ownerDepartment: owner,
        riskCategory: input.riskCategory,
        createdBy: this.actor.subject,
        at,
      });
      await upsertRevision(tx, input.id, 1, content, this.actor.subject, at);
      await appendFilingEvent(tx, {
        filingId: input.id,
        action: 'CREATED',
        toState: 'DRAFT',
        actor: this.actor.subject,
        actorDepartment: this.actor.department,
        revision: 1,
        at,
      });
      await bindFiling(tx, input.id, 'DRAFT', []);
      const created = await lockFiling(tx, input.id);
      return {
        result: created as FilingRecord,
        note: `register filing ${input.id}`,
      };
    });
  }

  async updateDraft(
    id: string,
    expectedVersion: number,
    input: FilingRevisionContent,
  ): Promise<FilingRecord> {
    const content = this.#content(input);
    return this.#write(async (tx, at) => {
      const filing = await this.#locked(tx, id, expectedVersion);
      this.#authorize('edit', filing);
      await this.#assertOwnDocuments(tx, id, content);
      if (!EDITABLE.has(filing.state)) {
        throw new ConflictError(
          `${id} is ${filing.state}; only a DRAFT or RETURNED filing is edited (file a change once it is in service).`,
          { state: filing.state },
        );
      }
      await upsertRevision(
        tx,
        id,
        filing.currentRevision,
        content,
        this.actor.subject,
        at,
      );
      await touchFiling(tx, id, at);
      return { result: (await lockFiling(tx, id)) as FilingRecord };
    });
  }

  async requestChange(
    id: string,
    expectedVersion: number,
    input: FilingRevisionContent,
    comment: string | null | undefined,
  ): Promise<FilingRecord> {
    const content = this.#content(input);
    return this.#write(async (tx, at) => {
      const filing = await this.#locked(tx, id, expectedVersion);
      this.#authorize('requestChange', filing);
      this.#assertTransition(filing, 'requestChange');
      await this.#assertOwnDocuments(tx, id, content);
      const problems = submissionProblems(content, filing.riskCategory);
      if (problems.length > 0) {
        throw new BadUserInputError(
          problems.map((p) => `${p.field}: ${p.message}`).join(' '),
          { problems },
        );
      }
      const revision = filing.currentRevision + 1;
      await upsertRevision(tx, id, revision, content, this.actor.subject, at);
      const changed = await updateFiling(tx, id, {
        state: 'CHANGE_PENDING',
        at,
        currentRevision: revision,
        submittedBy: this.actor.subject,
      });
      await this.#event(
        tx,
        changed,
        'requestChange',
        filing.state,
        comment ?? undefined,
        at,
      );
      // The approved revision keeps binding: same state class, same inputs.
      const approved = await this.#approvedInputs(tx, changed);
      await bindFiling(tx, id, changed.state, approved);
      return {
        result: changed,
        note: `change filing ${id} r${String(revision)}`,
      };
    });
  }

  async transition(
    id: string,
    action: FilingAction,
    expectedVersion: number,
    comment: string | null | undefined,
  ): Promise<FilingRecord> {
    if (action === 'requestChange') {
      throw new BadUserInputError(
        'A change filing brings a new revision: use requestAlgorithmChange.',
        { argumentName: 'action' },
      );
    }
    const why = comment?.trim() ?? '';
    if (filingActionNeedsComment(action) && why === '') {
      throw new BadUserInputError(
        `A comment saying why is required to ${action}.`,
        {
          argumentName: 'comment',
        },
      );
    }
    return this.#write(async (tx, at) => {
      const filing = await this.#locked(tx, id, expectedVersion);
      this.#authorize(action, filing);
      const to = this.#assertTransition(filing, action);
      const change: {
        -readonly [K in keyof FilingChange]: FilingChange[K];
      } = { state: to, at };
      if (action === 'submit') {
        const [current] = (await readRevisions(tx, [id])).filter(
          (r) => r.revision === filing.currentRevision,
        );
        if (current === undefined)
          throw NotFoundError.of('AlgorithmRevision', id);
        const problems = submissionProblems(current, filing.riskCategory);
        const unknown = current.inputs.filter(
          (c) => !this.#shared.supergraph.names.coordinates.has(c),
        );
        if (unknown.length > 0) {
          problems.push({
            field: 'inputs',
            message: `${unknown.join(', ')} no longer exist in the supergraph.`,
          });
        }
        if (problems.length > 0) {
          throw new BadUserInputError(
            problems.map((p) => `${p.field}: ${p.message}`).join(' '),
            { problems },
          );
        }
        change.submittedBy = this.actor.subject;
      }
      if (action === 'startReview') change.reviewer = this.actor.subject;
      if (action === 'file') {
        const year = new Date(Date.parse(at) + 8 * 3_600_000).getUTCFullYear();
        change.filingNumber = filingNumber(
          year,
          await nextFilingSequence(tx, year),
        );
        change.approvedRevision = filing.currentRevision;
        change.reviewer = this.actor.subject;
        change.filedAt = at;
        change.lastReviewedAt = at;
        change.nextReviewAt = new Date(Date.parse(at) + YEAR_MS).toISOString();
      }
      if (action === 'approveChange') {
        change.approvedRevision = filing.currentRevision;
        change.reviewer = this.actor.subject;
        change.lastReviewedAt = at;
        change.nextReviewAt = new Date(Date.parse(at) + YEAR_MS).toISOString();
      }
      if (action === 'rejectChange') {
        // Back to the approved revision: the rejected one stays in history.
        change.currentRevision =
          filing.approvedRevision ?? filing.currentRevision;
      }
      const changed = await updateFiling(tx, id, change);
      await this.#event(
        tx,
        changed,
        action,
        filing.state,
        why === '' ? undefined : why,
        at,
      );
      await bindFiling(
        tx,
        id,
        changed.state,
        await this.#approvedInputs(tx, changed),
      );
      return { result: changed, note: `${action} ${id}` };
    });
  }

  /**
   * Uploads a document as evidence of a DRAFT or RETURNED filing (its
   * owner): checked (name, type, size, bytes) before anything is stored,
   * kept with its SHA-256 and size, and listed in the current revision's
   * evidence as `evidence:<id>`.
   *
   * @throws BadUserInputError with `extensions.reason` for a bad upload (nothing stored)
   */
  async attachEvidence(
    id: string,
    expectedVersion: number,
    input: EvidenceUpload & { kind: EvidenceKind; title: string },
  ): Promise<FilingRecord> {
    const problems: string[] = [];
    const title = text(input.title, 'evidence.title', problems);
    if (problems.length > 0) {
      throw new BadUserInputError(problems.join('; '), { problems });
    }
    const checked = await checkEvidenceUpload(
      input,
      this.#shared.evidenceMaxBytes,
    );
    return this.#write(async (tx, at) => {
      const filing = await this.#locked(tx, id, expectedVersion);
      this.#authorize('edit', filing);
      if (!EDITABLE.has(filing.state)) {
        throw new ConflictError(
          `${id} is ${filing.state}; evidence is attached to a DRAFT or RETURNED filing (file a change once it is in service).`,
          { state: filing.state },
        );
      }
      const current = (await readRevisions(tx, [id])).find(
        (r) => r.revision === filing.currentRevision,
      );
      if (current === undefined) {
        throw NotFoundError.of('AlgorithmRevision', id);
      }
      const documentId = `EVD-${randomUUID()}`;
      await insertEvidenceDocument(tx, {
        id: documentId,
        filingId: id,
        fileName: checked.fileName,
        contentType: checked.contentType,
        sizeBytes: checked.sizeBytes,
        sha256: checked.sha256,
        content: checked.content,
        uploadedBy: this.actor.subject,
        uploadedAt: at,
      });
      await upsertRevision(
        tx,
        id,
        filing.currentRevision,
        {
          ...current,
          evidence: [
            ...current.evidence,
            {
              kind: input.kind,
              title,
              uri: `${EVIDENCE_URI_PREFIX}${documentId}`,
            },
          ],
        },
        this.actor.subject,
        at,
      );
      await touchFiling(tx, id, at);
      return { result: (await lockFiling(tx, id)) as FilingRecord };
    });
  }

  /** Every `evidence:` URI of `content` names a document of this filing. */
  async #assertOwnDocuments(
    tx: Queryable,
    filingId: string,
    content: FilingRevisionContent,
  ): Promise<void> {
    const ids = content.evidence.flatMap((e) => {
      const documentId = evidenceDocumentIdOf(e.uri);
      return documentId === undefined ? [] : [documentId];
    });
    if (ids.length === 0) return;
    const found = await readEvidenceDocuments(tx, ids);
    const foreign = ids.filter(
      (d) => !found.some((f) => f.id === d && f.filingId === filingId),
    );
    if (foreign.length > 0) {
      throw new BadUserInputError(
        `evidence.uri: ${foreign.map((d) => `${EVIDENCE_URI_PREFIX}${d}`).join(', ')} names no document uploaded to ${filingId} (upload it with attachAlgorithmEvidence).`,
        { argumentName: 'evidence', unknown: foreign },
      );
    }
  }

  async #locked(
    tx: Queryable,
    id: string,
    expectedVersion: number,
  ): Promise<FilingRecord> {
    const filing = await lockFiling(tx, id);
    if (filing === null) throw NotFoundError.of('AlgorithmFiling', id);
    if (filing.version !== expectedVersion)
      throw versionConflict(filing, expectedVersion);
    return filing;
  }

  #assertTransition(
    filing: FilingRecord,
    action: FilingAction,
  ): AlgorithmState {
    const to = filingTransition(action, filing.state);
    if (to === null) {
      throw new ConflictError(
        `${filing.id} is ${filing.state}; ${action} applies only to a filing that is ${filingActionStartsFrom(action).join(' or ')}.`,
        { state: filing.state, action },
      );
    }
    return to;
  }

  async #approvedInputs(
    tx: Queryable,
    filing: FilingRecord,
  ): Promise<string[]> {
    if (filing.approvedRevision === undefined) return [];
    const revisions = await readRevisions(tx, [filing.id]);
    return [
      ...(revisions.find((r) => r.revision === filing.approvedRevision)
        ?.inputs ?? []),
    ];
  }

  async #event(
    tx: Queryable,
    filing: FilingRecord,
    action: string,
    from: AlgorithmState,
    comment: string | undefined,
    at: string,
  ): Promise<void> {
    await appendFilingEvent(tx, {
      filingId: filing.id,
      action,
      fromState: from,
      toState: filing.state,
      actor: this.actor.subject,
      actorDepartment: this.actor.department,
      ...(comment === undefined ? {} : { comment }),
      revision: filing.currentRevision,
      at,
    });
  }
}

// What every API of the governance subgraph shares within one request: who
// acts (from the gateway's signed call), what CASL lets them do in the
// administration, the policy and the stored classifications read once, and
// the transaction every write runs in.
import {
  checkAdministration,
  defineAdministrationAbility,
  type AdministrationAbility,
  type AdministrationAction,
  type AdministrationActor,
  type AdministrationSubjectType,
  type FieldInfo,
} from '../../../policies/src/index.js';
import {
  readClassifications,
  type ClassificationRecord,
  type SqlWhere,
} from '../../../policies/store/src/administration/index.js';
import {
  lockPolicyWrites,
  readPolicyDocument,
  recordPublication,
  type PolicyDocument,
} from '../../../policies/store/src/policy/index.js';
import {
  fieldsOf,
  type SupergraphInfo,
} from '../../../policies/store/src/supergraphInfo.js';
import {
  ConflictError,
  ForbiddenError,
} from '../../kit/src/errors/GraphQLErrorWithCode.js';
import type { Database, Queryable } from '../../kit/src/db/Database.js';
import type { KnownNames } from './entryContent.js';
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

/** A CASL subject type of the administration other than `all`. */
export type AdministrationSubject = Exclude<AdministrationSubjectType, 'all'>;

/** An entry version's key: `NL-PS-004@2`. */
export function versionKey(id: string, version: number): string {
  return `${id}@${String(version)}`;
}

/** The year in China Standard Time (ids are numbered per year there). */
export function yearInChina(now: Date): number {
  return new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
}

/**
 * One request of the governance subgraph: the actor, their CASL ability,
 * the policy and stored classifications read once (forgotten after a write
 * that changes them), and `write`: one transaction behind the policy write
 * lock that ends by logging the policy version it produced (which also
 * proves the policy still loads); hot reload carries it to every gateway.
 * The APIs of the administration (entries, share requests and grants,
 * classifications, reports) each hold the request they serve.
 */
export class GovernanceRequest {
  readonly actor: AdministrationActor;
  readonly db: Database;
  readonly shared: GovernanceShared;
  readonly #ability: AdministrationAbility;
  #classifications: Promise<Map<string, ClassificationRecord>> | undefined;
  #document: Promise<PolicyDocument> | undefined;

  constructor(
    db: Database,
    actor: AdministrationActor,
    shared: GovernanceShared,
  ) {
    this.db = db;
    this.actor = actor;
    this.shared = shared;
    this.#ability = defineAdministrationAbility(actor);
  }

  now(): Date {
    return this.shared.now();
  }

  /** What the actor may do to `subjectType`, as a SQL condition over `columns`. */
  permitted(
    action: AdministrationAction,
    subjectType: AdministrationSubject,
    columns: Readonly<Record<string, string>>,
  ): SqlWhere {
    return toSqlWhere(this.#ability, action, subjectType, columns);
  }

  can(
    action: AdministrationAction,
    subjectType: AdministrationSubject,
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
  authorize(
    action: AdministrationAction,
    subjectType: AdministrationSubject,
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
  classifications(): Promise<Map<string, ClassificationRecord>> {
    this.#classifications ??= readClassifications(this.db);
    return this.#classifications;
  }

  /** The whole policy, read once per request. */
  policy(): Promise<PolicyDocument> {
    this.#document ??= readPolicyDocument(this.db);
    return this.#document;
  }

  /** After a write that changed the stored field reviews: read them again. */
  forgetClassifications(): void {
    this.#classifications = undefined;
  }

  /** After a write that changed the policy: read it again. */
  forgetPolicy(): void {
    this.#document = undefined;
  }

  /** The supergraph's names and the stored tags, to check content against. */
  async knownNames(tx: Queryable = this.db): Promise<KnownNames> {
    const stored =
      tx === this.db
        ? await this.classifications()
        : await readClassifications(tx);
    const tags = new Set(this.shared.supergraph.names.tags);
    const byCoordinate: Record<string, readonly string[]> = {};
    for (const review of stored.values()) {
      for (const tag of review.tags) tags.add(tag);
      byCoordinate[review.coordinate] = review.tags;
    }
    return {
      info: this.shared.supergraph,
      tags,
      stored: Object.fromEntries(Object.entries(byCoordinate)),
    };
  }

  /**
   * Every field with its whole classification. Inside a write, pass its
   * transaction: on PGlite's one connection, a statement outside the open
   * transaction would wait for it forever.
   */
  async fields(tx: Queryable = this.db): Promise<FieldInfo[]> {
    const { stored } = await this.knownNames(tx);
    return fieldsOf(this.shared.supergraph, stored);
  }

  /** Runs `change` in one transaction behind the policy write lock and logs its note. */
  async write<T>(
    change: (tx: Queryable, at: string) => Promise<{ result: T; note: string }>,
  ): Promise<T> {
    const at = this.now().toISOString();
    return this.db.transaction(async (tx) => {
      await lockPolicyWrites(tx);
      const { result, note } = await change(tx, at);
      await recordPublication(tx, { actor: this.actor.subject, change: note });
      return result;
    });
  }

  /** @throws ConflictError when `current` changed since the caller read it */
  assertRevision(
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
}

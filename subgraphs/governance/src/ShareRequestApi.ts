// Share requests and grants for one request: a consumer department
// applies for conditional data under an ACTIVE entry; the owner department
// approves (issuing a grant), rejects, or the requester withdraws; a grant
// is revoked by its owner department.
import DataLoader from 'dataloader';

import {
  dueDate,
  entryCoverage,
  type MaskKind,
} from '../../../policies/src/index.js';
import {
  decideShareRequest,
  GRANT_CONDITION_COLUMNS,
  insertGrant,
  insertShareRequest,
  listGrants,
  listShareRequests,
  lockEntry,
  lockGrant,
  lockShareRequest,
  nextGrantId,
  nextShareRequestId,
  readGrants,
  readShareRequests,
  revokeGrantRow,
  SHARE_REQUEST_CONDITION_COLUMNS,
  withdrawShareRequestRow,
  type EntryVersionRecord,
  type GrantRecord,
  type ShareRequestFilter,
  type ShareRequestRecord,
  type ShareRequestStatus,
} from '../../../policies/store/src/administration/index.js';
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
import { parseTimestamp } from '../../kit/src/arguments.js';
import type { Queryable } from '../../kit/src/db/Database.js';
import { parseRowFilter, type EntryProblem } from './entryContent.js';
import {
  versionKey,
  yearInChina,
  type GovernanceRequest,
} from './GovernanceRequest.js';
import {
  assertId,
  invalidInput,
  optionalText,
  requireText,
} from './parseArguments.js';

/** The most a share request may ask for: three years (minimum necessary). */
const MAX_GRANT_MS = 3 * 366 * 86_400_000;

/** Share requests and grants, for one request. */
export class ShareRequestApi {
  readonly #request: GovernanceRequest;
  readonly #grants: DataLoader<string, GrantRecord | null>;
  readonly #requests: DataLoader<string, ShareRequestRecord | null>;

  constructor(request: GovernanceRequest) {
    this.#request = request;
    const { db } = request;
    const readableGrants = request.permitted(
      'read',
      'Grant',
      GRANT_CONDITION_COLUMNS,
    );
    this.#grants = new DataLoader(async (ids) => {
      const rows = await readGrants(db, ids, readableGrants);
      return ids.map((id) => rows.find((g) => g.id === id) ?? null);
    });
    const readableRequests = request.permitted(
      'read',
      'ShareRequest',
      SHARE_REQUEST_CONDITION_COLUMNS,
    );
    this.#requests = new DataLoader(async (ids) => {
      const rows = await readShareRequests(db, ids, readableRequests);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    });
  }

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
        ? { ownerDepartment: this.#request.actor.department }
        : {}),
      ...(filter.side === 'AS_CONSUMER'
        ? { consumerDepartment: this.#request.actor.department }
        : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.overdue === true
        ? { dueBefore: this.#request.now().toISOString() }
        : {}),
    };
    return listShareRequests(
      this.#request.db,
      f,
      this.#request.permitted(
        'read',
        'ShareRequest',
        SHARE_REQUEST_CONDITION_COLUMNS,
      ),
      parsePage(args),
    );
  }

  isOverdue(request: ShareRequestRecord): boolean {
    return (
      request.status === 'PENDING' &&
      Date.parse(request.dueAt) < this.#request.now().getTime()
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
      this.#request.db,
      {
        ...(filter.consumerDepartment
          ? { consumerDepartment: filter.consumerDepartment }
          : {}),
        ...(filter.ownerDepartment
          ? { ownerDepartment: filter.ownerDepartment }
          : {}),
        ...(filter.inForce === true
          ? { inForceAt: this.#request.now().toISOString() }
          : {}),
      },
      this.#request.permitted('read', 'Grant', GRANT_CONDITION_COLUMNS),
      parsePage(args),
    );
  }

  /**
   * What the caller may do to `request` now, from the CASL rules the
   * actions are checked by (four eyes: never decide one's own request) and
   * the state they need (`PENDING`).
   */
  allowedActions(
    request: ShareRequestRecord,
  ): ('APPROVE' | 'REJECT' | 'WITHDRAW')[] {
    if (request.status !== 'PENDING') return [];
    return [
      ...(this.#request.can('decide', 'ShareRequest', request)
        ? (['APPROVE', 'REJECT'] as const)
        : []),
      ...(this.#request.can('withdraw', 'ShareRequest', request)
        ? (['WITHDRAW'] as const)
        : []),
    ];
  }

  /** What the caller may do to `grant` now: revoke it, if not revoked and theirs to revoke. */
  grantAllowedActions(grant: GrantRecord): 'REVOKE'[] {
    return !grant.revoked && this.#request.can('revoke', 'Grant', grant)
      ? ['REVOKE']
      : [];
  }

  isInForce(grant: GrantRecord): boolean {
    const now = this.#request.now().getTime();
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
    const consumer = this.#request.actor.department;
    const purpose = requireText(input.purpose, 'purpose', 'A purpose of use');
    const justification = requireText(
      input.justification,
      'justification',
      'A justification (why the data is needed, 申请理由)',
    );
    const scenario = optionalText(input.scenario, 'scenario');
    const now = this.#request.now();
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
    return this.#request.write(async (tx, at) => {
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
      this.#request.authorize('create', 'ShareRequest', {
        consumerDepartment: consumer,
        ownerDepartment: active.ownerDepartment,
        requestedBy: this.#request.actor.subject,
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
        requestedBy: this.#request.actor.subject,
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
    const covered = new Set(
      entryCoverage(entry, await this.#request.fields(tx)),
    );
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
    if (
      request === null ||
      !this.#request.can('read', 'ShareRequest', request)
    ) {
      throw NotFoundError.of('ShareRequest', id);
    }
    this.#request.authorize(action, 'ShareRequest', request);
    this.#request.assertRevision(request, expectedRevision);
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
    const now = this.#request.now();
    return this.#request.write(async (tx, at) => {
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
        issuedBy: this.#request.actor.subject,
        requestId: request.id,
      });
      const decided = await decideShareRequest(tx, id, {
        status: 'APPROVED',
        decidedBy: this.#request.actor.subject,
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
    return this.#request.write(async (tx, at) => {
      await this.#pendingRequest(tx, id, expectedRevision, 'decide');
      const decided = await decideShareRequest(tx, id, {
        status: 'REJECTED',
        decidedBy: this.#request.actor.subject,
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
    return this.#request.write(async (tx, at) => {
      const request = await lockShareRequest(tx, id);
      if (
        request === null ||
        !this.#request.can('read', 'ShareRequest', request)
      ) {
        throw NotFoundError.of('ShareRequest', id);
      }
      this.#request.authorize('withdraw', 'ShareRequest', request);
      this.#request.assertRevision(request, expectedRevision);
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
    return this.#request.write(async (tx, at) => {
      const grant = await lockGrant(tx, id);
      if (grant === null || !this.#request.can('read', 'Grant', grant)) {
        throw NotFoundError.of('Grant', id);
      }
      this.#request.authorize('revoke', 'Grant', grant);
      if (grant.revoked) {
        throw new ConflictError(`Grant ${id} is revoked already.`, {
          revokedAt: grant.revokedAt,
        });
      }
      await revokeGrantRow(tx, id, {
        by: this.#request.actor.subject,
        at,
        reason: why,
      });
      const revoked = await lockGrant(tx, id);
      return { result: revoked as GrantRecord, note: `revoke grant ${id}` };
    });
  }
}

// The access log for auditors, for one request: its records filtered by
// principal, department, coordinate, purpose, outcome and time (newest
// first, keyset pages), one record whole, a page as CSV, and the
// verification of its chains and checkpoints. Read-only; city-level
// auditors only (CASL subject AccessRecord).
import {
  ACCESS_OUTCOMES,
  accessRecordsCsv,
  listAccessRecords,
  readAccessRecord,
  verifyAccessLog,
  type AccessOutcome,
  type AccessRecordFilter,
  type AccessRecordView,
  type AccessLogVerification,
} from '../../../policies/store/src/audit/index.js';
import {
  BadUserInputError,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  parseTimestamp,
  type PageArgs,
} from '../../kit/src/index.js';
import type { GovernanceRequest } from './GovernanceRequest.js';

/** The filter of `accessRecords`, as GraphQL hands it over. */
export interface AccessRecordFilterInput {
  readonly subject?: string | null;
  readonly department?: string | null;
  readonly ownerDepartment?: string | null;
  readonly coordinate?: string | null;
  readonly purpose?: string | null;
  readonly outcome?: AccessOutcome | null;
  readonly since?: string | null;
  readonly until?: string | null;
}

/** One page of access records, with the page as CSV. */
export interface AccessRecordConnection {
  readonly nodes: AccessRecordView[];
  readonly totalCount: number;
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly csv: string;
}

/** Most problems the verification lists (the rest are counted). */
const MAX_LISTED_PROBLEMS = 100;

const CURSOR_PREFIX = 'seq:';

function cursorOf(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${String(seq)}`).toString('base64url');
}

function seqOfCursor(after: string): number {
  const decoded = Buffer.from(after, 'base64url').toString('utf8');
  const seq = decoded.startsWith(CURSOR_PREFIX)
    ? Number(decoded.slice(CURSOR_PREFIX.length))
    : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw BadUserInputError.invalidArgument(
      'after',
      after,
      'a cursor returned by this field (pageInfo.endCursor)',
    );
  }
  return seq;
}

/** A seq as the `ID` type carries it. */
export function parseSeq(value: string): number {
  const seq = /^[1-9]\d{0,17}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seq)) {
    throw BadUserInputError.invalidArgument(
      'seq',
      value,
      'the seq of a record, a positive integer',
    );
  }
  return seq;
}

function optional(
  value: string | null | undefined,
  name: string,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.trim() === '' || value.length > 256) {
    throw BadUserInputError.invalidArgument(
      `filter.${name}`,
      value,
      'a non-empty string of at most 256 characters',
    );
  }
  return value;
}

/** The access log for auditors, for one request. */
export class AccessLogApi {
  readonly #request: GovernanceRequest;

  constructor(request: GovernanceRequest) {
    this.#request = request;
  }

  /**
   * Records matching `filter`, newest first, with the page as CSV.
   *
   * @throws ForbiddenError `governance:auditor-only` for anyone but a city-level auditor
   * @throws BadUserInputError for a malformed filter, page size or cursor
   */
  async records(
    filter: AccessRecordFilterInput | null | undefined,
    args: PageArgs,
  ): Promise<AccessRecordConnection> {
    this.#request.authorize('read', 'AccessRecord', {});
    const parsed = this.#filter(filter ?? {});
    const limit = args.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw BadUserInputError.invalidArgument(
        'first',
        limit,
        `an integer from 1 to ${String(MAX_PAGE_SIZE)}`,
      );
    }
    const page = await listAccessRecords(this.#request.db, parsed, {
      limit,
      ...(args.after == null ? {} : { beforeSeq: seqOfCursor(args.after) }),
    });
    const last = page.records.at(-1);
    return {
      nodes: page.records,
      totalCount: page.totalCount,
      pageInfo: {
        hasNextPage: page.hasMore,
        endCursor: last === undefined ? null : cursorOf(last.seq),
      },
      csv: accessRecordsCsv(page.records),
    };
  }

  /**
   * One record whole, or `null` when no record has this seq.
   *
   * @throws ForbiddenError `governance:auditor-only` for anyone but a city-level auditor
   */
  async record(seq: string): Promise<AccessRecordView | null> {
    this.#request.authorize('read', 'AccessRecord', {});
    return readAccessRecord(this.#request.db, parseSeq(seq));
  }

  /**
   * Verifies every chain of the access log and the checkpoints that bind
   * their heads, as `npm run audit:verify` does (it reads the whole log).
   *
   * @throws ForbiddenError `governance:auditor-only` for anyone but a city-level auditor
   */
  async verification(): Promise<
    AccessLogVerification & { readonly verifiedAt: string }
  > {
    this.#request.authorize('read', 'AccessRecord', {});
    const verifiedAt = this.#request.now().toISOString();
    const result = await verifyAccessLog(this.#request.db, {
      maxProblems: MAX_LISTED_PROBLEMS,
    });
    return { ...result, verifiedAt };
  }

  #filter(input: AccessRecordFilterInput): AccessRecordFilter {
    const since =
      input.since == null
        ? undefined
        : new Date(parseTimestamp(input.since, 'filter.since'));
    const until =
      input.until == null
        ? undefined
        : new Date(parseTimestamp(input.until, 'filter.until'));
    if (since && until && since.getTime() >= until.getTime()) {
      throw BadUserInputError.invalidArgument(
        'filter.until',
        input.until,
        `an instant after since (${since.toISOString()})`,
      );
    }
    if (input.outcome != null && !ACCESS_OUTCOMES.includes(input.outcome)) {
      throw BadUserInputError.invalidArgument(
        'filter.outcome',
        input.outcome,
        `one of ${ACCESS_OUTCOMES.join(', ')}`,
      );
    }
    const fields = {
      subject: optional(input.subject, 'subject'),
      department: optional(input.department, 'department'),
      ownerDepartment: optional(input.ownerDepartment, 'ownerDepartment'),
      coordinate: optional(input.coordinate, 'coordinate'),
      purpose: optional(input.purpose, 'purpose'),
      outcome: input.outcome ?? undefined,
      since,
      until,
    };
    return Object.fromEntries(
      Object.entries(fields).filter(([, v]) => v !== undefined),
    ) as AccessRecordFilter;
  }
}

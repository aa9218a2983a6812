import { AccessLogError } from './AccessLogError.js';

/**
 * How the logged operation ended; `ATTEMPTED` is the record a mutation's
 * attempt gets before it runs (its outcome follows in a record of the same
 * `attemptId`).
 */
export type AccessOutcome =
  'ATTEMPTED' | 'OK' | 'PARTIAL' | 'REJECTED' | 'ERROR';

/** Every {@link AccessOutcome}, for validation. */
export const ACCESS_OUTCOMES: readonly AccessOutcome[] = [
  'ATTEMPTED',
  'OK',
  'PARTIAL',
  'REJECTED',
  'ERROR',
];

/** A field the gateway withheld from the operation, and why. */
export interface WithheldCoordinate {
  /** Schema coordinate, e.g. `Person.idNumber`. */
  readonly coordinate: string;
  /** Response path of the withheld field's error, e.g. `['person', 'idNumber']`. */
  readonly path: readonly (string | number)[];
  /** The error code, e.g. `FORBIDDEN_BY_NEGATIVE_LIST`. */
  readonly code: string;
  /** The rule that decided, e.g. `negative-list:NL-12@3`. */
  readonly rule: string;
}

/** A field the gateway masked before it left, and how. */
export interface MaskedCoordinate {
  /** Schema coordinate, e.g. `Person.mobile`. */
  readonly coordinate: string;
  /** The rule that decided, e.g. `grant:G-7`. */
  readonly rule: string;
  /** The mask applied, e.g. `MOBILE`. */
  readonly mask: string;
}

/**
 * One logged operation: who read what of which department, for which
 * purpose, and what was withheld or masked. The hash chain covers every
 * field (see {@link hashRecord}).
 */
export interface AccessLogRecord {
  /** When the operation was logged; kept to the millisecond. */
  readonly recordedAt: Date;
  /** The principal's subject (user or algorithm identity). */
  readonly subject: string;
  /** The principal's department. */
  readonly department: string;
  /** The principal's roles, in token order. */
  readonly roles: readonly string[];
  /** The purpose of use the request declared. */
  readonly purpose: string;
  /** Hash of the operation document (as for persisted queries). */
  readonly operationHash: string;
  /** The operation document as received. */
  readonly operationText: string;
  /** The operation's name, or null for an anonymous operation. */
  readonly operationName: string | null;
  /** Coordinates read, per owner department: `{ market: ['Enterprise.name'] }`. */
  readonly read: Readonly<Record<string, readonly string[]>>;
  /** Fields withheld, with their codes and rules. */
  readonly withheld: readonly WithheldCoordinate[];
  /** Fields masked, with their rules and masks. */
  readonly masked: readonly MaskedCoordinate[];
  /** How the operation ended. */
  readonly outcome: AccessOutcome;
  /** Milliseconds the operation took; rounded to a whole number. */
  readonly latencyMs: number;
  /**
   * The attempt of a mutation the record belongs to: its `ATTEMPTED` record
   * (written before the mutation runs) and its outcome record share it.
   * Absent for every other operation.
   */
  readonly attemptId?: string;
  /**
   * The OpenTelemetry trace id (32 lower-case hex digits) of the request,
   * when the gateway traced it: where to find its spans. Absent when
   * tracing is off (and on every record written before migration 004).
   */
  readonly traceId?: string;
}

/** What `append` takes: a record whose time defaults to the moment of append. */
export type AccessLogInput = Omit<AccessLogRecord, 'recordedAt'> & {
  readonly recordedAt?: Date;
};

/** A record as stored: its place in the chain and its hashes. */
export interface StoredAccessLogRecord extends AccessLogRecord {
  /** Position in the chain, from 1, without gaps. */
  readonly seq: number;
  /** Hash of the record before it; 64 zeros for the first. */
  readonly prevHash: string;
  /** Hash of this record (see {@link hashRecord}). */
  readonly hash: string;
}

const MAX_INT4 = 2_147_483_647;

function text(value: unknown, field: string): string {
  // PostgreSQL text cannot hold NUL, and lone surrogates would be stored as
  // U+FFFD: either would make the stored record differ from the hashed one.
  if (
    typeof value !== 'string' ||
    value.includes('\u0000') ||
    /\p{Surrogate}/u.test(value)
  ) {
    throw AccessLogError.invalidRecord(
      field,
      'a string without NUL characters or unpaired surrogates',
    );
  }
  return value;
}

function texts(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) {
    throw AccessLogError.invalidRecord(field, 'an array of strings');
  }
  return value.map((v: unknown, i) => text(v, `${field}[${String(i)}]`));
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw AccessLogError.invalidRecord(field, 'an object');
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) {
    throw AccessLogError.invalidRecord(field, 'an array');
  }
  return value;
}

/**
 * Checks an appended record and copies it into the exact form that is
 * hashed and stored: only the known fields, the time defaulted and cut to
 * the millisecond, latency rounded. Throws {@link AccessLogError}
 * (`INVALID_RECORD`) for anything PostgreSQL could not store unchanged.
 */
export function normalizeRecord(
  input: AccessLogInput,
  now: () => Date = () => new Date(),
): AccessLogRecord {
  const recordedAt = input.recordedAt ?? now();
  const time = recordedAt instanceof Date ? recordedAt.getTime() : Number.NaN;
  const year = new Date(time).getUTCFullYear();
  if (!Number.isFinite(time) || year < 1 || year > 9999) {
    throw AccessLogError.invalidRecord(
      'recordedAt',
      'a valid Date between the years 1 and 9999',
    );
  }
  const latency = input.latencyMs;
  if (typeof latency !== 'number' || !Number.isFinite(latency) || latency < 0) {
    throw AccessLogError.invalidRecord(
      'latencyMs',
      'a finite number of milliseconds, not negative',
    );
  }
  if (!ACCESS_OUTCOMES.includes(input.outcome)) {
    throw AccessLogError.invalidRecord(
      'outcome',
      `one of ${ACCESS_OUTCOMES.join(', ')}`,
    );
  }
  const attemptId =
    input.attemptId === undefined
      ? undefined
      : text(input.attemptId, 'attemptId');
  if (input.outcome === 'ATTEMPTED' && attemptId === undefined) {
    throw AccessLogError.invalidRecord(
      'attemptId',
      'set on an ATTEMPTED record',
    );
  }
  const traceId = input.traceId;
  if (
    traceId !== undefined &&
    (typeof traceId !== 'string' || !/^[0-9a-f]{32}$/.test(traceId))
  ) {
    throw AccessLogError.invalidRecord(
      'traceId',
      'an OpenTelemetry trace id: 32 lower-case hexadecimal digits',
    );
  }
  // fromEntries defines own properties, so even a key `__proto__` is data.
  const read: Record<string, string[]> = Object.fromEntries(
    Object.entries(record(input.read, 'read')).map(([department, coords]) => [
      text(department, 'read (department)'),
      texts(coords, `read.${department}`),
    ]),
  );
  return {
    recordedAt: new Date(time),
    subject: text(input.subject, 'subject'),
    department: text(input.department, 'department'),
    roles: texts(input.roles, 'roles'),
    purpose: text(input.purpose, 'purpose'),
    operationHash: text(input.operationHash, 'operationHash'),
    operationText: text(input.operationText, 'operationText'),
    operationName:
      input.operationName === null
        ? null
        : text(input.operationName, 'operationName'),
    read,
    withheld: list(input.withheld, 'withheld').map((entry, i) => {
      const field = `withheld[${String(i)}]`;
      const w = record(entry, field);
      return {
        coordinate: text(w['coordinate'], `${field}.coordinate`),
        path: list(w['path'], `${field}.path`).map((p, j) => {
          if (typeof p === 'number' && Number.isSafeInteger(p) && p >= 0) {
            return p;
          }
          return text(p, `${field}.path[${String(j)}]`);
        }),
        code: text(w['code'], `${field}.code`),
        rule: text(w['rule'], `${field}.rule`),
      };
    }),
    masked: list(input.masked, 'masked').map((entry, i) => {
      const field = `masked[${String(i)}]`;
      const m = record(entry, field);
      return {
        coordinate: text(m['coordinate'], `${field}.coordinate`),
        rule: text(m['rule'], `${field}.rule`),
        mask: text(m['mask'], `${field}.mask`),
      };
    }),
    outcome: input.outcome,
    latencyMs: Math.min(Math.round(latency), MAX_INT4),
    ...(attemptId === undefined ? {} : { attemptId }),
    ...(traceId === undefined ? {} : { traceId }),
  };
}

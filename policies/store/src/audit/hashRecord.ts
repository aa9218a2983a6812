import { createHash } from 'node:crypto';

import { canonicalJson } from '../../../src/index.js';
import type { AccessLogRecord } from './AccessLogRecord.js';

/** The `prevHash` of the first record of the chain: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hashed fields of a record, named as the columns of `audit.access_log`,
 * with `recorded_at` as an ISO 8601 string (`2025-06-01T08:00:00.000Z`).
 * `seq` is not hashed: the order of the chain is its links.
 */
export interface HashedFields {
  readonly recorded_at: string;
  readonly subject: string;
  readonly department: string;
  readonly roles: readonly string[];
  readonly purpose: string;
  readonly operation_hash: string;
  readonly operation_text: string;
  readonly operation_name: string | null;
  readonly read: unknown;
  readonly withheld: unknown;
  readonly masked: unknown;
  readonly outcome: string;
  readonly latency_ms: number;
  /** Only on the records of a mutation's attempt: absent, it is not hashed. */
  readonly attempt_id?: string;
  /** Only on the records of a traced request: absent, it is not hashed. */
  readonly trace_id?: string;
}

/** The fields of a record in the form they are hashed. */
export function hashedFields(record: AccessLogRecord): HashedFields {
  return {
    recorded_at: record.recordedAt.toISOString(),
    subject: record.subject,
    department: record.department,
    roles: record.roles,
    purpose: record.purpose,
    operation_hash: record.operationHash,
    operation_text: record.operationText,
    operation_name: record.operationName,
    read: record.read,
    withheld: record.withheld,
    masked: record.masked,
    outcome: record.outcome,
    latency_ms: record.latencyMs,
    ...(record.attemptId === undefined ? {} : { attempt_id: record.attemptId }),
    ...(record.traceId === undefined ? {} : { trace_id: record.traceId }),
  };
}

const json = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);

/**
 * The canonical JSON of `fields` plus `prev_hash`, written member by member
 * in canonicalJson's key order (the same text, without sorting the keys of
 * every record); `nested` passes the canonical JSON of `read`, `withheld`
 * and `masked` when the caller has it already.
 */
function canonicalFields(
  prevHash: string,
  fields: HashedFields,
  nested?: { read: string; withheld: string; masked: string },
): string {
  const f = fields as unknown as Record<string, unknown>;
  if (Object.keys(f).some((key) => f[key] === undefined)) {
    return canonicalJson({ ...fields, prev_hash: prevHash });
  }
  const attempt =
    fields.attempt_id === undefined
      ? ''
      : `"attempt_id":${json(fields.attempt_id)},`;
  const traceId =
    fields.trace_id === undefined ? '' : `"trace_id":${json(fields.trace_id)},`;
  return `{${attempt}"department":${json(fields.department)},"latency_ms":${json(fields.latency_ms)},"masked":${nested?.masked ?? json(fields.masked)},"operation_hash":${json(fields.operation_hash)},"operation_name":${json(fields.operation_name)},"operation_text":${json(fields.operation_text)},"outcome":${json(fields.outcome)},"prev_hash":${json(prevHash)},"purpose":${json(fields.purpose)},"read":${nested?.read ?? json(fields.read)},"recorded_at":${json(fields.recorded_at)},"roles":${json(fields.roles)},"subject":${json(fields.subject)},${traceId}"withheld":${nested?.withheld ?? json(fields.withheld)}}`;
}

/** SHA-256 (hex) of the canonical JSON of `fields` plus `prev_hash`. */
export function hashFields(
  prevHash: string,
  fields: HashedFields,
  nested?: { read: string; withheld: string; masked: string },
): string {
  return createHash('sha256')
    .update(canonicalFields(prevHash, fields, nested))
    .digest('hex');
}

/**
 * The hash of one access-log record in the chain: SHA-256, hex, over the
 * canonical JSON ({@link canonicalJson}) of the record's fields (column
 * names, `recorded_at` as an ISO string) together with `prev_hash`, the hash
 * of the record before it ({@link GENESIS_HASH} for the first). Changing any
 * field, or the record before it, changes the hash.
 */
export function hashRecord(
  prevHash: string,
  record: AccessLogRecord,
  nested?: { read: string; withheld: string; masked: string },
): string {
  return hashFields(prevHash, hashedFields(record), nested);
}

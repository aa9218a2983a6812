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
  };
}

/** SHA-256 (hex) of the canonical JSON of `fields` plus `prev_hash`. */
export function hashFields(prevHash: string, fields: HashedFields): string {
  return createHash('sha256')
    .update(canonicalJson({ ...fields, prev_hash: prevHash }))
    .digest('hex');
}

/**
 * The hash of one access-log record in the chain: SHA-256, hex, over the
 * canonical JSON ({@link canonicalJson}) of the record's fields (column
 * names, `recorded_at` as an ISO string) together with `prev_hash`, the hash
 * of the record before it ({@link GENESIS_HASH} for the first). Changing any
 * field, or the record before it, changes the hash.
 */
export function hashRecord(prevHash: string, record: AccessLogRecord): string {
  return hashFields(prevHash, hashedFields(record));
}

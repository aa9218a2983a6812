// The gateway's tamper-evident access log (docs/design.md "Audit"): records of
// cross-department reads and mutation attempts, batched into an append-only,
// hash-chained table, the verifier that proves the chain intact, and the
// idempotency keys of mutations.
export { AccessLogError } from './AccessLogError.js';
export type { AccessLogErrorCode } from './AccessLogError.js';
export { ACCESS_OUTCOMES, normalizeRecord } from './AccessLogRecord.js';
export type {
  AccessLogInput,
  AccessLogRecord,
  AccessOutcome,
  MaskedCoordinate,
  StoredAccessLogRecord,
  WithheldCoordinate,
} from './AccessLogRecord.js';
export { ACCESS_LOG_LOCK, createAccessLog } from './createAccessLog.js';
export type {
  AccessLog,
  AccessLogConfig,
  AccessLogDeps,
} from './createAccessLog.js';
export {
  GENESIS_HASH,
  hashFields,
  hashedFields,
  hashRecord,
} from './hashRecord.js';
export type { HashedFields } from './hashRecord.js';
export {
  AUDIT_SCHEMA,
  GATEWAY_MIGRATIONS_DIR,
  migrateAccessLog,
} from './migrateAccessLog.js';
export { verifyAccessLog } from './verifyAccessLog.js';
export type {
  AccessLogProblem,
  AccessLogProblemKind,
  AccessLogVerification,
  VerifyAccessLogOptions,
} from './verifyAccessLog.js';
export { accessReport, accessReportCsv } from './accessReport.js';
export type { AccessReportOptions, AccessReportRow } from './accessReport.js';
export { readRecordedOperations } from './readRecordedOperations.js';
export type {
  RecordedOperationRow,
  RecordedOperationsOptions,
} from './readRecordedOperations.js';
export { countAccessLogRecords } from './countAccessLogRecords.js';
export {
  createIdempotencyKeys,
  DEFAULT_IDEMPOTENCY_TTL_MS,
} from './idempotencyKeys.js';
export type {
  IdempotencyClaim,
  IdempotencyKeys,
  IdempotencyKeysConfig,
  IdempotencyKeysDeps,
} from './idempotencyKeys.js';

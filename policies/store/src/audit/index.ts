// The gateway's tamper-evident access log (docs/design.md "Audit"): records of
// cross-department reads and mutation attempts, batched into an append-only
// table as one hash chain per writer, checkpoints that bind every chain's
// head into one hash-linked sequence, the verifier that proves chains and
// checkpoints intact, and the idempotency keys of mutations.
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
  CHECKPOINT_LOCK,
  hashCheckpoint,
  writeCheckpoint,
} from './checkpoints.js';
export type {
  ChainHead,
  Checkpoint,
  WriteCheckpointOptions,
} from './checkpoints.js';
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
  VerifiedChain,
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
export {
  accessRecordsCsv,
  listAccessRecords,
  readAccessRecord,
} from './accessRecords.js';
export type {
  AccessRecordFilter,
  AccessRecordPage,
  AccessRecordView,
} from './accessRecords.js';

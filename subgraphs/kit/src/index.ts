// Shared plumbing of every department's subgraph: no department knowledge.
export { createSubgraph, readTypeDefs } from './createSubgraph.js';
export type {
  Subgraph,
  SubgraphContext,
  SubgraphDefinition,
  SubgraphDeps,
} from './createSubgraph.js';
export { runSubgraphMain } from './runSubgraphMain.js';
export { countStatements, DatabaseUnavailableError } from './db/Database.js';
export type { Database, Queryable, QueryOptions } from './db/Database.js';
export { openDatabase } from './db/openDatabase.js';
export {
  EmbeddedDatabaseInUseError,
  readEmbeddedDatabaseHolder,
} from './db/embeddedDatabaseLock.js';
export { serveEmbeddedDatabase } from './db/serveEmbeddedDatabase.js';
export type { ServedDatabase } from './db/serveEmbeddedDatabase.js';
export { isoOrUndefined, optionalProperty } from './db/rowValues.js';
export type { DatabaseTarget } from './db/openDatabase.js';
export { migrate, readMigrations, MigrationError } from './db/migrate.js';
export { ErrorCode } from './errors/ErrorCode.js';
export {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  GraphQLErrorWithCode,
  NotFoundError,
} from './errors/GraphQLErrorWithCode.js';
export { maskError } from './errors/maskError.js';
export { serveGraphQL } from './http/serveGraphQL.js';
export type { ServedGraphQL } from './http/serveGraphQL.js';
export {
  bodyHash,
  CallRejectedError,
  CallScopeError,
  CallSignatureError,
  CallVerifier,
  createHmacKey,
  createJwksVerificationKey,
  EMPTY_CALL_CONTEXT,
  importPrivateKeyPem,
  importPublicKeyPem,
  MIN_SECRET_BYTES,
  readSigningKeyFile,
  readVerificationKeyFile,
  ReplayCache,
  RedisReplayCache,
  ReplayCheckUnavailableError,
  ReplayWindowFullError,
  signCall,
  encodeCallContext,
  signEncodedCall,
  SIGNATURE_HEADER,
  SIGNATURE_ISSUER,
  SIGNATURE_TTL_SECONDS,
  SIGNATURE_TYPE,
  SigningKeyError,
  verificationKeyFromEnv,
} from './signing/index.js';
export type {
  CallClaims,
  CallSignatureFailure,
  CallToSign,
  CallVerifierOptions,
  EncodedCallToSign,
  HmacKey,
  ReplayCacheOptions,
  CallIdStore,
  RedisReplayCacheOptions,
  SignedCallContext,
  SigningAlgorithm,
  SigningKey,
  VerificationKey,
} from './signing/index.js';
export {
  createBatchLoader,
  createGroupLoader,
  LoaderRegistry,
  loadOrThrow,
  loadReference,
} from './loaders/createBatchLoader.js';
export { createRowLoader } from './loaders/createRowLoader.js';
export type { RowLoaderQuery } from './loaders/createRowLoader.js';
export { SqlConditions } from './SqlConditions.js';
export {
  createPagedChildrenLoader,
  DEFAULT_PAGE_SIZE,
  loadPage,
  MAX_PAGE_SIZE,
  parsePage,
  toConnection,
} from './pagination.js';
export type { Connection, Page, PageArgs } from './pagination.js';
export {
  CITY_CODE,
  isRegionCode,
  joinRegionPrefixes,
  regionPrefix,
} from './regions.js';
export {
  CONFIG_FILE_VARIABLES,
  configuredEnv,
  DEFAULT_CONFIG_FILE,
  EnvError,
  LogLevelSchema,
  readConfigFile,
  readConfigFileText,
  readEnv,
  readPort,
  SecretSchema,
  TracingEnvSchema,
} from './env.js';
export type { Env } from './env.js';
export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { UnreachableCaseError } from './UnreachableCaseError.js';
export {
  creditCodeCheckChar,
  isCreditCode,
  organisationCodeCheckChar,
} from './creditCode.js';
export {
  assertStorableText,
  isStorableText,
  parseDistanceKm,
  parseTimestamp,
} from './arguments.js';
export {
  addRowScope,
  scopedConditions,
  escapeLike,
  MAX_ROW_FILTER_DEPTH,
  MAX_ROW_FILTER_NODES,
  MAX_ROW_FILTER_VALUES,
  parseRowScope,
  rowScopeOf,
  RowScopeError,
} from './rowScope/index.js';
export type {
  RowFilter,
  RowFilterValue,
  RowScope,
  RowScopeColumns,
} from './rowScope/index.js';
export {
  assertJobId,
  createBullJobQueue,
  createInProcessJobQueue,
  DEFAULT_JOB_OPTIONS,
  isUnrecoverable,
} from './jobs/index.js';
export type {
  AwaitableJobQueue,
  BullJobQueueOptions,
  DeadLetter,
  InProcessJobQueueOptions,
  JobInfo,
  JobOptions,
  JobProcessor,
  JobQueue,
} from './jobs/index.js';
export { sha256 } from './sha256.js';
export {
  DEFAULT_SUPERGRAPH_PATH,
  readSubgraphUrls,
  readSupergraphFile,
  SupergraphError,
} from './supergraphFile.js';
export { readMainSupergraph } from './readMainSupergraph.js';
export { openHubDatabase } from './openHubDatabase.js';
export { RequestPrincipalSchema, requirePrincipal } from './signing/index.js';
export { commandLineOrExit, parseCommandLine } from './cli/commandLine.js';
export type { CommandLine, CommandSpec } from './cli/commandLine.js';
export {
  activeTracer,
  contextOfTraceparent,
  currentTraceId,
  failSpan,
  installTracing,
  otlpTracesUrl,
  statementSummary,
  TRACEPARENT,
  traceDatabase,
  traceLogFields,
  traceparentOf,
  traceResolvers,
  TRACER_NAME,
  tracingFromEnv,
  withSpan,
  type Tracing,
  type TracingEnv,
  type TracingOptions,
} from './tracing/index.js';
export { BUILD_STAMP_FILE, webAppStamp, webAppState } from './web/webApp.js';
export type { WebApp, WebAppState } from './web/webApp.js';
export {
  createProgress,
  formatDuration,
  progressEtaMs,
  progressLine,
  progressRate,
} from './progress/progress.js';
export type {
  Progress,
  ProgressOptions,
  ProgressState,
  ProgressStream,
} from './progress/progress.js';
export {
  BoundedLabel,
  counterIn,
  createComponentMetrics,
  histogramIn,
  LATENCY_BUCKETS,
  processMetrics,
} from './metrics/ComponentMetrics.js';
export type { ComponentMetrics } from './metrics/ComponentMetrics.js';
export {
  graphqlRequestMetrics,
  operationLabelOf,
  outcomeOfResponse,
} from './metrics/graphqlRequestMetrics.js';
export type {
  GraphQLRequestMetrics,
  RequestOutcome,
} from './metrics/graphqlRequestMetrics.js';
export {
  checkReadiness,
  databaseCheck,
  READY_CHECK_TIMEOUT_MS,
} from './http/readiness.js';
export type {
  Readiness,
  ReadyCheck,
  ReadyCheckResult,
} from './http/readiness.js';
export { serveOperations } from './http/serveGraphQL.js';
export type { OperationsEndpoints } from './http/serveGraphQL.js';
export {
  countJobAttempt,
  jobMetricsEndpoint,
  jobMetricsRegistry,
  trackQueue,
  untrackQueue,
} from './metrics/jobMetrics.js';
export type {
  CountedQueue,
  JobAttemptOutcome,
  JobCounts,
} from './metrics/jobMetrics.js';
export { serveProbes } from './http/serveProbes.js';
export type { ServedProbes, ServeProbesConfig } from './http/serveProbes.js';

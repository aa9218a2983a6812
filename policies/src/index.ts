// The public API of policies/. Add exports here with intention.
export { analyzeOperation } from './analyzeOperation.js';
export type {
  IntrospectionUse,
  OperationAnalysis,
  TouchedCoordinate,
} from './analyzeOperation.js';
export { conditionVariables } from './conditionVariables.js';
export type { ConditionVariables } from './conditionVariables.js';
export type { ConditionValue } from './operationTraversal.js';
export { OperationAnalysisError } from './OperationAnalysisError.js';
export { operationCost } from './operationCost.js';
export type { CostOptions, CostRequest } from './operationCost.js';
export type { OperationAnalysisErrorCode } from './OperationAnalysisError.js';
export type { OperationOptions } from './OperationOptions.js';
export { removeFields } from './removeFields.js';
export type {
  RemovalCause,
  RemovedField,
  RemoveFieldsResult,
  RemovePredicate,
} from './removeFields.js';
export * from './model/index.js';
export * from './decide/index.js';
export * from './masking/index.js';
export {
  FieldCatalogError,
  OWNER_TAG_PREFIX,
  readFieldCatalog,
} from './readFieldCatalog.js';
export type {
  FieldCatalog,
  FieldCatalogEntry,
  UnownedField,
} from './readFieldCatalog.js';
export * from './scope/index.js';
export * from './admin/index.js';
export * from './govern/index.js';
export { canonicalJson } from './canonicalJson.js';
export * from './document/index.js';

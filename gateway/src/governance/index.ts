// Governance of every operation: decide, rewrite, scope, mask, log, explain.
export {
  DEFAULT_OPERATION_LIMITS,
  GovernedGateway,
  INTROSPECTION_RULE,
  SAFELIST_RULE,
  STRICT_HEADER,
  type FilingBinding,
  type GovernanceConfig,
  type GovernancePolicy,
  type PolicySource,
} from './GovernedGateway.js';
export {
  governOperation,
  decideCoordinate,
  sha256,
  UNOWNED_FIELD_RULE,
  type CoordinateDecision,
  type GovernedPlan,
  type MaskedField,
  type WithheldField,
} from './governOperation.js';
export {
  PlanCache,
  type PlanCacheStats,
  type PlanRequest,
} from './PlanCache.js';
export {
  CostBudget,
  parseAndValidate,
  type OperationLimits,
} from './operationLimits.js';
export {
  applyMasks,
  RESERVED_PREFIX,
  TYPENAME_KEY,
  withTypenames,
} from './applyMasks.js';
export { EXPLAIN_SDL, withExplain } from './explainSchema.js';
export {
  CLASSIFICATION_TAG_PREFIX,
  POLICY_WRITES,
  readOwnership,
  WRITES_TAG_PREFIX,
  type FieldOwnership,
  type OwnershipCatalog,
} from './FieldOwnership.js';
export { visibleSchema } from './visibleSchema.js';
export { parseSafelist, readSafelistFile, SafelistError } from './safelist.js';
export {
  simulateImpact,
  type ImpactReport,
  type RecordedOperation,
  type SimulateImpactInput,
} from './simulateImpact.js';

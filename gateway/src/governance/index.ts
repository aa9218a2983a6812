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
  PlanCache,
  type PlanCacheStats,
  type PlanRequest,
} from './PlanCache.js';
export {
  CostBudget,
  parseAndValidate,
  type OperationLimits,
} from './operationLimits.js';
export { visibleSchema } from './visibleSchema.js';
export { parseSafelist, readSafelistFile, SafelistError } from './safelist.js';
export { applyMasks } from './applyMasks.js';

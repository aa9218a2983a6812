// The gateway's request pipeline around @apollo/gateway: admit, govern
// (policies/src/govern decides), answer locally or run, mask, record.
export {
  DEFAULT_OPERATION_LIMITS,
  GovernedGateway,
  type GovernedGatewayConfig,
  type GovernanceObserver,
} from './GovernedGateway.js';
export {
  GatewayError,
  IDEMPOTENCY_KEY_HEADER,
  INTROSPECTION_RULE,
  SAFELIST_RULE,
  STRICT_HEADER,
} from './GatewayError.js';
export {
  policyPrincipalOf,
  type FilingBinding,
  type PolicyInForce,
  type PolicySource,
} from './policyPrincipalOf.js';
export { explainOperation, type ExplainInput } from './explainOperation.js';
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
export { DEFAULT_ACCESS_LOG_DEADLINE_MS } from './GovernedGateway.js';

// The governance of one operation, pure: decide every coordinate, rewrite
// the document, scope rows, name masks and what to log; field ownership from
// the supergraph; the explain schema; impact simulation over recorded
// operations. The gateway (gateway/src/pipeline) runs these per request.
export {
  governOperation,
  decideCoordinate,
  INACCESSIBLE_FIELD_RULE,
  UNOWNED_FIELD_RULE,
  unownedFieldRule,
  type CoordinateDecision,
  type GovernedPlan,
  type GovernInput,
  type MaskedField,
  type WithheldField,
} from './governOperation.js';
export {
  RESERVED_PREFIX,
  TYPENAME_KEY,
  withTypenames,
} from './withTypenames.js';
export {
  nullOutOfScope,
  probedTypes,
  referencedRegionTypes,
  SCOPE_PROBE_KEY,
  withScopeProbes,
} from './withScopeProbes.js';
export {
  EXPLAIN_SDL,
  withExplain,
  type ExplainArgs,
  type ExplainContext,
} from './explainSchema.js';
export {
  CLASSIFICATION_TAG_PREFIX,
  POLICY_WRITES,
  readOwnership,
  SEARCH_TAG_PREFIX,
  WRITES_TAG_PREFIX,
  type FieldOwnership,
  type OwnershipCatalog,
} from './FieldOwnership.js';
export {
  simulateImpact,
  SIMULATED_LEVEL,
  SIMULATED_REGION,
  SIMULATION_ASSUMPTIONS,
  type FieldOutcome,
  type FieldOutcomeChange,
  type ImpactExample,
  type ImpactReport,
  type RecordedOperation,
  type SimulateImpactInput,
} from './simulateImpact.js';

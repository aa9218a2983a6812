// The policy model: plain, read-only data the engine decides over.
export type {
  Decision,
  AllowDecision,
  MaskDecision,
  DenyDecision,
  DecisionCode,
  DecisionEffect,
} from './Decision.js';
export { DEPARTMENTS } from './Department.js';
export type { Department, PublishingDepartment } from './Department.js';
export type { FieldInfo } from './FieldInfo.js';
export type { Grant } from './Grant.js';
export { MASK_KINDS, type MaskKind } from './MaskKind.js';
export type {
  NegativeListEntry,
  EntryConditions,
  EntryExceptions,
  EntrySelector,
  EntryStatus,
  ShareClass,
} from './NegativeListEntry.js';
export type { PolicySet, PolicySettings } from './PolicySet.js';
export {
  ALGORITHM_STATES,
  type AlgorithmIdentity,
  type AlgorithmState,
  type Principal,
  type RequestPrincipal,
  type PrincipalLevel,
} from './Principal.js';
export type { Purpose } from './Purpose.js';
export type { RoleRule } from './RoleRule.js';
export type { RowFilter, RowFilterValue } from './RowFilter.js';
export type { SchemaCoordinate } from './SchemaCoordinate.js';

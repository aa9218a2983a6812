// Administration of the negative list, pure: the entry lifecycle, who may
// do what through the governance API (CASL), what an entry covers and
// contradicts, when a share request is due, and whom a classification
// change affects (and so must approve it).
export {
  AUDITOR_ROLE,
  CITY_DATA_AUTHORITY_ROLE,
  checkAdministration,
  DATA_OFFICER_ROLE,
  defineAdministrationAbility,
  ADMINISTRATION_RULES,
  administrationRuleOf,
} from './defineAdministrationAbility.js';
export type {
  AdministrationAbility,
  AdministrationAction,
  AdministrationActor,
  AdministrationCheck,
  AdministrationSubjectType,
} from './defineAdministrationAbility.js';
export {
  affectedDepartments,
  classificationEffect,
} from './classificationEffect.js';
export type {
  AffectedDepartment,
  ClassificationChangeInput,
  ClassificationEffect,
  ClassificationEffectInput,
} from './classificationEffect.js';
export {
  approvalCovers,
  classificationProposalTransition,
} from './classificationProposalTransition.js';
export type {
  ClassificationProposalAction,
  ClassificationProposalStatus,
} from './classificationProposalTransition.js';
export { dueDate, SHARE_REQUEST_WORKING_DAYS } from './dueDate.js';
export { entryCoverage } from './entryCoverage.js';
export {
  ENTRY_ACTIONS,
  entryActionNeedsComment,
  entryActionStartsFrom,
  entryTransition,
} from './entryLifecycle.js';
export type { EntryAction } from './entryLifecycle.js';
export { findContradictions } from './findContradictions.js';
export type {
  Contradiction,
  ContradictionInput,
  ContradictionKind,
} from './findContradictions.js';
export { shareClassOf } from './shareClassOf.js';
export type { ShareStanding } from './shareClassOf.js';

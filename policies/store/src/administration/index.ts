// The administration of the negative list over the policy store's schema
// (policies/store/migrations/policy): every statement the governance
// subgraph runs on entries, their history, share requests, grants, field
// classifications, classification proposals and settings, split by
// aggregate. Every statement is parameterised; a listing takes what the
// caller may read as a SQL condition (`SqlWhere`) over the aliases its
// `*_CONDITION_COLUMNS` name. The whole policy is read and published
// through ../policy/ (readPolicyDocument, recordPublication,
// lockPolicyWrites).
export {
  readClassifications,
  readSightings,
  recordSightings,
  upsertClassification,
} from './classifications.js';
export type { ClassificationRecord } from './classifications.js';
export {
  ENTRY_CONDITION_COLUMNS,
  insertEntryVersion,
  listEntryIds,
  listReviewQueue,
  lockEntry,
  lockEntryVersion,
  readEntryVersions,
  restoreEntryLifecycle,
  setEntryStatus,
  updateEntryContent,
} from './entries.js';
export type {
  EntryContent,
  EntryFilter,
  EntryVersionRecord,
} from './entries.js';
export {
  GRANT_CONDITION_COLUMNS,
  insertGrant,
  listGrants,
  lockGrant,
  nextGrantId,
  readGrants,
  restoreGrantProvenance,
  revokeGrantRow,
} from './grants.js';
export type { GrantFilter, GrantRecord } from './grants.js';
export {
  appendEntryEvent,
  appendProposalEvent,
  hasEntryHistory,
  readEntryEvents,
  readProposalEvents,
} from './history.js';
export type {
  EntryEvent,
  EntryEventAction,
  ProposalEvent,
  ProposalEventAction,
} from './history.js';
export {
  insertClassificationProposal,
  listClassificationProposals,
  lockClassificationProposal,
  lockPendingProposalsOf,
  nextClassificationProposalId,
  PROPOSAL_CONDITION_COLUMNS,
  readClassificationProposals,
  readPendingProposalIds,
  updateClassificationProposal,
} from './proposals.js';
export type {
  ClassificationApproval,
  ClassificationChangeRecord,
  ClassificationProposalRecord,
  ProposalFilter,
} from './proposals.js';
export { upsertSetting } from './settings.js';
export {
  decideShareRequest,
  insertShareRequest,
  listShareRequests,
  lockShareRequest,
  nextShareRequestId,
  readShareRequests,
  restoreShareRequest,
  SHARE_REQUEST_CONDITION_COLUMNS,
  withdrawShareRequestRow,
} from './shareRequests.js';
export type {
  ShareRequestFilter,
  ShareRequestRecord,
  ShareRequestStatus,
} from './shareRequests.js';
export type { SqlWhere } from './sql.js';

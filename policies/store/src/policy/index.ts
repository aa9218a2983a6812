// The policy store (docs/design.md "Negative list model"): the negative
// list, grants, CASL roles and algorithm bindings in PostgreSQL (schema
// policy), loaded in one consistent read into one frozen, content-versioned
// snapshot that the gateway decides from, with the revoked bearer tokens.
export { createPolicyStore, POLICY_CHANNEL } from './createPolicyStore.js';
export type {
  PolicyStore,
  PolicyStoreConfig,
  PolicyStoreStatus,
} from './createPolicyStore.js';
export {
  loadPolicySnapshot,
  policyVersion,
  snapshotOf,
} from './loadPolicySnapshot.js';
export {
  migratePolicyStore,
  POLICY_MIGRATIONS_DIR,
  POLICY_SCHEMA,
} from './migratePolicyStore.js';
export { DEFAULT_POLICY_SETTINGS } from '../../../src/document/PolicyDocument.js';
export type {
  AlgorithmFiling,
  FieldClassificationItem,
  PolicyDocument,
  PolicyDocumentEntry,
  PolicySnapshot,
} from '../../../src/document/PolicyDocument.js';
export { bindFiling } from './algorithmBindings.js';
export {
  listPublications,
  readPublishedDocument,
  recordPublication,
} from './publications.js';
export type { Publication, PublicationNote } from './publications.js';
export { PolicyStoreError } from './PolicyStoreError.js';
export {
  insertTokenRevocation,
  listTokenRevocations,
  readTokenRevocations,
} from './tokenRevocations.js';
export type { NewTokenRevocation } from './tokenRevocations.js';
export { TokenRevocationList } from '../../../src/document/TokenRevocationList.js';
export type {
  RevocationProbe,
  TokenRevocation,
} from '../../../src/document/TokenRevocationList.js';
export type { PolicyStoreErrorCode } from './PolicyStoreError.js';
export { readPolicyDocument } from './readPolicyDocument.js';
export { sortPolicyDocument } from '../../../src/document/index.js';
export {
  isPolicySeeded,
  lockPolicyWrites,
  POLICY_WRITE_LOCK,
  writePolicyDocument,
} from './writePolicyDocument.js';
export type { WritePolicyOptions } from './writePolicyDocument.js';

// The policy document: the whole negative list, grants, CASL roles,
// algorithm bindings, classifications and settings as one value — its
// types, its zod schemas, its validation (alone and against the
// supergraph) and its canonical order. Pure; policies/store reads and
// writes it.
export {
  DEFAULT_POLICY_SETTINGS,
  type AlgorithmFiling,
  type FieldClassificationItem,
  type PolicyDocument,
  type PolicyDocumentEntry,
  type PolicySnapshot,
} from './PolicyDocument.js';
export {
  TokenRevocationList,
  type RevocationProbe,
  type TokenRevocation,
} from './TokenRevocationList.js';
export { sortPolicyDocument } from './sortPolicyDocument.js';

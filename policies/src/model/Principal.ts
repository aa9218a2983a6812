import { type Department } from './Department.js';
import { type Purpose } from './Purpose.js';
import { type SchemaCoordinate } from './SchemaCoordinate.js';

/** The administrative level a principal acts at. */
export type PrincipalLevel = 'CITY' | 'DISTRICT' | 'STREET';

/**
 * Every state of an algorithm filing (算法备案), after the registry's
 * lifecycle: `DRAFT → SUBMITTED → UNDER_REVIEW → FILED | RETURNED`,
 * `FILED → PILOT → IN_SERVICE`, `IN_SERVICE → CHANGE_PENDING → IN_SERVICE`,
 * `IN_SERVICE ↔ SUSPENDED`, any filed state `→ RETIRED`.
 */
export const ALGORITHM_STATES = [
  'DRAFT',
  'SUBMITTED',
  'UNDER_REVIEW',
  'RETURNED',
  'FILED',
  'PILOT',
  'IN_SERVICE',
  'CHANGE_PENDING',
  'SUSPENDED',
  'RETIRED',
] as const;

/** A state of an algorithm filing; see {@link ALGORITHM_STATES}. */
export type AlgorithmState = (typeof ALGORITHM_STATES)[number];

/**
 * The filing behind an algorithm identity, as the registry holds it when the
 * request is decided (a state change takes effect on the next decision).
 */
export interface AlgorithmIdentity {
  /** The filing id, e.g. `ALG-2025-017`. */
  readonly filingId: string;
  /** The data inputs the filing declares: the only coordinates it may read. */
  readonly inputs: readonly SchemaCoordinate[];
  /** The filing's state; only `PILOT` and `IN_SERVICE` may read. */
  readonly state: AlgorithmState;
}

/**
 * Who is asking: the verified claims of the caller's token. Purely data; the
 * edge verifies the token and builds this.
 */
export interface Principal {
  /** The token subject (a user or a service identity). */
  readonly subject: string;
  /** The department the principal acts for (the consumer department). */
  readonly department: Department;
  /** Role names; each maps to CASL rules in {@link PolicySet.roles}. */
  readonly roles: readonly string[];
  /** City-, district- or street-level principal. */
  readonly level: PrincipalLevel;
  /** The administrative code of the principal's region (city, district or street). */
  readonly regionCode: string;
  /** The purposes of use this principal may declare. */
  readonly purposes: readonly Purpose[];
  /** Present for an algorithm (service) identity. */
  readonly algorithm?: AlgorithmIdentity;
}

/**
 * The caller of one request as the gateway authenticates it (the verified
 * token claims plus the purpose the request declared) and signs it into
 * every subgraph call as `ctx.call.principal`: the wire contract between the
 * gateway and the subgraphs, declared once. The kit parses it once where a
 * call arrives (`subgraphs/kit/src/signing/principal.ts`); the gateway
 * derives the policy engine's {@link Principal} from it.
 */
export interface RequestPrincipal {
  /** The token's `sub`: a person, a user or an algorithm (service) identity. */
  readonly subject: string;
  /** The department the caller acts for. */
  readonly department: Department;
  /** Role names (the token's `roles`). */
  readonly roles: readonly string[];
  readonly level: PrincipalLevel;
  /** The region whose rows the caller may see (city, district or street code). */
  readonly regionCode: string;
  /** Every purpose the caller may declare. */
  readonly purposes: readonly Purpose[];
  /** The purpose this request declared (one of {@link RequestPrincipal.purposes}). */
  readonly purpose: Purpose;
  /** An algorithm identity's filing id in the algorithm registry. */
  readonly filingId?: string;
}

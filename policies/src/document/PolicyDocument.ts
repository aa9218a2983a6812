import type {
  AlgorithmState,
  Grant,
  NegativeListEntry,
  PolicySet,
  PolicySettings,
  RoleRule,
  SchemaCoordinate,
} from '../model/index.js';
import type { TokenRevocationList } from './TokenRevocationList.js';

/**
 * What the algorithm registry binds to a filing (算法备案): its state and the
 * data inputs it filed. The gateway builds an algorithm principal's
 * `AlgorithmIdentity` from it when the token names the filing.
 */
export interface AlgorithmFiling {
  /** The filing id, e.g. `ALG-2025-017`. */
  readonly filingId: string;
  /** The filing's state; only `PILOT`, `IN_SERVICE` and `CHANGE_PENDING` may read. */
  readonly state: AlgorithmState;
  /** The schema coordinates the filing declares: the only ones it may read. */
  readonly inputs: readonly SchemaCoordinate[];
}

/** A negative-list entry version as stored: with who wrote and who approved it. */
export interface PolicyDocumentEntry extends NegativeListEntry {
  /** Who wrote this version (a subject). */
  readonly author: string;
  /** Who approved it; never the author. Absent for drafts and versions in review. */
  readonly approver?: string;
}

/** The classification a data officer gave one field. */
export interface FieldClassificationItem {
  /** The field, `Type.field`. */
  readonly coordinate: SchemaCoordinate;
  /** Its classification tags, e.g. `GENERAL`, `PERSONAL` (upper case). */
  readonly tags: readonly string[];
}

/** The city-wide settings a policy starts from when it states none. */
export const DEFAULT_POLICY_SETTINGS: PolicySettings = Object.freeze({
  withholdUnclassified: false,
});

/**
 * A whole policy as plain data: what {@link writePolicyDocument} stores and
 * {@link readPolicyDocument} reads back (seeds, exports, the admin API).
 */
export interface PolicyDocument {
  /** Every version of every negative-list entry, whatever its status. */
  readonly entries: readonly PolicyDocumentEntry[];
  /** Grants issued under `CONDITIONAL` entries. */
  readonly grants: readonly Grant[];
  /** Role name → its CASL rules, in order (a later rule wins in CASL). */
  readonly roles: Readonly<Record<string, readonly RoleRule[]>>;
  /** The algorithm filings' bindings. */
  readonly algorithms: readonly AlgorithmFiling[];
  /**
   * Fields data officers classified (on top of the SDL's `class:` tags).
   * Absent: none.
   */
  readonly classifications?: readonly FieldClassificationItem[];
  /** City-wide switches. Absent: {@link DEFAULT_POLICY_SETTINGS}. */
  readonly settings?: PolicySettings;
}

/**
 * One consistent, immutable read of the policy store: what the gateway
 * decides from until the next snapshot replaces it.
 */
export interface PolicySnapshot {
  /**
   * The policy set for `decide`. `version` is a short content hash: equal
   * content gives an equal version, any change a new one.
   */
  readonly policy: PolicySet;
  /** Filing id → its binding. */
  readonly algorithms: ReadonlyMap<string, AlgorithmFiling>;
  /**
   * The revoked bearer tokens (not part of the policy's content or
   * version): the gateway refuses them on every request.
   */
  readonly revocations: TokenRevocationList;
  /** When this snapshot was read. */
  readonly loadedAt: Date;
}

import { type Grant } from './Grant.js';
import { type NegativeListEntry } from './NegativeListEntry.js';
import { type RoleRule } from './RoleRule.js';

/**
 * Everything a decision depends on besides the principal: one published,
 * versioned snapshot of the negative list, the grants and the role rules.
 * Treat it as immutable: the engine caches what it compiles from a policy
 * set per object, so a new version must be a new object.
 */
export interface PolicySet {
  /** Policy version; part of the decision cache key. */
  readonly version: string;
  /** Negative-list entry versions (only `ACTIVE` ones apply). */
  readonly entries: readonly NegativeListEntry[];
  /** Grants issued under `CONDITIONAL` entries. */
  readonly grants: readonly Grant[];
  /** Role name → its CASL rules. */
  readonly roles: Readonly<Record<string, readonly RoleRule[]>>;
}

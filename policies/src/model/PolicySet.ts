import { type Grant } from './Grant.js';
import { type NegativeListEntry } from './NegativeListEntry.js';
import { type RoleRule } from './RoleRule.js';
import { type SchemaCoordinate } from './SchemaCoordinate.js';

/** City-wide switches of the policy, set by the city data authority. */
export interface PolicySettings {
  /**
   * Withhold every field that has no classification (neither a `class:` tag
   * in its subgraph's SDL nor a stored review) from other departments, with
   * `FIELD_NOT_CLASSIFIED`, until a data officer classifies it. A field's
   * own department still reads it.
   * @defaultValue false
   */
  readonly withholdUnclassified: boolean;
}

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
  /**
   * Classification tags data officers gave fields (e.g. `GENERAL`,
   * `PERSONAL`), on top of the `class:` tags the subgraphs' SDL declares:
   * negative-list entries select by either. Absent: none stored.
   */
  readonly classifications?: Readonly<
    Record<SchemaCoordinate, readonly string[]>
  >;
  /** City-wide switches; absent: every switch at its default. */
  readonly settings?: PolicySettings;
}

import { type MongoQuery } from '@casl/ability';

/**
 * One CASL rule of a role, in CASL's raw-rule shape
 * (https://casl.js.org/v6/en/guide/define-rules): read-only so that policy
 * sets can be frozen. Subjects are either a type name (`Person`) with
 * `fields` = field names (`idNumber`), or an owner department
 * (`publicsecurity`) with `fields` = coordinates (`Person.idNumber`,
 * `Person.*`); `all` and `manage` are CASL's wildcards.
 */
export interface RoleRule {
  /** Action(s), e.g. `read`. */
  readonly action: string | readonly string[];
  /** Subject type(s): a GraphQL type name or an owner department. */
  readonly subject: string | readonly string[];
  /** Field names or patterns; absent = every field. */
  readonly fields?: string | readonly string[];
  /**
   * CASL (MongoDB-style) row conditions. A rule with conditions allows a
   * field for some rows; an inverted rule with conditions does not deny the
   * field as a whole (CASL's semantics for checks on a subject type).
   */
  readonly conditions?: MongoQuery;
  /** True for a `cannot` rule. */
  readonly inverted?: boolean;
  /** Why a `cannot` rule forbids; reported to the caller. */
  readonly reason?: string;
}

import { type MaskKind } from './MaskKind.js';
import { type RowFilter } from './RowFilter.js';
import { type SchemaCoordinate } from './SchemaCoordinate.js';

/**
 * Why a field is withheld; becomes `extensions.code` of the field's error.
 *
 * - `FORBIDDEN_BY_NEGATIVE_LIST`: a `NOT_SHARED` entry, or a `CONDITIONAL`
 *   entry whose conditions exclude the consumer or purpose.
 * - `GRANT_REQUIRED`: a `CONDITIONAL` entry and no active grant.
 * - `FORBIDDEN`: the purpose may not be declared, or no role permits it.
 * - `ALGORITHM_INPUT_NOT_FILED`: an algorithm reading outside its filed
 *   inputs, or while its filing is not in pilot or service.
 * - `FIELD_NOT_CLASSIFIED`: the city withholds fields nobody has classified
 *   yet from other departments (`PolicySettings.withholdUnclassified`).
 */
export type DecisionCode =
  | 'FORBIDDEN_BY_NEGATIVE_LIST'
  | 'FORBIDDEN'
  | 'GRANT_REQUIRED'
  | 'ALGORITHM_INPUT_NOT_FILED'
  | 'FIELD_NOT_CLASSIFIED';

/** What {@link Decision} all variants carry. */
interface DecisionBase {
  /** The coordinate decided. */
  readonly coordinate: SchemaCoordinate;
  /**
   * The rule that decided: for a denial, the rule that denied; otherwise the
   * rule that made the data shareable. One of `purpose-not-declarable`,
   * `own-department`, `no-entry`, `negative-list:<id>@<version>`,
   * `grant:<id>`, `casl:role:<role>`, `casl:no-rule`,
   * `algorithm-filing:<filingId>`, `unclassified-field`.
   */
  readonly rule: string;
  /** A sentence for the caller (and the access log). */
  readonly reason: string;
  /**
   * Every rule consulted, in decision order (sharing, roles, algorithm
   * filing); the last one is the denying rule for a denial. For explain and
   * the access log.
   */
  readonly trail: readonly string[];
}

/** The field may be read as is. */
export interface AllowDecision extends DecisionBase {
  /** Discriminant. */
  readonly effect: 'ALLOW';
  /** Only denials carry a code. */
  readonly code?: undefined;
  /** Only `MASK` decisions carry a mask. */
  readonly mask?: undefined;
  /** Rows the principal may see, from the entry and grant; absent = all. */
  readonly rowFilter?: RowFilter;
}

/** The field may be read, masked. */
export interface MaskDecision extends DecisionBase {
  /** Discriminant. */
  readonly effect: 'MASK';
  /** Only denials carry a code. */
  readonly code?: undefined;
  /** How to mask the value. */
  readonly mask: MaskKind;
  /** Rows the principal may see, from the entry and grant; absent = all. */
  readonly rowFilter?: RowFilter;
}

/** The field is withheld. */
export interface DenyDecision extends DecisionBase {
  /** Discriminant. */
  readonly effect: 'DENY';
  /** The error code the caller gets. */
  readonly code: DecisionCode;
  /** Denials carry no mask. */
  readonly mask?: undefined;
  /** Denials carry no row filter. */
  readonly rowFilter?: undefined;
}

/** The engine's answer for one coordinate, one principal and one purpose. */
export type Decision = AllowDecision | MaskDecision | DenyDecision;

/** `ALLOW`, `MASK` or `DENY`. */
export type DecisionEffect = Decision['effect'];

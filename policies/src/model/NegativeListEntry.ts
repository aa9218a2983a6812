import { type Department } from './Department.js';
import { type MaskKind } from './MaskKind.js';
import { type Purpose } from './Purpose.js';
import { type RowFilter } from './RowFilter.js';
import { type SchemaCoordinate } from './SchemaCoordinate.js';

/**
 * Share class of a negative-list entry: `CONDITIONAL` (有条件共享) needs an
 * active grant; `NOT_SHARED` (不予共享) is never shared. Data that is on no
 * entry is shared unconditionally.
 */
export type ShareClass = 'CONDITIONAL' | 'NOT_SHARED';

/**
 * Lifecycle of an entry version:
 * `DRAFT → IN_REVIEW → ACTIVE → SUPERSEDED | REVOKED`. Only `ACTIVE` entries
 * take part in decisions.
 */
export type EntryStatus =
  'DRAFT' | 'IN_REVIEW' | 'ACTIVE' | 'SUPERSEDED' | 'REVOKED';

/**
 * Which fields an entry covers. A field matches when any listed selector
 * matches it (an empty selector matches nothing): its exact coordinate, its
 * whole type, or any one of its classification tags. Only fields the entry's
 * owner department resolves can match.
 */
export interface EntrySelector {
  /** Exact coordinates, e.g. `Person.idNumber`. */
  readonly coordinates?: readonly SchemaCoordinate[];
  /** Whole types, e.g. `Person` covers every `Person.*` the owner resolves. */
  readonly types?: readonly string[];
  /** Classification tags, e.g. `PERSONAL_SENSITIVE`. */
  readonly tags?: readonly string[];
}

/** Conditions under which a `CONDITIONAL` entry's data may be shared. */
export interface EntryConditions {
  /**
   * Consumer departments that may be granted access at all; absent = any.
   * Others are refused with `FORBIDDEN_BY_NEGATIVE_LIST` (no grant can help).
   */
  readonly consumers?: readonly Department[];
  /** Purposes for which access may be granted at all; absent = any. */
  readonly purposes?: readonly Purpose[];
  /**
   * Scenarios (e.g. `FLOOD_EMERGENCY`) for which sharing is intended. They
   * guide share requests and approvals; a request carries no scenario, so
   * they are not evaluated when deciding.
   */
  readonly scenarios?: readonly string[];
  /** Rows a grantee may see; combined (AND) with the grant's own filter. */
  readonly rowFilter?: RowFilter;
  /**
   * Masks per coordinate, applied under every grant. They take precedence
   * over a grant's mask for the same coordinate: the list sets the floor.
   */
  readonly masks?: Readonly<Record<SchemaCoordinate, MaskKind>>;
}

/**
 * Consumers or purposes an entry does not apply to. An exempted request is
 * decided as if the entry were absent (other entries may still match).
 */
export interface EntryExceptions {
  /** Consumer departments exempt from the entry. */
  readonly consumers?: readonly Department[];
  /** Purposes exempt from the entry. */
  readonly purposes?: readonly Purpose[];
}

/**
 * One immutable version of an entry of the data-sharing negative list
 * (数据共享负面清单). Published by the owner department's data officer;
 * author and approver differ (the store enforces it).
 */
export interface NegativeListEntry {
  /** Stable id across versions, e.g. `NL-12`. */
  readonly id: string;
  /** Version number; versions are immutable. */
  readonly version: number;
  /** The department that owns the data and the entry. */
  readonly ownerDepartment: Department;
  /** The fields the entry covers. */
  readonly selector: EntrySelector;
  /** Conditional or not shared. */
  readonly shareClass: ShareClass;
  /** The law, regulation or document the restriction rests on (required). */
  readonly legalBasis: string;
  /** Why the data is restricted, in words a consumer can read. */
  readonly reason: string;
  /** Conditions for `CONDITIONAL` entries; ignored for `NOT_SHARED`. */
  readonly conditions?: EntryConditions;
  /** Consumers or purposes the entry does not apply to. */
  readonly exceptions?: EntryExceptions;
  /** ISO 8601 instant from which the entry applies (inclusive); absent = always. */
  readonly validFrom?: string;
  /** ISO 8601 instant at which the entry stops applying (exclusive); absent = never. */
  readonly validUntil?: string;
  /**
   * When several entries match a field, the highest priority wins; at equal
   * priority `NOT_SHARED` beats `CONDITIONAL`.
   */
  readonly priority: number;
  /** Lifecycle status; only `ACTIVE` entries apply. */
  readonly status: EntryStatus;
}

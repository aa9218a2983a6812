import { type Department } from './Department.js';
import { type MaskKind } from './MaskKind.js';
import { type Purpose } from './Purpose.js';
import { type RowFilter } from './RowFilter.js';
import { type SchemaCoordinate } from './SchemaCoordinate.js';

/**
 * An approved share request: the owner lets one consumer department read
 * some coordinates of a `CONDITIONAL` entry for one purpose, until it expires.
 */
export interface Grant {
  /** Grant id, e.g. `G-7`. */
  readonly id: string;
  /** The negative-list entry (any version) the grant was requested under. */
  readonly entryId: string;
  /** The department that may read. */
  readonly consumerDepartment: Department;
  /** The purpose it may read for. */
  readonly purpose: Purpose;
  /** The coordinates it covers (exact). */
  readonly coordinates: readonly SchemaCoordinate[];
  /**
   * Masks per coordinate, for coordinates the entry itself does not mask.
   */
  readonly masks?: Readonly<Record<SchemaCoordinate, MaskKind>>;
  /** Rows the consumer may see; combined (AND) with the entry's filter. */
  readonly rowFilter?: RowFilter;
  /** ISO 8601 instant from which the grant applies (inclusive); absent = on approval. */
  readonly validFrom?: string;
  /** ISO 8601 instant at which the grant expires (exclusive). */
  readonly expiresAt: string;
  /** True once the owner revoked it. */
  readonly revoked: boolean;
}

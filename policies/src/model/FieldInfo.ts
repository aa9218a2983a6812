import { type Department } from './Department.js';
import { type SchemaCoordinate } from './SchemaCoordinate.js';

/**
 * What the engine knows about one field of the supergraph: where it comes
 * from and how it is classified. Built at the edge from the composed
 * supergraph (owner = the subgraph that resolves the field) and the
 * classification tags declared in subgraph SDL.
 */
export interface FieldInfo {
  /** `Type.field`, e.g. `Person.idNumber`. */
  readonly coordinate: SchemaCoordinate;
  /** The department whose subgraph resolves the field. */
  readonly ownerDepartment: Department;
  /**
   * Classification tags, e.g. `PERSONAL`, `PERSONAL_SENSITIVE`,
   * `PERSON_LEVEL`; negative-list entries may select fields by tag.
   */
  readonly classification: readonly string[];
}

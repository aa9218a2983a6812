// Internal to decide/: not part of the public API.
import { type SchemaCoordinate } from '../model/SchemaCoordinate.js';

/** The type and field names of `Type.field` (field `''` when there is no dot). */
export function coordinateParts(coordinate: SchemaCoordinate): {
  readonly typeName: string;
  readonly fieldName: string;
} {
  const dot = coordinate.indexOf('.');
  return dot < 0
    ? { typeName: coordinate, fieldName: '' }
    : {
        typeName: coordinate.slice(0, dot),
        fieldName: coordinate.slice(dot + 1),
      };
}

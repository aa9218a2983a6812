import { entrySelects } from '../decide/selectEntry.js';
import { type FieldInfo } from '../model/FieldInfo.js';
import { type NegativeListEntry } from '../model/NegativeListEntry.js';
import { type SchemaCoordinate } from '../model/SchemaCoordinate.js';

/**
 * The coordinates an entry covers among `fields`: those its owner
 * department resolves and its selector selects (by coordinate, type or
 * classification tag), sorted. `fields` carry their whole classification
 * (SDL and stored tags).
 */
export function entryCoverage(
  entry: Pick<NegativeListEntry, 'ownerDepartment' | 'selector'>,
  fields: Iterable<FieldInfo>,
): SchemaCoordinate[] {
  const covered: SchemaCoordinate[] = [];
  for (const field of fields) {
    if (
      field.ownerDepartment === entry.ownerDepartment &&
      entrySelects(entry, field)
    ) {
      covered.push(field.coordinate);
    }
  }
  return [...new Set(covered)].sort();
}

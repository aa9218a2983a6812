// Internal to decide/: not part of the public API.
import { type Department } from '../model/Department.js';
import { type Grant } from '../model/Grant.js';
import { type Purpose } from '../model/Purpose.js';
import { type SchemaCoordinate } from '../model/SchemaCoordinate.js';
import { isInEffect } from './isInEffect.js';

/**
 * The active grant under entry `entryId` that lets `consumer` read
 * `coordinate` for `purpose`: not revoked, within `[validFrom, expiresAt)`.
 * When several qualify, the one with the smallest id (deterministic).
 */
export function findGrant(
  grants: readonly Grant[],
  entryId: string,
  consumer: Department,
  purpose: Purpose,
  coordinate: SchemaCoordinate,
  now: number,
): Grant | undefined {
  let found: Grant | undefined;
  for (const grant of grants) {
    if (
      grant.entryId === entryId &&
      grant.consumerDepartment === consumer &&
      grant.purpose === purpose &&
      !grant.revoked &&
      grant.coordinates.includes(coordinate) &&
      isInEffect(now, grant.validFrom, grant.expiresAt, 'lapses') &&
      (found === undefined || grant.id < found.id)
    ) {
      found = grant;
    }
  }
  return found;
}

// Field classifications (policy.field_classifications) and when each field
// of the supergraph was first seen (policy.field_sightings).
import { isoOrUndefined as iso } from '../../../../subgraphs/kit/src/db/rowValues.js';
import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';
import type { Row } from './sql.js';

/** A stored field review. */
export interface ClassificationRecord {
  readonly coordinate: string;
  readonly tags: readonly string[];
  readonly reviewedBy: string;
  readonly reviewedAt: string;
}

/** Every stored review, by coordinate. */
export async function readClassifications(
  db: Queryable,
): Promise<Map<string, ClassificationRecord>> {
  const { rows } = await db.query<Row>(
    'SELECT coordinate, tags, reviewed_by, reviewed_at FROM policy.field_classifications',
  );
  return new Map(
    rows.map((r) => [
      String(r['coordinate']),
      {
        coordinate: String(r['coordinate']),
        tags: r['tags'] as string[],
        reviewedBy: String(r['reviewed_by']),
        reviewedAt: iso(r['reviewed_at']) ?? '',
      },
    ]),
  );
}

/** Stores a field's tags (replacing any before). */
export async function upsertClassification(
  tx: Queryable,
  review: ClassificationRecord,
): Promise<void> {
  await tx.query(
    `INSERT INTO policy.field_classifications (coordinate, tags, reviewed_by, reviewed_at)
     VALUES ($1, $2::text[], $3, $4::timestamptz)
     ON CONFLICT (coordinate) DO UPDATE
       SET tags = excluded.tags, reviewed_by = excluded.reviewed_by,
           reviewed_at = excluded.reviewed_at`,
    [review.coordinate, [...review.tags], review.reviewedBy, review.reviewedAt],
  );
}

/** When each field was first seen, by coordinate. */
export async function readSightings(
  db: Queryable,
): Promise<Map<string, string>> {
  const { rows } = await db.query<Row>(
    'SELECT coordinate, first_seen_at FROM policy.field_sightings',
  );
  return new Map(
    rows.map((r) => [String(r['coordinate']), iso(r['first_seen_at']) ?? '']),
  );
}

/**
 * Records the fields of the supergraph not seen before (one statement);
 * returns the coordinates that are new.
 */
export async function recordSightings(
  db: Queryable,
  fields: ReadonlyMap<string, readonly string[]>,
): Promise<string[]> {
  const coordinates = [...fields.keys()];
  const { rows } = await db.query<{ coordinate: string }>(
    `INSERT INTO policy.field_sightings (coordinate, owners)
     SELECT c, string_to_array(o, ',')
       FROM unnest($1::text[], $2::text[]) AS s(c, o)
     ON CONFLICT (coordinate) DO NOTHING
     RETURNING coordinate`,
    [coordinates, coordinates.map((c) => (fields.get(c) ?? []).join(','))],
  );
  return rows.map((r) => r.coordinate);
}

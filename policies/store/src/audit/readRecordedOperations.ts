import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';

/** A recorded operation, as impact simulation replays it. */
export interface RecordedOperationRow {
  readonly seq: number;
  readonly subject: string;
  readonly department: string;
  readonly roles: readonly string[];
  readonly purpose: string;
  readonly operationHash: string;
  readonly operationText: string;
  readonly operationName: string | null;
}

/** Which records {@link readRecordedOperations} reads. */
export interface RecordedOperationsOptions {
  /** From this instant (inclusive); absent: the beginning. */
  readonly since?: Date;
  /**
   * At most this many, the newest (returned oldest first); absent: all.
   */
  readonly limit?: number;
}

/**
 * The operations the access log recorded (who, department, roles, purpose,
 * operation text), oldest first, for replaying them under another policy.
 * A mutation is read once, from the record of its attempt.
 */
export async function readRecordedOperations(
  db: Queryable,
  options: RecordedOperationsOptions = {},
): Promise<RecordedOperationRow[]> {
  const { rows } = await db.query<{
    seq: string | number;
    subject: string;
    department: string;
    roles: string[];
    purpose: string;
    operation_hash: string;
    operation_text: string;
    operation_name: string | null;
  }>(
    `SELECT * FROM (
       SELECT seq, subject, department, roles, purpose, operation_hash,
              operation_text, operation_name
         FROM audit.access_records
        WHERE ($1::timestamptz IS NULL OR recorded_at >= $1::timestamptz)
          AND (attempt_id IS NULL OR outcome = 'ATTEMPTED')
        ORDER BY seq DESC
        LIMIT $2
     ) newest ORDER BY seq`,
    [options.since?.toISOString() ?? null, options.limit ?? null],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    subject: r.subject,
    department: r.department,
    roles: r.roles,
    purpose: r.purpose,
    operationHash: r.operation_hash,
    operationText: r.operation_text,
    operationName: r.operation_name,
  }));
}

import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';

/** One line of an access report: who read (or was refused) one field of the owner's data. */
export interface AccessReportRow {
  /** The day, in China Standard Time (YYYY-MM-DD). */
  readonly day: string;
  /** The department that read. */
  readonly consumer: string;
  /** The owner's coordinate read, e.g. `Person.mobile`. */
  readonly coordinate: string;
  /** The purpose of use declared. */
  readonly purpose: string;
  /** Operations that read the field (allowed or masked). */
  readonly reads: number;
  /** Operations whose request for the field was withheld. */
  readonly withheld: number;
  /** Distinct principals behind those operations. */
  readonly subjects: number;
}

/** What {@link accessReport} covers. */
export interface AccessReportOptions {
  /** The department whose data the report is about. */
  readonly owner: string;
  /**
   * The coordinates the owner resolves (from the supergraph), so that
   * withheld requests, which the log records by coordinate, count too.
   */
  readonly ownedCoordinates: readonly string[];
  /** From this instant (inclusive). @defaultValue the beginning */
  readonly since?: Date;
  /** Until this instant (exclusive). @defaultValue now */
  readonly until?: Date;
}

/**
 * Who read the owner's data, from the access log: per day (CST), consumer
 * department, field and purpose, how many operations read it, how many
 * asked for it and were refused, and how many distinct principals did so.
 * The owner's own reads are not cross-department and are not in the log.
 * A mutation counts once, by the record of its attempt (its outcome record
 * names the same fields).
 */
export async function accessReport(
  db: Queryable,
  options: AccessReportOptions,
): Promise<AccessReportRow[]> {
  const since = options.since ?? new Date(0);
  const until = options.until ?? new Date();
  const { rows } = await db.query<{
    day: string;
    consumer: string;
    coordinate: string;
    purpose: string;
    reads: number;
    withheld: number;
    subjects: number;
  }>(
    `WITH touched AS (
       SELECT r.seq, r.subject, r.department, r.purpose, r.recorded_at,
              c.coordinate, true AS was_read
         FROM audit.access_log r,
              jsonb_array_elements_text(COALESCE(r.read -> $1, '[]'::jsonb)) AS c(coordinate)
        WHERE r.recorded_at >= $2::timestamptz AND r.recorded_at < $3::timestamptz
          AND (r.attempt_id IS NULL OR r.outcome = 'ATTEMPTED')
       UNION ALL
       SELECT r.seq, r.subject, r.department, r.purpose, r.recorded_at,
              w ->> 'coordinate', false
         FROM audit.access_log r, jsonb_array_elements(r.withheld) AS w
        WHERE r.recorded_at >= $2::timestamptz AND r.recorded_at < $3::timestamptz
          AND (r.attempt_id IS NULL OR r.outcome = 'ATTEMPTED')
          AND w ->> 'coordinate' = ANY($4::text[])
     )
     SELECT to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day,
            department AS consumer, coordinate, purpose,
            count(DISTINCT seq) FILTER (WHERE was_read)::int AS reads,
            count(DISTINCT seq) FILTER (WHERE NOT was_read)::int AS withheld,
            count(DISTINCT subject)::int AS subjects
       FROM touched
      GROUP BY 1, 2, 3, 4
      ORDER BY 1, 2, 3, 4`,
    [
      options.owner,
      since.toISOString(),
      until.toISOString(),
      [...options.ownedCoordinates],
    ],
  );
  return rows.map((r) => ({
    day: r.day,
    consumer: r.consumer,
    coordinate: r.coordinate,
    purpose: r.purpose,
    reads: Number(r.reads),
    withheld: Number(r.withheld),
    subjects: Number(r.subjects),
  }));
}

const CSV_COLUMNS = [
  'day',
  'consumer',
  'coordinate',
  'purpose',
  'reads',
  'withheld',
  'subjects',
] as const;

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The report as CSV (RFC 4180: header line, CRLF line ends, quoted where needed). */
export function accessReportCsv(rows: readonly AccessReportRow[]): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((row) => CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

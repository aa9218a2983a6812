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
 * The owner's coordinates each operation read or was refused, one row each
 * (`$1` owner, `$2`/`$3` the range, `$4` the owned coordinates).
 */
function touched(): string {
  return `WITH touched AS (
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
`;
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
    `${touched()}     SELECT to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day,
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

/** Totals of one dimension's value over the whole range of a report. */
export interface AccessReportTotal {
  /** The consumer department, coordinate, purpose or day; `''` for the grand total. */
  readonly key: string;
  /** Distinct operations that read the owner's data (in this group). */
  readonly reads: number;
  /** Distinct operations refused some of it. */
  readonly withheld: number;
  /** Distinct principals behind them. */
  readonly subjects: number;
}

/** {@link accessReportTotals}: per consumer, field, purpose and day, and overall. */
export interface AccessReportTotals {
  readonly byConsumer: AccessReportTotal[];
  readonly byCoordinate: AccessReportTotal[];
  readonly byPurpose: AccessReportTotal[];
  readonly byDay: AccessReportTotal[];
  readonly total: AccessReportTotal;
}

/**
 * The report's totals over its whole range, per consumer department, field,
 * purpose and day (China Standard Time), and overall: distinct operations
 * and principals in each group (one statement, grouping sets), so a total
 * is not the sum of the report's rows, where one operation reading two
 * fields counts in both.
 */
export async function accessReportTotals(
  db: Queryable,
  options: AccessReportOptions,
): Promise<AccessReportTotals> {
  const since = options.since ?? new Date(0);
  const until = options.until ?? new Date();
  const { rows } = await db.query<{
    dimension: string;
    key: string | null;
    reads: number;
    withheld: number;
    subjects: number;
  }>(
    `${touched()}
     SELECT CASE WHEN GROUPING(department) = 0 THEN 'consumer'
                 WHEN GROUPING(coordinate) = 0 THEN 'coordinate'
                 WHEN GROUPING(purpose) = 0 THEN 'purpose'
                 WHEN GROUPING(day) = 0 THEN 'day'
                 ELSE 'total' END AS dimension,
            COALESCE(department, coordinate, purpose, day) AS key,
            count(DISTINCT seq) FILTER (WHERE was_read)::int AS reads,
            count(DISTINCT seq) FILTER (WHERE NOT was_read)::int AS withheld,
            count(DISTINCT subject)::int AS subjects
       FROM (SELECT *, to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
               FROM touched) t
      GROUP BY GROUPING SETS ((department), (coordinate), (purpose), (day), ())
      ORDER BY 1, 2`,
    [
      options.owner,
      since.toISOString(),
      until.toISOString(),
      [...options.ownedCoordinates],
    ],
  );
  const of = (dimension: string): AccessReportTotal[] =>
    rows
      .filter((r) => r.dimension === dimension)
      .map((r) => ({
        key: r.key ?? '',
        reads: Number(r.reads),
        withheld: Number(r.withheld),
        subjects: Number(r.subjects),
      }));
  return {
    byConsumer: of('consumer'),
    byCoordinate: of('coordinate'),
    byPurpose: of('purpose'),
    byDay: of('day'),
    total: of('total')[0] ?? { key: '', reads: 0, withheld: 0, subjects: 0 },
  };
}

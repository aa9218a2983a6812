import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';
import type {
  AccessOutcome,
  MaskedCoordinate,
  WithheldCoordinate,
} from './AccessLogRecord.js';

/**
 * Which records {@link listAccessRecords} reads; every criterion given must
 * hold (absent ones do not filter).
 */
export interface AccessRecordFilter {
  /** The principal's subject, exactly. */
  readonly subject?: string;
  /** The principal's department (the consumer), exactly. */
  readonly department?: string;
  /** Records that read data of this owner department. */
  readonly ownerDepartment?: string;
  /** Records that read, were refused or were masked this coordinate, e.g. `Person.mobile`. */
  readonly coordinate?: string;
  /** The purpose of use declared, exactly. */
  readonly purpose?: string;
  readonly outcome?: AccessOutcome;
  /** From this instant (inclusive). */
  readonly since?: Date;
  /** Until this instant (exclusive). */
  readonly until?: Date;
}

/** One record of the access log as an auditor reads it. */
export interface AccessRecordView {
  readonly seq: number;
  /** The writer's chain it is linked into (`legacy` before per-writer chains). */
  readonly chain: string;
  /** ISO 8601, UTC, to the millisecond. */
  readonly recordedAt: string;
  readonly subject: string;
  readonly department: string;
  readonly roles: readonly string[];
  readonly purpose: string;
  readonly operationHash: string;
  readonly operationName: string | null;
  /** The operation document as received (stored once by SHA-256). */
  readonly operationText: string;
  /** Coordinates read, per owner department. */
  readonly read: Readonly<Record<string, readonly string[]>>;
  readonly withheld: readonly WithheldCoordinate[];
  readonly masked: readonly MaskedCoordinate[];
  readonly outcome: AccessOutcome;
  readonly latencyMs: number;
  /** A mutation's attempt (its `ATTEMPTED` and outcome records share it). */
  readonly attemptId: string | null;
  /**
   * The OpenTelemetry trace id (32 hex digits) of the request it logs, when
   * the gateway traced it (migration audit/004); `null` otherwise.
   */
  readonly traceId: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** One page of {@link listAccessRecords}, newest first. */
export interface AccessRecordPage {
  readonly records: AccessRecordView[];
  /** Records matching the filter (all pages). */
  readonly totalCount: number;
  /** More records (older ones) after this page. */
  readonly hasMore: boolean;
}

interface Row {
  seq: string | number;
  chain_id: string;
  recorded_at: Date | string;
  subject: string;
  department: string;
  roles: string[];
  purpose: string;
  operation_hash: string;
  operation_name: string | null;
  operation_text: string | null;
  read: Record<string, string[]>;
  withheld: WithheldCoordinate[];
  masked: MaskedCoordinate[];
  outcome: AccessOutcome;
  latency_ms: number;
  attempt_id: string | null;
  trace_id: string | null;
  prev_hash: string;
  hash: string;
}

const COLUMNS = `seq, chain_id, recorded_at, subject, department, roles,
  purpose, operation_hash, operation_name, operation_text, read, withheld,
  masked, outcome, latency_ms, attempt_id, trace_id, prev_hash, hash`;

function viewOf(r: Row): AccessRecordView {
  return {
    seq: Number(r.seq),
    chain: r.chain_id,
    recordedAt: new Date(r.recorded_at).toISOString(),
    subject: r.subject,
    department: r.department,
    roles: r.roles,
    purpose: r.purpose,
    operationHash: r.operation_hash,
    operationName: r.operation_name,
    operationText: r.operation_text ?? '',
    read: r.read,
    withheld: r.withheld,
    masked: r.masked,
    outcome: r.outcome,
    latencyMs: r.latency_ms,
    attemptId: r.attempt_id,
    traceId: r.trace_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The filter as a SQL condition over `audit.access_records`, with its values. */
function whereOf(filter: AccessRecordFilter): {
  where: string[];
  values: unknown[];
} {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown): string => `$${String(values.push(value))}`;
  if (filter.subject !== undefined) {
    where.push(`subject = ${param(filter.subject)}`);
  }
  if (filter.department !== undefined) {
    where.push(`department = ${param(filter.department)}`);
  }
  if (filter.ownerDepartment !== undefined) {
    where.push(`read ? ${param(filter.ownerDepartment)}`);
  }
  if (filter.coordinate !== undefined) {
    const c = param(filter.coordinate);
    where.push(`(EXISTS (SELECT 1 FROM jsonb_each(read) AS owner(department, coordinates)
                          WHERE owner.coordinates ? ${c})
                OR withheld @> jsonb_build_array(jsonb_build_object('coordinate', ${c}::text))
                OR masked @> jsonb_build_array(jsonb_build_object('coordinate', ${c}::text)))`);
  }
  if (filter.purpose !== undefined) {
    where.push(`purpose = ${param(filter.purpose)}`);
  }
  if (filter.outcome !== undefined) {
    where.push(`outcome = ${param(filter.outcome)}`);
  }
  if (filter.since !== undefined) {
    where.push(
      `recorded_at >= ${param(filter.since.toISOString())}::timestamptz`,
    );
  }
  if (filter.until !== undefined) {
    where.push(
      `recorded_at < ${param(filter.until.toISOString())}::timestamptz`,
    );
  }
  return { where, values };
}

/**
 * Records of the access log that match `filter`, newest first (by `seq`,
 * the order they were stored in), `limit` at a time; `beforeSeq` continues
 * after the last record of the previous page (keyset paging: records
 * appended meanwhile do not shift the pages).
 */
export async function listAccessRecords(
  db: Queryable,
  filter: AccessRecordFilter,
  page: { readonly limit: number; readonly beforeSeq?: number },
): Promise<AccessRecordPage> {
  const { where, values } = whereOf(filter);
  const condition = where.length === 0 ? 'true' : where.join(' AND ');
  const pageValues = [...values];
  const before =
    page.beforeSeq === undefined
      ? 'true'
      : `seq < $${String(pageValues.push(page.beforeSeq))}::bigint`;
  const limitAt = pageValues.push(page.limit + 1);
  const [{ rows }, counted] = await Promise.all([
    db.query<Row>(
      `SELECT ${COLUMNS}
         FROM audit.access_records
        WHERE ${condition} AND ${before}
        ORDER BY seq DESC
        LIMIT $${String(limitAt)}`,
      pageValues,
    ),
    db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM audit.access_records WHERE ${condition}`,
      values,
    ),
  ]);
  return {
    records: rows.slice(0, page.limit).map(viewOf),
    totalCount: Number(counted.rows[0]?.n ?? 0),
    hasMore: rows.length > page.limit,
  };
}

/** One record of the access log by its seq, or `null`. */
export async function readAccessRecord(
  db: Queryable,
  seq: number,
): Promise<AccessRecordView | null> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM audit.access_records WHERE seq = $1::bigint`,
    [seq],
  );
  const row = rows[0];
  return row === undefined ? null : viewOf(row);
}

const CSV_COLUMNS = [
  'seq',
  'recordedAt',
  'subject',
  'department',
  'roles',
  'purpose',
  'outcome',
  'operationName',
  'operationHash',
  'read',
  'withheld',
  'masked',
  'latencyMs',
  'chain',
  'hash',
] as const;

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Records as CSV (RFC 4180: header line, CRLF line ends, quoted where
 * needed): one line each; roles joined by `;`, coordinates read as
 * `owner:Type.field` joined by `;`, withheld as `coordinate=rule`, masked
 * as `coordinate=MASK(rule)`.
 */
export function accessRecordsCsv(records: readonly AccessRecordView[]): string {
  const cells = (r: AccessRecordView): Record<string, string | number> => ({
    seq: r.seq,
    recordedAt: r.recordedAt,
    subject: r.subject,
    department: r.department,
    roles: r.roles.join(';'),
    purpose: r.purpose,
    outcome: r.outcome,
    operationName: r.operationName ?? '',
    operationHash: r.operationHash,
    read: Object.entries(r.read)
      .flatMap(([owner, coords]) => coords.map((c) => `${owner}:${c}`))
      .join(';'),
    withheld: r.withheld.map((w) => `${w.coordinate}=${w.rule}`).join(';'),
    masked: r.masked
      .map((m) => `${m.coordinate}=${m.mask}(${m.rule})`)
      .join(';'),
    latencyMs: r.latencyMs,
    chain: r.chain,
    hash: r.hash,
  });
  const lines = [
    CSV_COLUMNS.join(','),
    ...records.map((r) => {
      const row = cells(r);
      return CSV_COLUMNS.map((c) => csvCell(row[c] ?? '')).join(',');
    }),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

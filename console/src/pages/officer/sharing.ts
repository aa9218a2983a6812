// What the data officer's share-request and grant pages compute from the
// server's answers: overdue against now, how close a grant is to expiry,
// the row filter the approval form builds, the access report's range.

/** A grant expiring within this many days is marked 即将到期. */
export const EXPIRING_SOON_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether a request still PENDING is past the due date the server set. */
export function isOverdue(
  request: { readonly status: string; readonly dueAt: string },
  now: number,
): boolean {
  const due = Date.parse(request.dueAt);
  return request.status === 'PENDING' && !Number.isNaN(due) && due < now;
}

/** Where a grant stands now. */
export type GrantState =
  'REVOKED' | 'EXPIRED' | 'EXPIRING_SOON' | 'NOT_STARTED' | 'IN_FORCE';

/** A grant's state at `now`: revoked, expired, expiring within {@link EXPIRING_SOON_DAYS}, … */
export function grantState(
  grant: {
    readonly revoked: boolean;
    readonly validFrom: string | null;
    readonly expiresAt: string;
  },
  now: number,
): GrantState {
  if (grant.revoked) return 'REVOKED';
  const expires = Date.parse(grant.expiresAt);
  if (expires <= now) return 'EXPIRED';
  if (grant.validFrom !== null && Date.parse(grant.validFrom) > now) {
    return 'NOT_STARTED';
  }
  return expires - now <= EXPIRING_SOON_DAYS * DAY_MS
    ? 'EXPIRING_SOON'
    : 'IN_FORCE';
}

/** A row filter of the approval form: one attribute compared to one value. */
export interface SimpleRowFilter {
  readonly field: string;
  readonly op: 'eq' | 'prefix';
  readonly value: string;
}

/**
 * The JSON the API takes for `decision.rowFilter` (docs/governance.md "Row
 * scope"), or `null` for no filter (field or value left empty).
 */
export function rowFilterJson(filter: SimpleRowFilter): string | null {
  const field = filter.field.trim();
  const value = filter.value.trim();
  if (field === '' || value === '') return null;
  return JSON.stringify({ op: filter.op, field, value });
}

/** The end of a date (YYYY-MM-DD) in China Standard Time, as the API's instant. */
export function endOfDayInChina(date: string): string {
  return `${date}T23:59:59+08:00`;
}

/** The date (YYYY-MM-DD) of an instant in China Standard Time. */
export function dateInChina(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t)
    ? ''
    : new Date(t + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** The last `days` days up to `now`, as the access report's `since` and `until`. */
export function lastDays(
  days: number,
  now: number,
): { since: string; until: string } {
  return {
    since: new Date(now - days * DAY_MS).toISOString(),
    until: new Date(now).toISOString(),
  };
}

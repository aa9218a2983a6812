import DataLoader from 'dataloader';

import { BadUserInputError } from './errors/GraphQLErrorWithCode.js';
import type { Queryable } from './db/Database.js';

/**
 * Page size when a list field is asked without `first`.
 * @defaultValue 20
 */
export const DEFAULT_PAGE_SIZE = 20;
/** The largest `first` any list field accepts; larger asks are refused. */
export const MAX_PAGE_SIZE = 100;

/** A validated page request: skip `offset` rows, return up to `limit`. */
export interface Page {
  offset: number;
  limit: number;
}

/** Arguments every paginated field takes (Relay-style forward paging). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** What every `XConnection` type resolves from. */
export interface Connection<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const CURSOR_PREFIX = 'o:';
const MAX_ROW_NUMBER = 2_147_483_647;

/** The opaque cursor of the row at zero-based `position`. */
export function encodeCursor(position: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${position}`).toString('base64url');
}

/**
 * Validates `first`/`after` into a {@link Page}. A malformed cursor, a
 * non-positive `first` or one above {@link MAX_PAGE_SIZE} is BAD_USER_INPUT.
 */
export function parsePage(args: PageArgs): Page {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw BadUserInputError.invalidArgument(
      'first',
      first,
      `an integer from 1 to ${MAX_PAGE_SIZE}`,
    );
  }
  let offset = 0;
  if (args.after != null) {
    const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
    const position = decoded.startsWith(CURSOR_PREFIX)
      ? Number(decoded.slice(CURSOR_PREFIX.length))
      : Number.NaN;
    // Row numbers are int4 in SQL: a position past them names no row and
    // would overflow the comparison.
    if (
      !Number.isInteger(position) ||
      position < 0 ||
      position + first >= MAX_ROW_NUMBER
    ) {
      throw BadUserInputError.invalidArgument(
        'after',
        args.after,
        'a cursor returned by this field (pageInfo.endCursor)',
      );
    }
    offset = position + 1;
  }
  return { offset, limit: first };
}

/** Builds a connection from the rows of one page and the total count. */
export function toConnection<T>(
  rows: T[],
  page: Page,
  totalCount: number,
): Connection<T> {
  const nodes = rows.slice(0, page.limit);
  return {
    nodes,
    totalCount,
    pageInfo: {
      hasNextPage: page.offset + nodes.length < totalCount,
      endCursor:
        nodes.length > 0 ? encodeCursor(page.offset + nodes.length - 1) : null,
    },
  };
}

/** Describes one paginated SQL listing, filtered and ordered. */
export interface ListingQuery {
  /** `FROM` clause, e.g. `market.violations v`. */
  from: string;
  /** Columns to select, e.g. `v.*`. */
  select: string;
  /** Extra `WHERE` condition (without `WHERE`), may use `$n` placeholders. */
  where?: string;
  /** Values for the placeholders in `where`, numbered from $1. */
  values?: readonly unknown[];
  /** `ORDER BY` list; must make the order total (end with a unique column). */
  orderBy: string;
}

/**
 * Loads one page of a top-level listing with its total count in a single
 * statement (the count is a window over the filtered rows, so paging and
 * counts always agree).
 */
export async function loadPage<Row>(
  db: Queryable,
  query: ListingQuery,
  page: Page,
): Promise<Connection<Row>> {
  const values = [...(query.values ?? [])];
  const limitAt = values.push(page.limit) as number;
  const offsetAt = values.push(page.offset) as number;
  const { rows } = await db.query<Row & { __total: number }>(
    `SELECT ${query.select}, count(*) OVER ()::int AS __total
       FROM ${query.from}
      ${query.where ? `WHERE ${query.where}` : ''}
      ORDER BY ${query.orderBy}
      LIMIT $${limitAt} OFFSET $${offsetAt}`,
    values,
  );
  const total =
    rows[0]?.__total ?? (page.offset > 0 ? await countAll(db, query) : 0);
  return toConnection(rows.map(stripTotal), page, total);
}

async function countAll(db: Queryable, query: ListingQuery): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${query.from} ${query.where ? `WHERE ${query.where}` : ''}`,
    query.values ?? [],
  );
  return rows[0]?.n ?? 0;
}

function stripTotal<Row>(
  row: Row & { __total?: number; __parent?: unknown; __rn?: number },
): Row {
  const { __total: _t, __parent: _p, __rn: _r, ...rest } = row;
  return rest as Row;
}

/** A listing of children grouped by a parent key, for one batch of parents. */
export interface ChildListingQuery extends ListingQuery {
  /** SQL expression giving each row's parent key, e.g. `v.credit_code`. */
  parent: string;
  /** Postgres array type of the parent keys. @defaultValue 'text[]' */
  parentType?: string;
}

/**
 * A DataLoader that pages the children of many parents at once: one SQL
 * statement per batch, whatever the number of parents, each parent getting
 * its own page and total count (window functions partitioned by parent).
 */
export function createPagedChildrenLoader<Row>(
  db: Queryable,
  query: ChildListingQuery,
  page: Page,
): DataLoader<string, Connection<Row>> {
  return new DataLoader<string, Connection<Row>>(async (parents) => {
    const values = [...(query.values ?? [])];
    const parentsAt = values.push([...parents]) as number;
    const fromAt = values.push(page.offset) as number;
    const toAt = values.push(page.offset + page.limit) as number;
    const { rows } = await db.query<
      Row & { __parent: string; __total: number; __rn: number }
    >(
      `SELECT * FROM (
         SELECT ${query.select},
                (${query.parent})::text AS __parent,
                row_number() OVER (PARTITION BY ${query.parent} ORDER BY ${query.orderBy})::int AS __rn,
                count(*) OVER (PARTITION BY ${query.parent})::int AS __total
           FROM ${query.from}
          WHERE ${query.parent} = ANY($${parentsAt}::${query.parentType ?? 'text[]'})
                ${query.where ? `AND (${query.where})` : ''}
       ) paged
       WHERE __rn > $${fromAt} AND __rn <= $${toAt}
       ORDER BY __parent, __rn`,
      values,
    );
    // Totals of parents whose page is past the end come from a second look
    // only when such a page was asked for (after beyond the last row).
    const grouped = new Map<string, { rows: Row[]; total: number }>();
    for (const row of rows) {
      const entry = grouped.get(row.__parent);
      if (entry) entry.rows.push(stripTotal(row));
      else
        grouped.set(row.__parent, {
          rows: [stripTotal(row)],
          total: row.__total,
        });
    }
    const missing = parents.filter((p) => !grouped.has(String(p)));
    if (page.offset > 0 && missing.length > 0) {
      const countValues = [...(query.values ?? [])];
      const at = countValues.push([...missing]) as number;
      const counts = await db.query<{ __parent: string; n: number }>(
        `SELECT (${query.parent})::text AS __parent, count(*)::int AS n
           FROM ${query.from}
          WHERE ${query.parent} = ANY($${at}::${query.parentType ?? 'text[]'})
                ${query.where ? `AND (${query.where})` : ''}
          GROUP BY 1`,
        countValues,
      );
      for (const c of counts.rows)
        grouped.set(c.__parent, { rows: [], total: c.n });
    }
    return parents.map((parent) => {
      const entry = grouped.get(String(parent));
      return toConnection(entry?.rows ?? [], page, entry?.total ?? 0);
    });
  });
}

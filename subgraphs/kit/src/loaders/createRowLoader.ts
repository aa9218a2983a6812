import type DataLoader from 'dataloader';

import type { Queryable } from '../db/Database.js';
import { createBatchLoader } from './createBatchLoader.js';

/** Where {@link createRowLoader} finds its rows, as pieces of one statement. */
export interface RowLoaderQuery<Row> {
  /** Columns to select, e.g. `s.id, s.name`. */
  select: string;
  /** `FROM` clause, e.g. `environment.sections s`. */
  from: string;
  /** The SQL column the keys are matched against, e.g. `s.id`. */
  key: string;
  /** The key of a row, as the loader is asked for it: `(row) => row.id`. */
  keyOf: (row: Row) => string;
  /** Postgres array type the keys are bound as. @defaultValue 'text[]' */
  keyType?: string;
  /**
   * Extra `WHERE` condition (without `WHERE`), e.g. the row scope from
   * `SqlConditions.where`; may use `$n` placeholders numbered from `$1`,
   * the keys being bound after them.
   */
  where?: string | undefined;
  /** Values of the placeholders in `where`, `$1` first. */
  values?: readonly unknown[];
}

/**
 * A {@link createBatchLoader} of rows by key: one statement per batch,
 * `SELECT <select> FROM <from> WHERE <key> = ANY($n::<keyType>) [AND (<where>)]`,
 * answering `null` for a key without a row (or whose row `where` excludes,
 * which looks the same). Create it per request, like every loader.
 */
export function createRowLoader<Row>(
  db: Queryable,
  query: RowLoaderQuery<Row>,
): DataLoader<string, Row | null> {
  const values = query.values ?? [];
  const keysAt = values.length + 1;
  const sql = `SELECT ${query.select} FROM ${query.from} WHERE ${query.key} = ANY($${keysAt}::${query.keyType ?? 'text[]'})${query.where !== undefined ? ` AND (${query.where})` : ''}`;
  return createBatchLoader<string, Row>(
    async (keys) => (await db.query<Row>(sql, [...values, keys])).rows,
    query.keyOf,
  );
}

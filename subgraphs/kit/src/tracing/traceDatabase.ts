import { SpanKind, trace } from '@opentelemetry/api';

import type { Database, Queryable, QueryOptions } from '../db/Database.js';
import { activeTracer, failSpan } from './tracing.js';

/**
 * The operation and first table of a statement (`SELECT market.enterprises`),
 * read from its text: the span name and attributes of a SQL span. Only
 * keywords and identifiers: never a literal of the statement.
 */
export function statementSummary(text: string): {
  operation: string;
  collection: string | undefined;
} {
  const operation = /^\s*([A-Za-z]+)/.exec(text);
  const table =
    /\b(?:FROM|INTO|UPDATE|JOIN)\s+((?:"?[A-Za-z_][\w$]*"?\.)?"?[A-Za-z_][\w$]*"?)/i.exec(
      text,
    );
  return {
    operation: (operation?.[1] ?? 'SQL').toUpperCase(),
    collection: table?.[1]?.replaceAll('"', ''),
  };
}

function traced(q: Queryable, kind: Database['kind']): Queryable['query'] {
  return async function query<Row>(
    text: string,
    values?: readonly unknown[],
    options?: QueryOptions,
  ) {
    const tracer = activeTracer();
    // Statements outside a traced request (background work) make no
    // root spans of their own.
    if (tracer === null || trace.getActiveSpan() === undefined) {
      return q.query<Row>(text, values, options);
    }
    const { operation, collection } = statementSummary(text);
    const span = tracer.startSpan(
      collection === undefined ? operation : `${operation} ${collection}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'postgresql',
          'db.operation.name': operation,
          ...(collection === undefined
            ? {}
            : { 'db.collection.name': collection }),
          'govgraph.db.adapter': kind,
        },
      },
    );
    try {
      const result = await q.query<Row>(text, values, options);
      span.setAttribute('db.response.returned_rows', result.rows.length);
      return result;
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  };
}

/**
 * `db` with a client span per statement (`SELECT market.enterprises`:
 * operation, first table, rows returned; no statement text, no values)
 * whenever tracing is on and the statement runs within a traced request;
 * statements in a transaction are traced alike. With tracing off it costs
 * one comparison per statement.
 */
export function traceDatabase(db: Database): Database {
  const query = traced(db, db.kind);
  return {
    kind: db.kind,
    query,
    exec: (sql) => db.exec(sql),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: traced(tx, db.kind),
          ...(tx.copyRows ? { copyRows: tx.copyRows.bind(tx) } : {}),
        }),
      ),
    // Bulk loads (COPY) pass through untraced: they run outside requests.
    ...(db.copyRows ? { copyRows: db.copyRows.bind(db) } : {}),
    ...(db.listen ? { listen: db.listen.bind(db) } : {}),
    close: () => db.close(),
  };
}

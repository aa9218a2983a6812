/**
 * The one database contract every department, the seeds and the migrations
 * use. Two adapters implement it with the same SQL: `pg` against a real
 * PostgreSQL server and PGlite (embedded PostgreSQL) when no `DATABASE_URL` is
 * set. Nothing above this interface knows which one it talks to.
 */
export interface Queryable {
  /** Runs one parameterised statement ($1, $2, …) and returns its rows. */
  query<Row = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: Row[] }>;
}

export interface Database extends Queryable {
  /** Which adapter this is; for logs and health output only. */
  readonly kind: 'pg' | 'pglite';
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Raised when the database cannot be reached at all (wrong URL, server down). */
export class DatabaseUnavailableError extends Error {
  constructor(
    message: string,
    readonly target: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = this.constructor.name;
  }

  static cannotConnect(
    target: string,
    cause: unknown,
  ): DatabaseUnavailableError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new DatabaseUnavailableError(
      `cannot connect to PostgreSQL at ${target}: ${reason || 'connection refused'}`,
      target,
      { cause },
    );
  }
}

/**
 * Wraps a database so that every statement is counted. Used by tests and
 * benchmarks to prove that the number of SQL statements of a request does not
 * grow with the length of its lists.
 */
export function countStatements(db: Database): {
  db: Database;
  readonly count: number;
  reset(): void;
} {
  let count = 0;
  const counted: Database = {
    kind: db.kind,
    query: (text, values) => {
      count += 1;
      return db.query(text, values);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
  return {
    db: counted,
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
  };
}

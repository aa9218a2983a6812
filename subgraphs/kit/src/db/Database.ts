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
    options?: QueryOptions,
  ): Promise<{ rows: Row[] }>;
  /**
   * Appends rows to `table` with one `COPY table (columns) FROM STDIN`,
   * the rows given in COPY's text format (`copyLine` of copyText.ts, one
   * line each): a bulk load without a statement to parse per batch, about
   * twice as fast as multi-row INSERTs on PGlite. `table` and `columns` are
   * written into the statement as they are: never pass input. Optional so
   * that hand-made test doubles of this contract need not implement it;
   * both adapters do, on the database and in a transaction.
   */
  copyRows?(
    table: string,
    columns: readonly string[],
    lines: string,
  ): Promise<void>;
}

/** Options of {@link Queryable.query}. */
export interface QueryOptions {
  /**
   * Names the statement, for one run often with the same text: the `pg`
   * adapter then prepares it once per connection and reuses it (parsed, and
   * planned once PostgreSQL keeps a generic plan); PGlite ignores it. One
   * name must always come with the same text.
   */
  readonly name?: string;
}

export interface Database extends Queryable {
  /** Which adapter this is; for logs and health output only. */
  readonly kind: 'pg' | 'pglite';
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a PostgreSQL notification channel (`LISTEN`; a plain
   * lower-case identifier). `onNotify` receives each `NOTIFY`'s payload on
   * `channel`, and `null` after the listener reconnected: notifications may
   * have been missed while it was down, so re-read whatever they announce.
   * The `pg` adapter keeps one dedicated connection of its pool per
   * subscription and reconnects it with backoff when it drops; PGlite uses
   * its own `listen`. Rejects when the first `LISTEN` fails. Resolves with
   * the unsubscribe function (idempotent; `close()` also ends every
   * subscription). Optional so that hand-made test doubles of this contract
   * need not implement it; both adapters do.
   */
  listen?(
    channel: string,
    onNotify: (payload: string | null) => void,
    options?: ListenOptions,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Options of {@link Database.listen}. */
export interface ListenOptions {
  /**
   * Called when the subscription's connection goes down (`listening:
   * false`, with the error) and when it is listening again after a
   * reconnect (`listening: true`).
   */
  onStatus?(status: { listening: boolean; error?: unknown }): void;
}

/** Refuses a channel name that `LISTEN` would need quoted. */
export function assertChannelName(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) {
    throw new RangeError(
      `invalid notification channel "${channel}": use a lower-case identifier`,
    );
  }
  return channel;
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
    query: (text, values, options) => {
      count += 1;
      return db.query(text, values, options);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    // Notifications are not statements: the listener is passed through.
    ...(db.listen ? { listen: db.listen.bind(db) } : {}),
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

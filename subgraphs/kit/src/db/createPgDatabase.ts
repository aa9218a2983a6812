import { finished } from 'node:stream/promises';

import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import {
  assertChannelName,
  DatabaseUnavailableError,
  type Database,
  type ListenOptions,
  type Queryable,
  type QueryOptions,
} from './Database.js';

/** A statement as pg takes it: named (prepared per connection) when asked. */
function statement(
  text: string,
  values: readonly unknown[] | undefined,
  options: QueryOptions | undefined,
): pg.QueryConfig {
  return {
    text,
    ...(values ? { values: [...values] } : {}),
    ...(options?.name ? { name: options.name } : {}),
  };
}

/** `COPY table (columns) FROM STDIN` of `lines` on `client` (Queryable.copyRows). */
async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  lines: string,
): Promise<void> {
  const stream = client.query(
    copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`),
  );
  const done = finished(stream);
  stream.end(lines);
  await done;
}

/** Options of {@link createPgDatabase}. */
export interface PgDatabaseConfig {
  /** A `postgres://` connection string. */
  connectionString: string;
  /**
   * Most connections the pool opens.
   * @defaultValue 10
   */
  maxConnections?: number;
  /**
   * Server-side `statement_timeout` of every connection, in milliseconds.
   * @defaultValue {@link DEFAULT_STATEMENT_TIMEOUT_MS}
   */
  statementTimeoutMs?: number;
}

/**
 * Longest a statement may run on the server (60 s): no query of the hub
 * comes near it, and a runaway one is cancelled instead of holding a
 * connection for ever.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;

/**
 * How much longer than the statement timeout the client waits for an
 * answer before it gives up on the connection: a server that stalls, or a
 * path to it that does, cannot cancel its own statement.
 */
const CLIENT_GRACE_MS = 5_000;

/**
 * A {@link Database} over a real PostgreSQL server through `pg`. Connects once
 * up front so that an unreachable server fails at start with one clear error.
 */
export async function createPgDatabase(
  config: PgDatabaseConfig,
): Promise<Database> {
  const statementTimeout =
    config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.maxConnections ?? 10,
    // Bounded waits: for a connection, for the server, for an answer.
    connectionTimeoutMillis: 5_000,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + CLIENT_GRACE_MS,
    idle_in_transaction_session_timeout: statementTimeout,
    // A dead peer (a stalled path, a server gone without a FIN) is found.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw DatabaseUnavailableError.cannotConnect(
      redact(config.connectionString),
      cause,
    );
  }
  const subscriptions = new Set<() => Promise<void>>();
  return {
    kind: 'pg',
    async query<Row>(
      text: string,
      values?: readonly unknown[],
      options?: QueryOptions,
    ) {
      const result = await pool.query(statement(text, values, options));
      return { rows: result.rows as Row[] };
    },
    async copyRows(table, columns, lines) {
      const client = await pool.connect();
      let failed = false;
      try {
        await copyRows(client, table, columns, lines);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        // A COPY that failed part-way may leave the connection mid-protocol.
        client.release(failed);
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      // Between statements the client belongs to no query: a connection
      // the server terminates then (restart, pg_terminate_backend) emits
      // 'error' on it, which without a listener kills the process. The
      // failed client is destroyed, never handed back to the pool.
      let broken: unknown;
      const onError = (error: unknown): void => {
        broken ??= error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<Row>(
            text: string,
            values?: readonly unknown[],
            options?: QueryOptions,
          ) {
            const result = await client.query(statement(text, values, options));
            return { rows: result.rows as Row[] };
          },
          copyRows: (table, columns, lines) =>
            copyRows(client, table, columns, lines),
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (broken === undefined) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken ??= rollbackError;
          });
        }
        throw error;
      } finally {
        client.off('error', onError);
        if (broken !== undefined) {
          // A late error of a destroyed connection must not crash either.
          client.on('error', () => undefined);
          client.release(true);
        } else {
          client.release();
        }
      }
    },
    async listen(channel, onNotify, options) {
      const unlisten = await listenOnPool(
        pool,
        assertChannelName(channel),
        onNotify,
        options ?? {},
      );
      const stop = async (): Promise<void> => {
        subscriptions.delete(stop);
        await unlisten();
      };
      subscriptions.add(stop);
      return stop;
    },
    async close() {
      // A subscription holds a pool client; the pool ends only when every
      // client is back.
      await Promise.all([...subscriptions].map((stop) => stop()));
      await pool.end();
    },
  };
}

/** First delay before reconnecting a dropped listener, in milliseconds. */
const RECONNECT_MIN_MS = 50;
/** Longest delay between reconnection attempts, in milliseconds. */
const RECONNECT_MAX_MS = 1_000;

/**
 * Keeps one pool client for `LISTEN channel`. When its connection drops
 * (server restart, `pg_terminate_backend`) the client is discarded and
 * another one tries again after 50 ms, doubling up to 1 s; once it listens
 * again `onNotify(null)` tells the subscriber it may have missed
 * notifications.
 */
async function listenOnPool(
  pool: pg.Pool,
  channel: string,
  onNotify: (payload: string | null) => void,
  options: ListenOptions,
): Promise<() => Promise<void>> {
  /** The listening connection and how to let go of it (once). */
  let current: { client: pg.PoolClient; discard(): void } | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = RECONNECT_MIN_MS;
  let connecting: Promise<void> | undefined;

  const status = (listening: boolean, error?: unknown): void => {
    try {
      options.onStatus?.(
        error === undefined ? { listening } : { listening, error },
      );
    } catch {
      // A subscriber's callback must not break the listener.
    }
  };

  async function connect(): Promise<void> {
    const client = await pool.connect();
    let released = false;
    const notify = (message: pg.Notification): void => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    };
    const onError = (error: unknown): void => {
      lost(error);
    };
    const onEnd = (): void => {
      lost(new Error('the listener connection ended'));
    };
    /** Destroys the client (never back to the pool: it LISTENed). */
    const discard = (): void => {
      if (released) return;
      released = true;
      client.off('notification', notify);
      client.off('end', onEnd);
      // The pool's own handler is gone once released: errors of a
      // destroyed client must not crash the process.
      client.off('error', onError);
      client.on('error', () => undefined);
      client.release(true);
    };
    const lost = (error: unknown): void => {
      if (released) return;
      const active = current?.client === client;
      discard();
      // Before it listened, the failing LISTEN below reports the error.
      if (!active) return;
      current = undefined;
      if (stopped) return;
      status(false, error);
      reconnect();
    };
    client.on('notification', notify);
    client.on('error', onError);
    client.on('end', onEnd);
    try {
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      discard();
      throw error;
    }
    if (released) throw new Error('the listener connection ended');
    if (stopped) {
      discard();
      return;
    }
    current = { client, discard };
  }

  function reconnect(): void {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      connecting = connect().then(
        () => {
          connecting = undefined;
          if (stopped) return;
          delay = RECONNECT_MIN_MS;
          status(true);
          onNotify(null);
        },
        (error: unknown) => {
          connecting = undefined;
          if (stopped) return;
          status(false, error);
          delay = Math.min(delay * 2, RECONNECT_MAX_MS);
          reconnect();
        },
      );
    }, delay);
    timer.unref();
  }

  await connect();
  status(true);
  return async () => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    await connecting?.catch(() => undefined);
    const listening = current;
    current = undefined;
    listening?.discard();
  };
}

/** The connection string without its password, for messages. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

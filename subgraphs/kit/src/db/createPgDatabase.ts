import pg from 'pg';

import {
  DatabaseUnavailableError,
  type Database,
  type Queryable,
} from './Database.js';

/** Options of {@link createPgDatabase}. */
export interface PgDatabaseConfig {
  /** A `postgres://` connection string. */
  connectionString: string;
  /**
   * Most connections the pool opens.
   * @defaultValue 10
   */
  maxConnections?: number;
}

/**
 * A {@link Database} over a real PostgreSQL server through `pg`. Connects once
 * up front so that an unreachable server fails at start with one clear error.
 */
export async function createPgDatabase(
  config: PgDatabaseConfig,
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
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
  return {
    kind: 'pg',
    async query<Row>(text: string, values?: readonly unknown[]) {
      const result = await pool.query(text, values ? [...values] : undefined);
      return { rows: result.rows as Row[] };
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<Row>(text: string, values?: readonly unknown[]) {
            const result = await client.query(
              text,
              values ? [...values] : undefined,
            );
            return { rows: result.rows as Row[] };
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
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

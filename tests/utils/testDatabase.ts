import { randomUUID } from 'node:crypto';

import pg from 'pg';

import { openDatabase, type Database } from '../../subgraphs/kit/src/index.js';

/**
 * The server tests run against: the local PostgreSQL (trust auth). Override
 * with TEST_DATABASE_URL to point at another server's maintenance database.
 */
export const TEST_SERVER_URL =
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The settings of every database the tests create on the shared server:
 * commits do not wait for the WAL's flush to disk (`synchronous_commit =
 * off`). What a commit makes visible, and when, is unchanged — only a crash
 * of the server could lose the last commits, and a test database does not
 * outlive its test. On this machine a commit otherwise waits about 2 ms
 * for the disk, several times that when the suite's files commit at once.
 * The fault tests, which crash and stall servers, run their own clusters
 * with the server's defaults (privatePostgres.ts).
 */
export const TEST_DATABASE_SETTINGS = (name: string): string =>
  `ALTER DATABASE ${pg.escapeIdentifier(name)} SET synchronous_commit = off`;

/** A fresh database of its own for one test file; drop it when done. */
export interface TestDatabase {
  db: Database;
  url: string;
  name: string;
  drop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Creates database `t_<uuid>` on the test server — empty, or a copy of
 * `options.template` (`CREATE DATABASE … TEMPLATE`, see demoTemplate.ts) —
 * and opens it through `pg`.
 */
export async function createTestDatabase(
  options: { template?: string } = {},
): Promise<TestDatabase> {
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    await admin.query(
      options.template === undefined
        ? `CREATE DATABASE ${name}`
        : `CREATE DATABASE ${name} TEMPLATE ${pg.escapeIdentifier(options.template)}`,
    );
    await admin.query(TEST_DATABASE_SETTINGS(name));
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({
    kind: 'pg',
    connectionString: url.toString(),
  });
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await db.close();
    const c = new pg.Client({ connectionString: TEST_SERVER_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
  return { db, url: url.toString(), name, drop, [Symbol.asyncDispose]: drop };
}

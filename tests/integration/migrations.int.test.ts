import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { departmentSubgraphs } from '../../subgraphs/index.js';
import {
  migrate,
  MigrationError,
  openDatabase,
  readMigrations,
  type Database,
} from '../../subgraphs/kit/src/index.js';
import { createTestDatabase } from '../utils/testDatabase.js';
import { openMemoryPglite } from '../utils/pglite.js';

async function migrateAll(db: Database): Promise<string[]> {
  const applied: string[] = [];
  for (const def of departmentSubgraphs) {
    const names = await migrate(
      db,
      def.schema,
      await readMigrations(def.migrationsDir),
    );
    applied.push(...names.map((n) => `${def.schema}/${n}`));
  }
  return applied;
}

/** Every migration file of every department. */
async function migrationCount(): Promise<number> {
  let n = 0;
  for (const def of departmentSubgraphs) {
    n += (await readMigrations(def.migrationsDir)).length;
  }
  return n;
}

async function tempMigrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'govgraph-migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    await writeFile(join(dir, name), sql);
  }
  return dir;
}

describe('migrations', () => {
  it('apply every department once and nothing on a second run (PostgreSQL)', async () => {
    await using tdb = await createTestDatabase();
    const first = await migrateAll(tdb.db);
    assert.equal(first.length, await migrationCount());
    assert.ok(first.length >= departmentSubgraphs.length);
    assert.deepEqual(await migrateAll(tdb.db), []);
    const { rows } = await tdb.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = ANY($1::text[])`,
      [departmentSubgraphs.map((d) => d.schema)],
    );
    assert.equal(
      rows[0]?.n,
      departmentSubgraphs.length,
      'each department owns its own schema',
    );
  });

  it('apply the same files on embedded PostgreSQL (PGlite)', async () => {
    const db = await openMemoryPglite();
    try {
      assert.equal((await migrateAll(db)).length, await migrationCount());
      assert.deepEqual(await migrateAll(db), []);
    } finally {
      await db.close();
    }
  });

  it('serialise concurrent runs so each migration is applied exactly once', async () => {
    await using tdb = await createTestDatabase();
    const other = await openDatabase({ kind: 'pg', connectionString: tdb.url });
    try {
      const [a, b] = await Promise.all([migrateAll(tdb.db), migrateAll(other)]);
      assert.equal(a.length + b.length, await migrationCount());
    } finally {
      await other.close();
    }
  });

  it('refuse a migration that was edited after it was applied', async () => {
    await using tdb = await createTestDatabase();
    const dir = await tempMigrations({
      '001_init.sql': 'CREATE TABLE t_edit.a (id int);',
    });
    try {
      await migrate(tdb.db, 't_edit', await readMigrations(dir));
      await writeFile(
        join(dir, '001_init.sql'),
        'CREATE TABLE t_edit.a (id bigint);',
      );
      await assert.rejects(
        migrate(tdb.db, 't_edit', await readMigrations(dir)),
        MigrationError,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('leave nothing half-applied when a migration fails', async () => {
    await using tdb = await createTestDatabase();
    const dir = await tempMigrations({
      '001_ok.sql': 'CREATE TABLE t_fail.a (id int);',
      '002_broken.sql':
        'CREATE TABLE t_fail.b (id int); CREATE TABLE t_fail.b (id int);',
    });
    try {
      await assert.rejects(
        migrate(tdb.db, 't_fail', await readMigrations(dir)),
      );
      const { rows } = await tdb.db.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = 't_fail'`,
      );
      assert.deepEqual(rows, []);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('reject migration files that are not named NNN_description.sql', async () => {
    const dir = await tempMigrations({ 'init.sql': 'SELECT 1;' });
    try {
      await assert.rejects(
        readMigrations(dir),
        /must be named NNN_description\.sql/,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

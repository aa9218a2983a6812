import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Database } from './Database.js';

/** One versioned migration file, `NNN_description.sql`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** A migration that was applied before no longer matches its file. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }

  static checksumMismatch(
    schema: string,
    migration: Migration,
  ): MigrationError {
    return new MigrationError(
      `migration ${schema}/${migration.name} was changed after it was applied; add a new migration instead of editing an applied one`,
    );
  }

  static badFileName(dir: string, file: string): MigrationError {
    return new MigrationError(
      `migration file ${join(dir, file)} must be named NNN_description.sql`,
    );
  }
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** Reads the migrations of one folder, ordered by version. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match?.[1]) throw MigrationError.badFileName(dir, file);
    const sql = await readFile(join(dir, file), 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return migrations;
}

/**
 * Applies the migrations of one department's schema that are not applied
 * yet, all in one transaction, and records them in
 * `<schema>.schema_migrations`. Safe to run at every start and from several
 * processes at once: an advisory lock serialises concurrent runs, and a run
 * with nothing new to apply changes nothing.
 *
 * @returns the names of the migrations applied by this call
 */
export async function migrate(
  db: Database,
  schema: string,
  migrations: readonly Migration[],
): Promise<string[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new MigrationError(`invalid schema name "${schema}"`);
  }
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `govgraph:migrate:${schema}`,
    ]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await tx.query<{ version: number; checksum: string }>(
      `SELECT version, checksum FROM ${schema}.schema_migrations`,
    );
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    const done: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw MigrationError.checksumMismatch(schema, migration);
        }
        continue;
      }
      // Statements run one by one on the transaction's connection so that a
      // failing migration leaves nothing half-applied.
      for (const statement of splitStatements(migration.sql)) {
        await tx.query(statement);
      }
      await tx.query(
        `INSERT INTO ${schema}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, migration.checksum],
      );
      done.push(migration.name);
    }
    return done;
  });
}

/**
 * Splits a migration script on the semicolons that end statements. Migration
 * files keep to plain DDL (no `$$` bodies), and comments are dropped first.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .replace(/--[^\n]*/g, '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

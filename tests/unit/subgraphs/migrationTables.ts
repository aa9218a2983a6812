// The tables the departments' migrations leave behind, read from the SQL
// files alone (no database): every CREATE TABLE, ALTER TABLE … ADD / DROP /
// RENAME / ALTER COLUMN and DROP TABLE, applied in file order. A statement
// of another kind is skipped; an ALTER TABLE action this reader does not
// know throws, so that a migration it cannot follow fails the test instead
// of passing it by mistake.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A column as the migrations leave it. */
export interface MigratedColumn {
  readonly name: string;
  /** The declared type, lower case (`text`, `double precision`, `jsonb`). */
  readonly type: string;
  /** NOT NULL, or part of the primary key. */
  readonly notNull: boolean;
  /** Has a DEFAULT, or is a serial or identity column. */
  readonly hasDefault: boolean;
  /** GENERATED ALWAYS AS (…) STORED: computed, never written. */
  readonly generated: boolean;
}

/** `schema.table` → column name → column. */
export type MigratedTables = Map<string, Map<string, MigratedColumn>>;

/**
 * Removes `--` comments and splits on semicolons, both outside quoted
 * strings and identifiers.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < sql.length; i += 1) {
    const ch = sql.charAt(i);
    if (quote !== null) {
      current += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === '-' && sql.charAt(i + 1) === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end - 1;
    } else if (ch === ';') {
      statements.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  statements.push(current);
  return statements
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '');
}

/** Splits on commas outside parentheses and quotes. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: "'" | '"' | null = null;
  let current = '';
  for (const ch of text) {
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '(') {
      depth += 1;
    } else if (ch === ')') {
      depth -= 1;
    } else if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

const unquote = (name: string): string =>
  name.startsWith('"') ? name.slice(1, -1) : name.toLowerCase();

/** `schema.table`, unquoted. */
function tableKey(name: string): string {
  return name.split('.').map(unquote).join('.');
}

/** Words that end a column's type in its definition. */
const AFTER_TYPE =
  /\s+(?:NOT\s+NULL|NULL|PRIMARY\s+KEY|REFERENCES|CHECK|DEFAULT|UNIQUE|GENERATED|CONSTRAINT|COLLATE)\b/i;

/** A column definition: `name type [constraints…]`. */
export function parseColumn(definition: string): MigratedColumn {
  const match = /^("[^"]+"|[A-Za-z_][\w$]*)\s+(.*)$/s.exec(definition);
  if (!match?.[1] || match[2] === undefined) {
    throw new Error(`cannot read the column definition "${definition}"`);
  }
  const rest = match[2];
  const typeEnd = rest.search(AFTER_TYPE);
  const type = (typeEnd === -1 ? rest : rest.slice(0, typeEnd))
    .trim()
    .toLowerCase();
  const generated = /\bGENERATED\s+ALWAYS\s+AS\s*\(/i.test(rest);
  return {
    name: unquote(match[1]),
    type,
    notNull: /\bNOT\s+NULL\b|\bPRIMARY\s+KEY\b/i.test(rest),
    hasDefault:
      /\bDEFAULT\b/i.test(rest) ||
      /^(?:small|big)?serial\b/.test(type) ||
      /\bGENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b/i.test(rest),
    generated,
  };
}

/** Table constraints that are not columns. */
const TABLE_CONSTRAINT =
  /^(?:CONSTRAINT\s|PRIMARY\s+KEY\b|UNIQUE\b|CHECK\b|FOREIGN\s+KEY\b|EXCLUDE\b)/i;

/** The columns named by `PRIMARY KEY (a, b)` in a table constraint. */
function primaryKeyColumns(constraint: string): string[] {
  const match = /PRIMARY\s+KEY\s*\(([^)]*)\)/i.exec(constraint);
  return match?.[1] ? match[1].split(',').map((c) => unquote(c.trim())) : [];
}

function markNotNull(
  columns: Map<string, MigratedColumn>,
  names: readonly string[],
): void {
  for (const name of names) {
    const column = columns.get(name);
    if (column) columns.set(name, { ...column, notNull: true });
  }
}

function createTable(tables: MigratedTables, statement: string): void {
  const match =
    /^CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\S+)\s*\((.*)\)$/is.exec(
      statement,
    );
  if (!match?.[1] || match[2] === undefined) {
    throw new Error(`cannot read "${statement.slice(0, 80)}…"`);
  }
  const columns = new Map<string, MigratedColumn>();
  const keys: string[] = [];
  for (const item of splitTopLevel(match[2])) {
    if (TABLE_CONSTRAINT.test(item)) {
      keys.push(...primaryKeyColumns(item));
      continue;
    }
    const column = parseColumn(item);
    columns.set(column.name, column);
  }
  markNotNull(columns, keys);
  tables.set(tableKey(match[1]), columns);
}

function alterTable(tables: MigratedTables, statement: string): void {
  const match =
    /^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(\S+)\s+(.*)$/is.exec(
      statement,
    );
  if (!match?.[1] || match[2] === undefined) {
    throw new Error(`cannot read "${statement.slice(0, 80)}…"`);
  }
  const table = tableKey(match[1]);
  const columns = tables.get(table);
  if (!columns) throw new Error(`ALTER TABLE of unknown table ${table}`);
  const renameTable = /^RENAME\s+TO\s+(\S+)$/i.exec(match[2]);
  if (renameTable?.[1]) {
    tables.delete(table);
    tables.set(`${table.split('.')[0]}.${unquote(renameTable[1])}`, columns);
    return;
  }
  for (const action of splitTopLevel(match[2])) {
    let m: RegExpExecArray | null;
    if (
      /^ADD\s+(?:CONSTRAINT\s|PRIMARY\s+KEY\b|UNIQUE\b|CHECK\b|FOREIGN\s+KEY\b|EXCLUDE\b)/i.test(
        action,
      )
    ) {
      markNotNull(columns, primaryKeyColumns(action));
    } else if (
      (m = /^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(.*)$/is.exec(
        action,
      )) !== null &&
      m[1] !== undefined
    ) {
      const column = parseColumn(m[1]);
      columns.set(column.name, column);
    } else if (
      (m =
        /^DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?("[^"]+"|[A-Za-z_][\w$]*)(?:\s+(?:CASCADE|RESTRICT))?$/i.exec(
          action,
        )) !== null &&
      m[1] !== undefined &&
      !/^DROP\s+CONSTRAINT\b/i.test(action)
    ) {
      columns.delete(unquote(m[1]));
    } else if (
      (m =
        /^RENAME\s+(?:COLUMN\s+)?("[^"]+"|[A-Za-z_][\w$]*)\s+TO\s+("[^"]+"|[A-Za-z_][\w$]*)$/i.exec(
          action,
        )) !== null &&
      m[1] !== undefined &&
      m[2] !== undefined
    ) {
      const column = columns.get(unquote(m[1]));
      if (!column) throw new Error(`RENAME of unknown column ${m[1]}`);
      columns.delete(column.name);
      columns.set(unquote(m[2]), { ...column, name: unquote(m[2]) });
    } else if (
      (m =
        /^ALTER\s+(?:COLUMN\s+)?("[^"]+"|[A-Za-z_][\w$]*)\s+(SET\s+NOT\s+NULL|DROP\s+NOT\s+NULL|SET\s+DEFAULT\b.*|DROP\s+DEFAULT|(?:SET\s+DATA\s+)?TYPE\s+.*)$/is.exec(
          action,
        )) !== null &&
      m[1] !== undefined &&
      m[2] !== undefined
    ) {
      const name = unquote(m[1]);
      const column = columns.get(name);
      if (!column) throw new Error(`ALTER of unknown column ${name}`);
      const change = m[2].toUpperCase();
      columns.set(name, {
        ...column,
        ...(change.startsWith('SET NOT NULL') ? { notNull: true } : {}),
        ...(change.startsWith('DROP NOT NULL') ? { notNull: false } : {}),
        ...(change.startsWith('SET DEFAULT') ? { hasDefault: true } : {}),
        ...(change.startsWith('DROP DEFAULT') ? { hasDefault: false } : {}),
      });
    } else if (/^DROP\s+CONSTRAINT\b/i.test(action)) {
      // Constraints other than NOT NULL do not change what may be written.
    } else {
      throw new Error(`ALTER TABLE ${table}: cannot read "${action}"`);
    }
  }
}

/** Applies the statements of one migration to `tables`. */
export function applyMigration(tables: MigratedTables, sql: string): void {
  for (const statement of splitStatements(sql)) {
    if (/^CREATE\s+(?:UNLOGGED\s+)?TABLE\b/i.test(statement)) {
      createTable(tables, statement);
    } else if (/^ALTER\s+TABLE\b/i.test(statement)) {
      alterTable(tables, statement);
    } else if (/^DROP\s+TABLE\b/i.test(statement)) {
      const names = statement
        .replace(/^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?/i, '')
        .replace(/\s+(?:CASCADE|RESTRICT)$/i, '');
      for (const name of names.split(',')) tables.delete(tableKey(name.trim()));
    }
  }
}

/**
 * The tables of the departments' migrations
 * (`subgraphs/<schema>/migrations/NNN_*.sql`, in name order per schema).
 */
export function readMigratedTables(
  root: string,
  schemas: readonly string[],
): MigratedTables {
  const tables: MigratedTables = new Map();
  for (const schema of schemas) {
    const dir = join(root, 'subgraphs', schema, 'migrations');
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      applyMigration(tables, readFileSync(join(dir, file), 'utf8'));
    }
  }
  return tables;
}

/** An `alias.column` a column list names. */
export interface ColumnReference {
  readonly alias: string;
  readonly column: string;
}

/**
 * The `alias.column` references of a SELECT list (`a.id`,
 * `e.id::text AS id`, `row_to_json(d) AS delivery` names none).
 */
export function columnReferences(list: string): ColumnReference[] {
  return [
    ...list.matchAll(/(?<![\w."$])([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b/g),
  ].map((m) => ({ alias: m[1] ?? '', column: m[2] ?? '' }));
}

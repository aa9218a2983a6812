// A department's columns are written down three times: in its migrations
// (subgraphs/<department>/migrations/*.sql), in the seeds' writers
// (seeds/src/tables.ts) and in its repositories' SELECT lists (the exported
// `*_COLUMNS` of subgraphs/<department>/src/repository.ts and of the
// emergency department's subgraphs/emergency/src/alerting/repository/).
// This test reads the migrations' SQL (no database) and checks that the
// other two agree with it: every column the seeds write or a repository
// selects exists, and the seeds write every NOT NULL column that has no
// default. The administration's SQL (policies/store/src/administration/)
// is over the policy store's schema, not a department's, and is not
// checked here.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

import {
  DEPARTMENT_SCHEMAS,
  JSON_COLUMNS,
  TABLE_COLUMNS,
  type TableName,
} from '../../../seeds/src/tables.js';
import * as alertLifecycleRepository from '../../../subgraphs/emergency/src/alerting/repository/alertLifecycleRepository.js';
import * as alertRepository from '../../../subgraphs/emergency/src/alerting/repository/alertRepository.js';
import * as deliveryQueueRepository from '../../../subgraphs/emergency/src/alerting/repository/deliveryQueueRepository.js';
import * as deliveryRepository from '../../../subgraphs/emergency/src/alerting/repository/deliveryRepository.js';
import * as evaluationRepository from '../../../subgraphs/emergency/src/alerting/repository/evaluationRepository.js';
import * as inboxRepository from '../../../subgraphs/emergency/src/alerting/repository/inboxRepository.js';
import * as alertingRows from '../../../subgraphs/emergency/src/alerting/repository/rows.js';
import * as webhookRepository from '../../../subgraphs/emergency/src/alerting/repository/webhookRepository.js';
import * as emergency from '../../../subgraphs/emergency/src/repository.js';
import * as enforcement from '../../../subgraphs/enforcement/src/repository.js';
import * as environment from '../../../subgraphs/environment/src/repository.js';
import * as market from '../../../subgraphs/market/src/repository.js';
import * as publicsecurity from '../../../subgraphs/publicsecurity/src/repository.js';
import * as water from '../../../subgraphs/water/src/repository.js';
import {
  applyMigration,
  columnReferences,
  readMigratedTables,
  type MigratedTables,
} from './migrationTables.js';

const root = resolve(import.meta.dirname, '../../..');

/** A repository module, the file it is, and the tables behind its aliases. */
interface Repository {
  readonly file: string;
  readonly exports: Readonly<Record<string, unknown>>;
  readonly aliases: Readonly<Record<string, string>>;
}

const ALERTING = 'subgraphs/emergency/src/alerting/repository';

/** Every repository of a department (the test checks the list is complete). */
const REPOSITORIES: readonly Repository[] = [
  {
    file: 'subgraphs/environment/src/repository.ts',
    exports: environment,
    aliases: environment.COLUMN_ALIASES,
  },
  {
    file: 'subgraphs/water/src/repository.ts',
    exports: water,
    aliases: water.COLUMN_ALIASES,
  },
  {
    file: 'subgraphs/market/src/repository.ts',
    exports: market,
    aliases: market.COLUMN_ALIASES,
  },
  {
    file: 'subgraphs/enforcement/src/repository.ts',
    exports: enforcement,
    aliases: enforcement.COLUMN_ALIASES,
  },
  {
    file: 'subgraphs/emergency/src/repository.ts',
    exports: emergency,
    aliases: emergency.COLUMN_ALIASES,
  },
  {
    file: 'subgraphs/publicsecurity/src/repository.ts',
    exports: publicsecurity,
    aliases: publicsecurity.COLUMN_ALIASES,
  },
  ...(
    [
      ['alertLifecycleRepository.ts', alertLifecycleRepository],
      ['alertRepository.ts', alertRepository],
      ['deliveryQueueRepository.ts', deliveryQueueRepository],
      ['deliveryRepository.ts', deliveryRepository],
      ['evaluationRepository.ts', evaluationRepository],
      ['inboxRepository.ts', inboxRepository],
      ['rows.ts', alertingRows],
      ['webhookRepository.ts', webhookRepository],
    ] as const
  ).map(([name, exports]) => ({
    file: `${ALERTING}/${name}`,
    exports,
    aliases: alertingRows.COLUMN_ALIASES,
  })),
];

/** The files that hold a department's SQL. */
function repositoryFiles(): string[] {
  const departments = readdirSync(join(root, 'subgraphs'))
    .filter((d) => d !== 'governance' && d !== 'kit')
    .map((d) => `subgraphs/${d}/src/repository.ts`)
    .filter((f) => existsSync(join(root, f)));
  const alerting = readdirSync(join(root, ALERTING))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${ALERTING}/${f}`);
  return [...departments, ...alerting].sort();
}

/** The exported `*_COLUMNS` lists of a repository. */
function columnLists(repository: Repository): [string, string][] {
  return Object.entries(repository.exports)
    .filter(([name]) => name.endsWith('_COLUMNS'))
    .map(([name, value]) => {
      assert.equal(
        typeof value,
        'string',
        `${repository.file}: ${name} is a column list, a string`,
      );
      return [name, value as string];
    });
}

const tables: MigratedTables = readMigratedTables(root, DEPARTMENT_SCHEMAS);

function columnsOf(table: string) {
  const columns = tables.get(table);
  assert.ok(columns, `no migration creates ${table}`);
  return columns;
}

describe('reading the migrations', () => {
  it('follows CREATE TABLE, ADD, DROP, RENAME and ALTER COLUMN, and table constraints', () => {
    const t: MigratedTables = new Map();
    applyMigration(
      t,
      `-- a comment; with a semicolon
       CREATE TABLE s.t (
         id bigserial PRIMARY KEY,
         a text NOT NULL,
         b jsonb NOT NULL DEFAULT '[]'::jsonb, -- (a comment)
         c double precision,
         d text GENERATED ALWAYS AS (CASE a WHEN 'x;y' THEN '1' END) STORED,
         e text NOT NULL,
         f int,
         PRIMARY KEY (id, f),
         CHECK ((c IS NULL) = (a IS NULL))
       );
       CREATE INDEX t_idx ON s.t (a);
       ALTER TABLE s.t ADD COLUMN g text NOT NULL DEFAULT 'g',
         ADD COLUMN h text CHECK (h IN ('1', '2')), DROP COLUMN e;
       ALTER TABLE s.t RENAME COLUMN c TO c2;
       ALTER TABLE s.t ALTER COLUMN h SET NOT NULL;`,
    );
    const columns = t.get('s.t');
    assert.ok(columns);
    assert.deepEqual(
      [...columns.values()].map((c) => [
        c.name,
        c.type,
        c.notNull,
        c.hasDefault,
        c.generated,
      ]),
      [
        ['id', 'bigserial', true, true, false],
        ['a', 'text', true, false, false],
        ['b', 'jsonb', true, true, false],
        ['d', 'text', false, false, true],
        ['f', 'int', true, false, false],
        ['g', 'text', true, true, false],
        ['h', 'text', true, false, false],
        ['c2', 'double precision', false, false, false],
      ],
    );
  });

  it('refuses an ALTER TABLE action it cannot follow', () => {
    const t: MigratedTables = new Map();
    applyMigration(t, 'CREATE TABLE s.t (a text);');
    assert.throws(
      () => applyMigration(t, 'ALTER TABLE s.t INHERIT s.u;'),
      /cannot read "INHERIT s\.u"/,
    );
  });

  it('finds every department table the seeds write', () => {
    for (const table of Object.keys(TABLE_COLUMNS)) columnsOf(table);
  });

  it('reads the columns of the emergency migrations after 004 dropped last_error', () => {
    const deliveries = columnsOf('emergency.alert_deliveries');
    assert.equal(deliveries.has('last_error'), false);
    assert.equal(deliveries.get('failure')?.notNull, false);
    assert.equal(
      columnsOf('emergency.risk_categories').get('responsible_department')
        ?.generated,
      true,
    );
  });
});

describe('seeds/src/tables.ts', () => {
  for (const [table, written] of Object.entries(TABLE_COLUMNS) as [
    TableName,
    readonly string[],
  ][]) {
    it(`${table}: writes columns of the migrations, and every required one`, () => {
      const columns = columnsOf(table);
      for (const name of written) {
        const column = columns.get(name);
        assert.ok(column, `${table}.${name} is in no migration`);
        assert.equal(
          column.generated,
          false,
          `${table}.${name} is generated: it cannot be written`,
        );
      }
      const required = [...columns.values()]
        .filter((c) => c.notNull && !c.hasDefault && !c.generated)
        .map((c) => c.name);
      assert.deepEqual(
        required.filter((name) => !written.includes(name)),
        [],
        `${table}: NOT NULL columns without a default the seeds do not write`,
      );
    });
  }

  it('sends as JSON exactly jsonb columns', () => {
    for (const key of JSON_COLUMNS) {
      const table = key.slice(0, key.lastIndexOf('.'));
      const name = key.slice(key.lastIndexOf('.') + 1);
      assert.equal(columnsOf(table).get(name)?.type, 'jsonb', key);
    }
    for (const [table, written] of Object.entries(TABLE_COLUMNS)) {
      for (const name of written) {
        if (columnsOf(table).get(name)?.type !== 'jsonb') continue;
        assert.ok(
          JSON_COLUMNS.has(`${table}.${name}`),
          `${table}.${name} is jsonb but not in JSON_COLUMNS`,
        );
      }
    }
  });
});

describe("the repositories' column lists", () => {
  it("cover every file that holds a department's SQL", () => {
    assert.deepEqual(REPOSITORIES.map((r) => r.file).sort(), repositoryFiles());
  });

  for (const repository of REPOSITORIES) {
    it(`${relative('subgraphs', repository.file)}: exports every column list, and each names columns of its tables`, () => {
      const source = readFileSync(join(root, repository.file), 'utf8');
      assert.doesNotMatch(
        source,
        /^(?:const|let)\s+[A-Z_]+_COLUMNS\b/m,
        'a column list that is not exported is not checked: export it',
      );
      for (const table of Object.values(repository.aliases)) columnsOf(table);
      for (const [name, list] of columnLists(repository)) {
        const references = columnReferences(list);
        assert.ok(references.length > 0, `${name} names no alias.column`);
        for (const { alias, column } of references) {
          const table = repository.aliases[alias];
          assert.ok(
            table,
            `${name}: alias ${alias} is not in the COLUMN_ALIASES of ${repository.file}`,
          );
          assert.ok(
            columnsOf(table).has(column),
            `${name}: ${alias}.${column} — ${table} has no column ${column}`,
          );
        }
      }
    });
  }
});

// Queryable.copyRows (COPY … FROM STDIN, what the seeds bulk-load with) on
// both adapters: every kind of value the seeds write comes back as written,
// in a transaction it rolls back with the rest, and a row the table refuses
// fails the COPY with PostgreSQL's error; the traced database of the
// subgraphs keeps it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { copyLine } from '../../../subgraphs/kit/src/db/copyText.js';
import type { Database } from '../../../subgraphs/kit/src/db/Database.js';
import { traceDatabase } from '../../../subgraphs/kit/src/tracing/traceDatabase.js';
import { openAdapterDatabase } from '../../utils/pglite.js';

const TABLE = `CREATE TABLE copied (
  id int PRIMARY KEY,
  name text NOT NULL,
  note text,
  value double precision,
  flag boolean,
  day date,
  at timestamptz,
  tags text[] NOT NULL DEFAULT '{}',
  doc jsonb
)`;
const COLUMNS = [
  'id',
  'name',
  'note',
  'value',
  'flag',
  'day',
  'at',
  'tags',
  'doc',
] as const;

/** Values COPY's text format escapes or reads specially, and plain ones. */
const ROWS: readonly (readonly unknown[])[] = [
  [
    1,
    '綦江区水利局',
    'tab\there, line\nbreak, return\r, back\\slash, \\N as text',
    3.2,
    true,
    '2025-08-14',
    '2025-08-14T08:00:00+08:00',
    ['三角镇人民政府', 'a "quoted", {braced} \\ name', ''],
    JSON.stringify([{ metric: 'DISSOLVED_OXYGEN', value: 5 }]),
  ],
  [2, 'NULL', null, null, false, null, null, [], null],
  [3, '\\N', 'null', -0.5, null, '2025-09-30', null, ['NULL'], '{"a":null}'],
];

const SELECT = `SELECT id, name, note, value, flag, to_char(day, 'YYYY-MM-DD') AS day,
  extract(epoch FROM at)::int AS at, tags, doc FROM copied ORDER BY id`;

function describeCopy(kind: 'pg' | 'pglite'): void {
  describe(`copyRows on ${kind === 'pg' ? 'PostgreSQL' : 'PGlite'}`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    before(async () => {
      ({ db, drop } = await openAdapterDatabase(kind));
      await db.exec(TABLE);
    });
    after(() => drop());

    it('writes every value back as it was given, in a transaction and outside one', async () => {
      assert.ok(db.copyRows);
      await db.transaction(async (tx) => {
        assert.ok(tx.copyRows);
        await tx.copyRows(
          'copied',
          COLUMNS,
          ROWS.slice(0, 2).map(copyLine).join(''),
        );
      });
      await db.copyRows('copied', COLUMNS, copyLine(ROWS[2]!));
      const { rows } = await db.query(SELECT);
      assert.deepEqual(rows, [
        {
          id: 1,
          name: '綦江区水利局',
          note: 'tab\there, line\nbreak, return\r, back\\slash, \\N as text',
          value: 3.2,
          flag: true,
          day: '2025-08-14',
          at: 1755129600,
          tags: ['三角镇人民政府', 'a "quoted", {braced} \\ name', ''],
          doc: [{ metric: 'DISSOLVED_OXYGEN', value: 5 }],
        },
        {
          id: 2,
          name: 'NULL',
          note: null,
          value: null,
          flag: false,
          day: null,
          at: null,
          tags: [],
          doc: null,
        },
        {
          id: 3,
          name: '\\N',
          note: 'null',
          value: -0.5,
          flag: null,
          day: '2025-09-30',
          at: null,
          tags: ['NULL'],
          doc: { a: null },
        },
      ]);
    });

    it('leaves nothing of a COPY whose transaction rolls back', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.copyRows!('copied', ['id', 'name'], copyLine([10, 'x']));
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM copied WHERE id = 10',
      );
      assert.equal(rows[0]?.n, 0);
    });

    it("fails with PostgreSQL's error on a row the table refuses, and the database goes on", async () => {
      await assert.rejects(
        db.copyRows!('copied', ['id', 'name'], copyLine([11, null])),
        /null value in column "name"/,
      );
      await assert.rejects(
        db.transaction((tx) =>
          tx.copyRows!('copied', ['id', 'name'], copyLine([1, 'duplicate'])),
        ),
        /duplicate key value/,
      );
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM copied',
      );
      assert.equal(rows[0]?.n, 3);
    });

    it('is kept by the traced database the subgraphs query through', async () => {
      const traced = traceDatabase(db);
      await traced.copyRows!('copied', ['id', 'name'], copyLine([20, 'a']));
      await traced.transaction((tx) =>
        tx.copyRows!('copied', ['id', 'name'], copyLine([21, 'b'])),
      );
      const { rows } = await db.query<{ id: number }>(
        'SELECT id FROM copied WHERE id >= 20 ORDER BY id',
      );
      assert.deepEqual(
        rows.map((r) => r.id),
        [20, 21],
      );
    });
  });
}

describeCopy('pg');
describeCopy('pglite');

// The demo city, migrated and seeded once into a template database that
// every test hub clones (`CREATE DATABASE … TEMPLATE`) instead of migrating
// and seeding its own: the template `govgraph_tpl_<hash>` is named by a
// hash of the code and data that prepare it, built by the first process
// that needs it under an advisory lock, and reused while the hash matches.
// It holds what a hub's first start leaves before it serves anything — the
// migrations, the demo world, policy, governance and filings, and the
// search index the indexer builds from them (PostgreSQL backend) — but
// nothing a start does through the gateway: each hub replays scenario 1.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import pg from 'pg';

import {
  prepareHubDatabase,
  type PreparedHubDatabase,
} from '../../hub/startHub.js';
import { openSearchBackend } from '../../search/src/openSearchBackend.js';
import { startSearchIndexer } from '../../search/src/pipeline/startSearchIndexer.js';
import { emergencySearchSource } from '../../subgraphs/emergency/src/search/documents.js';
import { createLogger, openDatabase } from '../../subgraphs/kit/src/index.js';
import {
  createTestDatabase,
  TEST_DATABASE_SETTINGS,
  TEST_SERVER_URL,
  type TestDatabase,
} from './testDatabase.js';

/** What the template holds: the demo world of `npm start`. */
const DEMO_SEED = { seed: 1, scale: 'demo' } as const;
const PREFIX = 'govgraph_tpl_';
/** Where a template is built before it is renamed to its own name. */
const BUILD_PREFIX = 'govgraph_tplbuild_';
/** Templates of other hashes (other checkouts, older code) kept besides this one. */
const KEEP_OTHER_TEMPLATES = 3;
/**
 * The advisory lock (two-key form, on the server's maintenance database)
 * that orders template work: cloning holds it shared, building and dropping
 * templates exclusively, so no template disappears under a clone.
 */
const LOCK = [0x676f76, 0x74706c] as const;

const root = resolve(import.meta.dirname, '../..');
/**
 * What preparing the database runs or reads: every source folder but the
 * tests (migrations, seeds, the supergraph, the code writing policy,
 * governance, filings and the search index), the lockfile (the seeds draw
 * with faker) and this file.
 */
const HASHED = [
  'tests/utils/demoTemplate.ts',
  'catalog',
  'gateway',
  'hub',
  'policies',
  'search',
  'seeds',
  'subgraphs',
  'package-lock.json',
];
const HASHED_FILE = /\.(ts|sql|graphql|json|csv)$/;

function hashedFiles(path: string): string[] {
  if (statSync(path).isFile()) return HASHED_FILE.test(path) ? [path] : [];
  return readdirSync(path)
    .filter((entry) => entry !== 'node_modules' && !entry.startsWith('.'))
    .sort()
    .flatMap((entry) => hashedFiles(join(path, entry)));
}

/** `govgraph_tpl_` and 16 hex digits of the hash of what prepares it. */
export function demoTemplateName(): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(DEMO_SEED));
  for (const file of HASHED.flatMap((p) => hashedFiles(join(root, p)))) {
    hash.update(`\0${relative(root, file)}\0`);
    hash.update(readFileSync(file));
  }
  return `${PREFIX}${hash.digest('hex').slice(0, 16)}`;
}

/** A copy of the demo template, and how the template was prepared. */
export interface DemoDatabase {
  tdb: TestDatabase;
  prepared: PreparedHubDatabase;
}

let templateName: string | undefined;

/**
 * Creates a test database (`t_<uuid>`) as a copy of the seeded demo
 * template, building the template first if no process has yet.
 */
export async function createDemoDatabase(): Promise<DemoDatabase> {
  templateName ??= demoTemplateName();
  const name = templateName;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock_shared($1, $2)', [...LOCK]);
    let prepared = await readTemplate(admin, name);
    if (prepared === null) {
      await admin.query('SELECT pg_advisory_unlock_shared($1, $2)', [...LOCK]);
      await admin.query('SELECT pg_advisory_lock($1, $2)', [...LOCK]);
      try {
        prepared =
          (await readTemplate(admin, name)) ??
          (await buildTemplate(admin, name));
      } finally {
        await admin.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK]);
      }
      await admin.query('SELECT pg_advisory_lock_shared($1, $2)', [...LOCK]);
    }
    const tdb = await createTestDatabase({ template: name });
    return { tdb, prepared };
  } finally {
    await admin.end();
  }
}

/** The preparation recorded on template `name`, `null` if it does not exist. */
async function readTemplate(
  admin: pg.Client,
  name: string,
): Promise<PreparedHubDatabase | null> {
  const { rows } = await admin.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment
       FROM pg_database WHERE datname = $1`,
    [name],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return JSON.parse(row.comment ?? '{}') as PreparedHubDatabase;
}

/**
 * Prepares the demo world in a build database as `startHub` does before
 * anything listens, indexes it for search as the hub's indexer does at its
 * first start, then renames it to `name`, marks it a template nobody
 * connects to and drops the oldest templates of other hashes.
 */
async function buildTemplate(
  admin: pg.Client,
  name: string,
): Promise<PreparedHubDatabase> {
  const build = `${BUILD_PREFIX}${name.slice(PREFIX.length)}`;
  // What a build that did not finish left (already marked a template, if
  // it got that far).
  const { rowCount } = await admin.query(
    'SELECT 1 FROM pg_database WHERE datname = $1',
    [build],
  );
  if (rowCount !== null && rowCount > 0) {
    await admin.query(`ALTER DATABASE ${build} WITH IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE ${build} WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE ${build}`);
  await admin.query(TEST_DATABASE_SETTINGS(build));
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${build}`;
  const db = await openDatabase({
    kind: 'pg',
    connectionString: url.toString(),
  });
  const logger = createLogger('test-template', 'silent');
  let prepared: PreparedHubDatabase;
  try {
    prepared = await prepareHubDatabase({ seed: DEMO_SEED }, { db, logger });
    // The full reindex of the empty collections a first start queues, and
    // the outbox the seeding filled, as the hub's indexer runs them.
    const backend = await openSearchBackend({ db });
    try {
      const indexer = await startSearchIndexer(
        { queue: { kind: 'in-process' }, pollIntervalMs: 3_600_000 },
        { db, backend, sources: [emergencySearchSource(db)], logger },
      );
      await indexer.flush();
      await indexer.close();
    } finally {
      await backend.close();
    }
  } finally {
    await db.close();
  }
  // The build's connections end asynchronously after close(); renaming
  // needs them gone.
  for (let waited = 0; ; waited += 50) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [build],
    );
    if (rows[0]?.n === 0) break;
    if (waited > 10_000) throw new Error(`connections to ${build} linger`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Complete before it takes its name: a template that exists is whole.
  await admin.query(
    `COMMENT ON DATABASE ${build} IS ${pg.escapeLiteral(JSON.stringify(prepared))}`,
  );
  await admin.query(
    `ALTER DATABASE ${build} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
  );
  await admin.query(`ALTER DATABASE ${build} RENAME TO ${name}`);
  const { rows: stale } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database
      WHERE starts_with(datname, $1) AND datname <> $2
      ORDER BY oid DESC OFFSET ${KEEP_OTHER_TEMPLATES}`,
    [PREFIX, name],
  );
  for (const { datname } of stale) {
    await admin.query(`ALTER DATABASE ${datname} WITH IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE IF EXISTS ${datname}`);
  }
  return prepared;
}

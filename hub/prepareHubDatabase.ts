// The hub's database before anything serves it: every migration (the
// subgraphs', the policy store's, the access log's), and on an empty
// database the demo city, its policy and governance, and the algorithm
// registry's filings.
import { migrateAccessLog } from '../policies/store/src/audit/index.js';
import {
  isPolicySeeded,
  migratePolicyStore,
  writePolicyDocument,
} from '../policies/store/src/policy/index.js';
import {
  demoFilings,
  demoPolicy,
  isSeeded,
  seedDatabase,
  writeDemoFilings,
  writeDemoGovernance,
} from '../seeds/src/index.js';
import type { Database } from '../subgraphs/kit/src/db/Database.js';
import type { HubConfig } from './Hub.js';

/** A subgraph whose migrations the hub applies. */
export interface MigratedSubgraph {
  readonly definition: { readonly schema: string };
  migrate(): Promise<readonly string[]>;
}

/** What preparing the database did. */
export interface PreparedDatabase {
  /** Migrations applied, `schema/NNN_name.sql`. */
  readonly applied: readonly string[];
  /** How seeding went: `null` when the database already held data. */
  readonly seeded: { ms: number } | null;
}

/**
 * Applies the migrations of `subgraphs`, the policy store and the access
 * log; with `config.seed`, seeds an empty database, writes the demo policy
 * and governance when there is no policy, and writes the demo filings.
 */
export async function prepareHubDatabase(
  db: Database,
  subgraphs: readonly MigratedSubgraph[],
  config: Pick<HubConfig, 'seed'>,
  supergraphSdl: string,
): Promise<PreparedDatabase> {
  const applied: string[] = [];
  for (const subgraph of subgraphs) {
    const names = await subgraph.migrate();
    applied.push(...names.map((n) => `${subgraph.definition.schema}/${n}`));
  }
  applied.push(
    ...(await migratePolicyStore(db)).map((n) => `policy/${n}`),
    ...(await migrateAccessLog(db)).map((n) => `audit/${n}`),
  );
  let seeded: { ms: number } | null = null;
  if (config.seed !== false && !(await isSeeded(db))) {
    const started = performance.now();
    await seedDatabase(db, config.seed);
    seeded = { ms: Math.round(performance.now() - started) };
  }
  if (config.seed !== false && !(await isPolicySeeded(db))) {
    await writePolicyDocument(db, demoPolicy({ supergraphSdl }), {
      note: { actor: 'npm start', change: 'seed the demo policy' },
    });
    await writeDemoGovernance(db);
  }
  if (config.seed !== false) {
    await writeDemoFilings(db, demoFilings(supergraphSdl), {
      actor: 'npm start',
      change: 'seed the algorithm registry',
    });
  }
  return { applied, seeded };
}

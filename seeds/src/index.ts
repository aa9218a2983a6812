// The public surface of the seeds: generate a deterministic world, write it
// to a database, tell whether a database is seeded. Only the hub and tests
// import it (tests/unit/boundaries.test.ts).
export {
  assertSeedOptions,
  countRows,
  generateWorld,
  SeedOptionsError,
} from './generateWorld.js';
export type { ScenarioFacts, World } from './generateWorld.js';
export { canonicalJson, digestWorld } from './digestWorld.js';
export { migrateDepartments } from './migrateDepartments.js';
export {
  insertRows,
  isSeeded,
  MAX_PARAMETERS,
  PARAMETERS_PER_STATEMENT,
  seedDatabase,
} from './seedDatabase.js';
export type { SeedDatabaseOptions, SeedReport } from './seedDatabase.js';
export { SeedError } from './SeedError.js';
export { SCALE_PROFILES, SCALES } from './SeedOptions.js';
export type { Scale, ScaleProfile, SeedOptions } from './SeedOptions.js';
export {
  DEPARTMENT_SCHEMAS,
  JSON_COLUMNS,
  TABLE_COLUMNS,
  TABLE_ORDER,
} from './tables.js';
export type * from './tables.js';
export { RiskItemStream } from './world/RiskItemStream.js';
export { SCENARIOS } from './world/scenarios.js';
export { REFERENCE_NOW_MS } from './util/time.js';
export { demoPolicy } from './policy/demoPolicy.js';
export type { DemoPolicyOptions } from './policy/demoPolicy.js';
export {
  demoClassifications,
  DEMO_UNCLASSIFIED,
} from './policy/demoClassifications.js';
export {
  DEMO_ENTRY_HISTORY,
  DEMO_SHARE_REQUESTS,
  writeDemoGovernance,
} from './policy/demoGovernance.js';
export {
  demoAlgorithmBindings,
  demoFilings,
  DEMO_FILING_REVIEWERS,
} from './catalog/demoFilings.js';
export type { DemoFiling, DemoFilingEvent } from './catalog/demoFilings.js';
export { writeDemoFilings } from './catalog/writeDemoFilings.js';

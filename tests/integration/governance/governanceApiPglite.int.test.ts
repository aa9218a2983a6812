// The governance API's suite (governanceApiSuite.ts) on embedded PostgreSQL
// (PGlite), as `npm start` runs without DATABASE_URL: the same behaviour as
// on PostgreSQL (governanceApi.int.test.ts), on PGlite's single connection.
import { describeGovernanceApi } from './governanceApiSuite.js';

describeGovernanceApi('pglite');

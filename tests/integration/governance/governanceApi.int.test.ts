// The governance API against the real PostgreSQL: the negative-list entry
// lifecycle with four eyes and optimistic concurrency, validation against
// the supergraph, share requests and grants, classification, settings, the
// version log and access reports — and for every bad input, a coded error
// and nothing changed.
import { describeGovernanceApi } from './governanceApiSuite.js';

describeGovernanceApi('pg');

// The governance property at a third seed (see governance.property.test.ts):
// the three files' 80 cases, split so that each file runs beside the others
// in well under 30 s.
import { describePropertyRun, usePropertyWorld } from './propertyRun.js';

/** A third seed: other operations, callers and orderings again. */
const SEED = 20_261_207;
/** Cases of this seed (with the other two files', 80 in `npm test`). */
const RUNS = 26;

describePropertyRun(usePropertyWorld(), SEED, RUNS);

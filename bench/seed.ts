// `npm run bench:seed [-- --rounds N]`: how long seeding the demo city
// (seed 1) takes on embedded PGlite, which the hub's first `npm start`
// does. Each round migrates a fresh in-memory PGlite and seeds it; prints
// one JSON line per round and one with the median, and exits 1 when the
// median exceeds the budget (30 s, well inside the start-up the README
// promises). Moved here from a timed assertion in the seeding tests: a
// test does not time itself on a shared machine.
import { parseArgs } from 'node:util';

import { migrateDepartments, seedDatabase } from '../seeds/src/index.js';
import { departmentSubgraphs } from '../subgraphs/index.js';
import { openDatabase } from '../subgraphs/kit/src/index.js';

/** Most milliseconds the median round may take. */
const BUDGET_MS = 30_000;

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' } },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write('--rounds must be a positive integer\n');
  process.exit(2);
}

const times: number[] = [];
for (let round = 1; round <= rounds; round += 1) {
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  try {
    await migrateDepartments(db, departmentSubgraphs);
    const started = performance.now();
    const report = await seedDatabase(db, { seed: 1, scale: 'demo' });
    const ms = Math.round(performance.now() - started);
    times.push(ms);
    const rows = Object.values(report.counts).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `${JSON.stringify({ backend: 'pglite', round, rows, ms })}\n`,
    );
  } finally {
    await db.close();
  }
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
process.stdout.write(
  `${JSON.stringify({ backend: 'pglite', rounds, medianMs: median, budgetMs: BUDGET_MS, withinBudget: median <= BUDGET_MS })}\n`,
);
process.exitCode = median <= BUDGET_MS ? 0 : 1;

// `npm run audit:verify`: verifies the hash chains of audit.access_log (one
// per writer) and the checkpoints that bind their heads, in the
// database DATABASE_URL names or, without it, in the embedded database of
// `npm start` (PGLITE_DATA_DIR, default .govgraph/pglite; through the
// hub's loopback port while it runs). Exit 0 when the
// chain is intact, 3 when it was tampered with, 1 when it cannot be checked
// (no database, database unreachable, table missing).
import type { Database } from '../../../../subgraphs/kit/src/db/Database.js';
import { commandLineOrExit } from '../../../../subgraphs/kit/src/cli/commandLine.js';
import { openHubDatabase } from '../../../../subgraphs/kit/src/openHubDatabase.js';
import { verifyAccessLog } from '../audit/verifyAccessLog.js';

const EXIT_TAMPERED = 3;

function fail(message: string): never {
  process.stderr.write(`govgraph audit:verify: ${message}\n`);
  process.exit(1);
}

commandLineOrExit({
  command: 'govgraph audit:verify',
  usage: `usage: npm run audit:verify
  Verifies the hash chain of audit.access_log in DATABASE_URL or npm start's
  embedded database (served by the hub while it runs).
  Exit 0 chain intact, 3 tampering found, 1 cannot be checked.`,
});

let db: Database | undefined;
try {
  db = await openHubDatabase('audit.access_log');
  const result = await verifyAccessLog(db);
  await db.close();
  const out: string[] = [];
  const head = result.head
    ? `; head seq ${String(result.head.seq)} hash ${result.head.hash}`
    : '';
  const last = result.checkpoints.head;
  const checkpoint = last
    ? `; checkpoint ${String(last.id)} hash ${last.hash}`
    : '';
  const chains =
    result.chains.length === 1
      ? 'chain'
      : `${String(result.chains.length)} chains`;
  if (result.ok) {
    out.push(
      `audit.access_log: ${String(result.records)} records, ${chains} intact${head}${checkpoint}`,
    );
  } else {
    const found = result.problems.length + result.problemsOmitted;
    out.push(
      `audit.access_log: ${String(result.records)} records, TAMPERING FOUND: ${String(found)} problem(s)${head}${checkpoint}`,
    );
    for (const problem of result.problems) {
      const where = problem.kind.startsWith('CHECKPOINT_')
        ? 'checkpoint'
        : 'seq';
      out.push(
        `  ${where} ${String(problem.seq)} ${problem.kind}: ${problem.detail}`,
      );
    }
    if (result.problemsOmitted > 0) {
      out.push(`  … and ${String(result.problemsOmitted)} more`);
    }
  }
  if (result.chains.length > 1) {
    for (const c of result.chains) {
      out.push(
        `  chain ${c.chain} (writer ${c.writer ?? 'unregistered'}): ${String(c.records)} records, head seq ${String(c.head?.seq ?? 0)}`,
      );
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
  process.exit(result.ok ? 0 : EXIT_TAMPERED);
} catch (error) {
  await db?.close().catch(() => undefined);
  fail(error instanceof Error ? error.message : String(error));
}

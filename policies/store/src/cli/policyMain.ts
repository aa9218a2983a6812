// `npm run policy -- <command>`: the whole policy as code, and what a draft
// would change for the traffic the access log recorded.
//
//   npm run policy -- export [--version V] [--out file]
//   npm run policy -- import <file> [--dry-run]
//   npm run policy -- diff <a> <b>     (each a file, a logged version or `current`)
//   npm run policy -- versions [--limit N]
//   npm run policy -- simulate <draft-file> [--since ISO] [--limit N] [--json]
//
// Works against DATABASE_URL or, without it, `npm start`'s embedded database
// (PGLITE_DATA_DIR, default .govgraph/pglite; stop the hub first: an
// embedded database has one user at a time). Selectors are checked against
// SUPERGRAPH_PATH (default gateway/supergraph.graphql) or --supergraph.
// Exit codes: 0 done (equal, no impact), 3 diff/simulate found differences,
// 1 invalid input or failure (nothing changed), 2 bad usage. The tests run
// it in their own process through runPolicyCli.
import { realpathSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { Supergraph } from '@apollo/federation-internals';

import { sha256 } from '../../../../subgraphs/kit/src/sha256.js';
import type { Database } from '../../../../subgraphs/kit/src/db/Database.js';
import { readRecordedOperations } from '../audit/index.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../../../subgraphs/kit/src/supergraphPath.js';
import { openHubDatabase } from '../../../../subgraphs/kit/src/openHubDatabase.js';
import { configuredEnv } from '../../../../subgraphs/kit/src/env.js';
import {
  readOwnership,
  simulateImpact,
  withExplain,
  type ImpactReport,
} from '../../../src/index.js';
import {
  listPublications,
  policyVersion,
  readPolicyDocument,
  readPublishedDocument,
  snapshotOf,
  writePolicyDocument,
  type PolicyDocument,
} from '../policy/index.js';
import { diffPolicies, formatPolicyDiff } from '../policy/diffPolicies.js';
import {
  formatPolicyFile,
  normalizePolicyDocument,
  parsePolicyFile,
  PolicyFileError,
} from '../policy/policyFile.js';
import {
  policyNamesOf,
  validateAgainstSupergraph,
} from '../../../src/document/validateAgainstSupergraph.js';

const USAGE = `usage: npm run policy -- export [--version V] [--out file]
       npm run policy -- import <file> [--dry-run]
       npm run policy -- diff <a> <b>          (a, b: a policy file, a logged version or "current")
       npm run policy -- versions [--limit N]  (the version log, newest first)
       npm run policy -- simulate <draft-file> [--since ISO] [--limit N] [--json]
options: --supergraph <path> (default SUPERGRAPH_PATH or gateway/supergraph.graphql)`;

const EXIT_DIFFERENT = 3;

class UsageError extends Error {}

/** Problems with the input: each printed on its own line, exit 1. */
class Problems extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

/** Where a run writes, and the environment it reads. */
export interface PolicyCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

const PROCESS_IO: PolicyCliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // The environment over the configuration file (docs/configuration.md),
  // read when asked: a bad file is one error line of the run, not a crash
  // at import.
  get env() {
    return configuredEnv();
  },
};

/** The run's output and environment (one run at a time). */
let io: PolicyCliIo = PROCESS_IO;

function out(lines: readonly string[]): void {
  if (lines.length > 0) io.stdout(`${lines.join('\n')}\n`);
}

let db: Database | undefined;

/** The database of DATABASE_URL, or npm start's embedded one. */
async function database(): Promise<Database> {
  if (db !== undefined) return db;
  try {
    db = await openHubDatabase('the policy schema', io.env);
  } catch (error) {
    throw new Problems([
      error instanceof Error ? error.message : String(error),
    ]);
  }
  return db;
}

interface Supergraphed {
  schema: ReturnType<typeof withExplain>['schema'];
  localCoordinates: ReadonlySet<string>;
  ownership: ReturnType<typeof readOwnership>;
}

let supergraph: Supergraphed | undefined;

async function readSupergraph(path: string): Promise<Supergraphed> {
  if (supergraph !== undefined) return supergraph;
  let sdl: string;
  try {
    sdl = await readFile(path, 'utf8');
  } catch (error) {
    throw new Problems([
      `cannot read the supergraph ${path}: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  const api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  const { schema, localCoordinates } = withExplain(api);
  supergraph = { schema, localCoordinates, ownership: readOwnership(sdl) };
  return supergraph;
}

/** A policy file, parsed, validated and checked against the supergraph. */
async function readPolicyFileChecked(
  file: string,
  supergraphPath: string,
): Promise<{ document: PolicyDocument; version: string; stated?: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Problems([
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  let parsed;
  try {
    parsed = parsePolicyFile(text, file);
  } catch (error) {
    if (error instanceof PolicyFileError) throw new Problems(error.problems);
    throw error;
  }
  const { ownership } = await readSupergraph(supergraphPath);
  const problems = validateAgainstSupergraph(
    parsed.document,
    policyNamesOf(ownership),
  );
  if (problems.length > 0) {
    throw new Problems(problems.map((p) => `${file}: ${p}`));
  }
  return {
    document: parsed.document,
    version: parsed.version,
    ...(parsed.statedVersion === undefined
      ? {}
      : { stated: parsed.statedVersion }),
  };
}

async function currentPolicy(): Promise<PolicyDocument> {
  return normalizePolicyDocument(await readPolicyDocument(await database()));
}

/** A logged version's document (a hash or a unique prefix of 6+ digits). */
async function publishedPolicy(version: string): Promise<PolicyDocument> {
  const found = await readPublishedDocument(await database(), version);
  if (found === null) {
    throw new Problems([
      `no policy version ${version} in the version log (npm run policy -- versions lists them)`,
    ]);
  }
  return normalizePolicyDocument(found.document);
}

async function exportCommand(
  outFile: string | undefined,
  version: string | undefined,
): Promise<number> {
  const doc =
    version === undefined
      ? await currentPolicy()
      : await publishedPolicy(version);
  const text = formatPolicyFile(doc, new Date());
  if (outFile === undefined) {
    io.stdout(text);
  } else {
    await writeFile(outFile, text);
    io.stderr(
      `exported policy version ${policyVersion(doc)} (${String(doc.entries.length)} entries, ${String(doc.grants.length)} grants, ${String(Object.keys(doc.roles).length)} roles, ${String(doc.algorithms.length)} algorithms) to ${outFile}\n`,
    );
  }
  return 0;
}

async function importCommand(
  file: string,
  dryRun: boolean,
  supergraphPath: string,
): Promise<number> {
  const draft = await readPolicyFileChecked(file, supergraphPath);
  const current = await currentPolicy();
  const changes = diffPolicies(current, draft.document);
  const lines: string[] = [];
  if (draft.stated !== undefined && draft.stated !== draft.version) {
    lines.push(
      `note: ${file} states version ${draft.stated}; its content is version ${draft.version}`,
    );
  }
  lines.push(
    `policy ${policyVersion(current)} (current) → ${draft.version} (${file}): ${String(changes.length)} change(s)`,
    ...formatPolicyDiff(changes),
  );
  if (changes.length === 0) {
    lines.push('nothing to import: the policy is unchanged');
  } else if (dryRun) {
    lines.push('dry run: nothing was written');
  } else {
    const database_ = await database();
    await writePolicyDocument(database_, draft.document, {
      note: {
        actor: io.env['USER'] ?? 'npm run policy',
        change: `import ${file}`,
      },
    });
    const written = policyVersion(await readPolicyDocument(database_));
    lines.push(`imported: the policy is now version ${written}`);
  }
  out(lines);
  return 0;
}

async function sideOf(
  side: string,
  supergraphPath: string,
): Promise<{ name: string; document: PolicyDocument }> {
  if (side === 'current') {
    return { name: 'current', document: await currentPolicy() };
  }
  if (/^[0-9a-f]{6,16}$/.test(side) && !(await isFile(side))) {
    return { name: side, document: await publishedPolicy(side) };
  }
  const { document } = await readPolicyFileChecked(side, supergraphPath);
  return { name: side, document };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function versionsCommand(limitText: string | undefined): Promise<number> {
  const limit = limitText === undefined ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError('--limit must be a whole number from 1 to 1000');
  }
  const { publications, totalCount } = await listPublications(
    await database(),
    { limit, offset: 0 },
  );
  const rows = publications.map((p) => [
    String(p.seq),
    p.version,
    p.publishedAt.slice(0, 19).replace('T', ' '),
    p.actor,
    p.change,
  ]);
  const header = ['seq', 'version', 'published (UTC)', 'actor', 'change'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ');
  out([
    line(header),
    ...rows.map(line),
    `${String(publications.length)} of ${String(totalCount)} version(s)`,
  ]);
  return 0;
}

async function diffCommand(
  a: string,
  b: string,
  supergraphPath: string,
): Promise<number> {
  const left = await sideOf(a, supergraphPath);
  const right = await sideOf(b, supergraphPath);
  const changes = diffPolicies(left.document, right.document);
  out([
    `policy ${policyVersion(left.document)} (${left.name}) → ${policyVersion(right.document)} (${right.name}): ${changes.length === 0 ? 'equal' : `${String(changes.length)} change(s)`}`,
    ...formatPolicyDiff(changes),
  ]);
  return changes.length === 0 ? 0 : EXIT_DIFFERENT;
}

function renderImpact(report: ImpactReport): string[] {
  const name = (n: string | null): string => n ?? '(anonymous)';
  const lines = [
    `impact of policy ${report.draftVersion} (draft) against ${report.currentVersion} (current) on ${String(report.records)} recorded operation(s): ${String(report.simulated)} replayed, ${String(report.skipped)} skipped, ${String(report.changed)} would change`,
  ];
  if (report.departments.length > 0) {
    lines.push('', 'consumer departments:');
    for (const d of report.departments) {
      lines.push(
        `  ${d.department}: ${String(d.records)} operation(s), ${String(d.fieldChanges)} field change(s)`,
      );
    }
    lines.push('', 'fields:');
    for (const f of report.fields) {
      lines.push(
        `  ${f.coordinate}  ${f.before} → ${f.after}  (${f.transition})  ${String(f.records)} operation(s): ${f.departments.join(', ')}`,
      );
    }
    lines.push('', 'operations:');
    for (const o of report.operations) {
      lines.push(
        `  ${name(o.operationName)} ${o.operationHash.slice(0, 12)}…  ${String(o.records)} operation(s): ${o.departments.join(', ')}`,
      );
    }
    lines.push('', 'examples:');
    for (const e of report.examples) {
      lines.push(
        `  seq ${e.seq === undefined ? '?' : String(e.seq)} ${e.subject} (${e.department}, ${e.purpose}) ${name(e.operationName)}: ${e.changes.map((c) => `${c.coordinate} ${c.before} → ${c.after} [${c.ruleAfter}]`).join('; ')}`,
      );
    }
  }
  if (report.skippedExamples.length > 0) {
    lines.push('', 'skipped:');
    for (const s of report.skippedExamples) {
      lines.push(
        `  seq ${s.seq === undefined ? '?' : String(s.seq)} ${name(s.operationName)}: ${s.reason}`,
      );
    }
  }
  lines.push('', 'assumed:', ...report.assumptions.map((a) => `  ${a}`));
  return lines;
}

async function simulateCommand(
  file: string,
  options: { since?: string; limit?: string; json: boolean },
  supergraphPath: string,
): Promise<number> {
  let since: Date | undefined;
  if (options.since !== undefined) {
    since = new Date(options.since);
    if (Number.isNaN(since.getTime())) {
      throw new UsageError(
        `--since must be an ISO 8601 instant, not ${options.since}`,
      );
    }
  }
  const limit = options.limit === undefined ? 10 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 0) {
    throw new UsageError('--limit must be a whole number of examples');
  }
  const draft = await readPolicyFileChecked(file, supergraphPath);
  const { schema, localCoordinates, ownership } =
    await readSupergraph(supergraphPath);
  const now = new Date();
  const current = snapshotOf(await currentPolicy(), now);
  const records = await readRecordedOperations(
    await database(),
    since === undefined ? {} : { since },
  );
  const report = simulateImpact({
    current,
    draft: snapshotOf(draft.document, now),
    hashOperation: sha256,
    records,
    schema,
    localCoordinates,
    ownership,
    now,
    limit,
  });
  if (options.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    out(renderImpact(report));
  }
  return report.changed === 0 ? 0 : EXIT_DIFFERENT;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        version: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        since: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
        supergraph: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message : String(error),
    );
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out([USAGE]);
    return 0;
  }
  const supergraphPath =
    values.supergraph ?? io.env['SUPERGRAPH_PATH'] ?? DEFAULT_SUPERGRAPH_PATH;
  const [command, ...args] = positionals;
  const arity = (n: number, what: string): void => {
    if (args.length !== n)
      throw new UsageError(`${command ?? ''} takes ${what}`);
  };
  switch (command) {
    case 'export':
      arity(0, 'no arguments (and --version V, --out file)');
      return exportCommand(values.out, values.version);
    case 'versions':
      arity(0, 'no arguments (and --limit N)');
      return versionsCommand(values.limit);
    case 'import':
      arity(1, 'one policy file');
      return importCommand(
        args[0] as string,
        values['dry-run'],
        supergraphPath,
      );
    case 'diff':
      arity(2, 'two sides, each a policy file or "current"');
      return diffCommand(args[0] as string, args[1] as string, supergraphPath);
    case 'simulate':
      arity(1, 'one draft policy file');
      return simulateCommand(
        args[0] as string,
        {
          ...(values.since === undefined ? {} : { since: values.since }),
          ...(values.limit === undefined ? {} : { limit: values.limit }),
          json: values.json,
        },
        supergraphPath,
      );
    default:
      throw new UsageError(
        command === undefined ? 'give a command' : `unknown command ${command}`,
      );
  }
}

async function closeDatabase(): Promise<void> {
  await db?.close().catch(() => undefined);
  db = undefined;
}

/**
 * Runs `npm run policy -- <args>`, writing to `runIo` (the process's
 * streams and environment by default), and resolves with the exit code.
 * One run at a time: a run keeps its database and supergraph until it ends.
 */
export async function runPolicyCli(
  args: readonly string[],
  runIo: PolicyCliIo = PROCESS_IO,
): Promise<number> {
  io = runIo;
  supergraph = undefined;
  try {
    return await main([...args]);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      io.stderr(`govgraph policy: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    const lines =
      error instanceof Problems
        ? error.lines
        : [error instanceof Error ? error.message : String(error)];
    for (const line of lines) io.stderr(`govgraph policy: ${line}\n`);
    return 1;
  } finally {
    await closeDatabase();
    io = PROCESS_IO;
  }
}

// Run as `npm run policy`, not when imported.
const script = process.argv[1];
if (
  script !== undefined &&
  pathToFileURL(realpathSync(script)).href === import.meta.url
) {
  process.exit(await runPolicyCli(process.argv.slice(2)));
}

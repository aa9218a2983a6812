// `npm run audit:report`: who read one department's data, from the access
// log — per day, consumer department, field and purpose — as a table or CSV.
//
//   npm run audit:report -- --owner <department> [--since ISO] [--until ISO]
//                           [--csv] [--out file]
//
// Reads the database of DATABASE_URL or, without it, npm start's embedded
// database (through the hub's loopback port while it runs). Exit 0 with the report, 1 when it cannot be
// made, 2 on bad usage.
import { writeFile } from 'node:fs/promises';

import type { Database } from '../../../../subgraphs/kit/src/db/Database.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../../../subgraphs/kit/src/supergraphPath.js';
import { readOwnership } from '../../../src/govern/FieldOwnership.js';
import { readSupergraphFile } from '../../../../subgraphs/kit/src/supergraphFile.js';
import { accessReport, accessReportCsv } from '../audit/accessReport.js';
import { openHubDatabase } from '../../../../subgraphs/kit/src/openHubDatabase.js';
import { configuredEnv } from '../../../../subgraphs/kit/src/env.js';
import { parseCommandLine } from '../../../../subgraphs/kit/src/cli/commandLine.js';

const USAGE =
  'usage: npm run audit:report -- --owner <department> [--since ISO] [--until ISO] [--csv] [--out file]';

class UsageError extends Error {}

function instant(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new UsageError(
      `--${name} must be an ISO 8601 date or instant, got "${value}"`,
    );
  }
  return at;
}

async function main(): Promise<number> {
  const line = parseCommandLine(
    {
      command: 'govgraph audit:report',
      usage: USAGE,
      options: {
        owner: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        csv: { type: 'boolean', default: false },
        out: { type: 'string' },
      },
    },
    process.argv.slice(2),
  );
  if (line.kind === 'help') {
    process.stdout.write(`${line.text}\n`);
    return 0;
  }
  if (line.kind === 'error') throw new UsageError(line.message);
  const { values } = line;
  const owner = values.owner;
  if (!owner) throw new UsageError('--owner is required');
  const since = instant('since', values.since);
  const until = instant('until', values.until);
  const ownership = readOwnership(
    await readSupergraphFile(
      configuredEnv()['SUPERGRAPH_PATH'] ?? DEFAULT_SUPERGRAPH_PATH,
    ),
  );
  const owned = [...ownership]
    .filter(([, o]) => o.owners.length === 1 && o.owners[0] === owner)
    .map(([coordinate]) => coordinate);
  if (owned.length === 0) {
    const owners = [
      ...new Set([...ownership.values()].flatMap((o) => o.owners)),
    ].sort();
    throw new UsageError(
      `no department "${owner}" in the supergraph (it has: ${owners.join(', ')})`,
    );
  }
  let db: Database | undefined;
  try {
    db = await openHubDatabase('audit.access_log');
    const rows = await accessReport(db, {
      owner,
      ownedCoordinates: owned,
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    });
    const text = values.csv ? accessReportCsv(rows) : table(rows);
    if (values.out) await writeFile(values.out, text);
    else process.stdout.write(text);
    return 0;
  } finally {
    await db?.close().catch(() => undefined);
  }
}

function table(rows: Awaited<ReturnType<typeof accessReport>>): string {
  if (rows.length === 0)
    return 'no reads of this department’s data in the period\n';
  const header = [
    'day',
    'consumer',
    'coordinate',
    'purpose',
    'reads',
    'withheld',
    'subjects',
  ];
  const cells = rows.map((r) => [
    r.day,
    r.consumer,
    r.coordinate,
    r.purpose,
    String(r.reads),
    String(r.withheld),
    String(r.subjects),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)),
  );
  const line = (c: string[]): string =>
    c
      .map((v, i) =>
        i >= 4 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return `${[line(header), ...cells.map(line)].join('\n')}\n`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(
        `govgraph audit:report: ${error.message} (${USAGE})\n`,
      );
      process.exit(2);
    }
    process.stderr.write(
      `govgraph audit:report: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);

// `npm run explain`: asks a running gateway why each field of an operation
// is allowed, masked or withheld for a caller ("why is this field null?").
//
//   npm run explain -- --token <jwt> --purpose <purpose> [--gateway URL]
//                      [--operation-name NAME] [--variables JSON] [--json]
//                      <file.graphql | -e '<operation>'>
//
// GOVGRAPH_TOKEN and GATEWAY_URL may stand in for --token and --gateway.
// Exit codes: 0 explained, 1 the gateway refused or failed, 2 bad usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { PURPOSE_HEADER } from './identity/index.js';
import { EXPLAIN_QUERY, type Explanation } from './explainQuery.js';

const USAGE = `usage: npm run explain -- --token <jwt> --purpose <purpose> [--gateway URL]
         [--operation-name NAME] [--variables JSON] [--json] <file.graphql | -e '<operation>'>`;

class UsageError extends Error {}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        token: { type: 'string' },
        purpose: { type: 'string' },
        gateway: { type: 'string' },
        'operation-name': { type: 'string' },
        variables: { type: 'string' },
        json: { type: 'boolean', default: false },
        e: { type: 'string' },
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
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const token = values.token ?? process.env['GOVGRAPH_TOKEN'];
  if (!token) throw new UsageError('--token (or GOVGRAPH_TOKEN) is required');
  if (!values.purpose) throw new UsageError('--purpose is required');
  const gateway =
    values.gateway ??
    process.env['GATEWAY_URL'] ??
    'http://127.0.0.1:4000/graphql';
  let operation: string;
  if (values.e !== undefined) {
    if (positionals.length > 0) {
      throw new UsageError('give either -e or a file, not both');
    }
    operation = values.e;
  } else {
    const [file, ...rest] = positionals;
    if (file === undefined || rest.length > 0) {
      throw new UsageError('give one operation file (or -e)');
    }
    try {
      operation = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  let variables: unknown = null;
  if (values.variables !== undefined) {
    try {
      variables = JSON.parse(values.variables);
    } catch {
      throw new UsageError('--variables must be JSON');
    }
  }

  let response: Response;
  try {
    response = await fetch(gateway, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        [PURPOSE_HEADER]: values.purpose,
      },
      body: JSON.stringify({
        query: EXPLAIN_QUERY,
        variables: {
          operation,
          operationName: values['operation-name'] ?? null,
          variables,
        },
      }),
    });
  } catch (error) {
    process.stderr.write(
      `explain: cannot reach ${gateway}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  const body = (await response.json().catch(() => null)) as {
    data?: { explain?: Explanation } | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  } | null;
  const explanation = body?.data?.explain;
  if (!explanation) {
    const errors = body?.errors ?? [
      { message: `HTTP ${String(response.status)}` },
    ];
    for (const e of errors) {
      process.stderr.write(
        `explain: ${e.extensions?.code ?? 'ERROR'}: ${e.message}\n`,
      );
    }
    return 1;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(explanation, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(render(explanation));
  return 0;
}

/** A plain-text table, one line per field, then the reasons of the withheld and masked ones. */
function render(explanation: Explanation): string {
  const rows = explanation.fields.map((f) => [
    f.coordinate,
    f.effect === 'DENY'
      ? `DENY ${f.code ?? ''}`
      : f.effect === 'MASK'
        ? `MASK ${f.mask ?? ''}`
        : 'ALLOW',
    f.rule,
    f.owners.join(','),
  ]);
  const header = ['coordinate', 'decision', 'rule', 'owner'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const notes = explanation.fields
    .filter((f) => f.effect !== 'ALLOW')
    .map((f) => `  ${f.coordinate}: ${f.reason}`);
  return [
    `operation ${explanation.operationName ?? '(anonymous)'} ${explanation.operationHash.slice(0, 12)}…  purpose ${explanation.purpose}  policy ${explanation.policyVersion}`,
    `cross-department: ${explanation.crossDepartment ? 'yes (logged)' : 'no'}  strict mode: ${explanation.rejectedInStrictMode ? 'would reject' : 'would run'}  row scope: ${JSON.stringify(explanation.rowScope)}`,
    '',
    line(header),
    ...rows.map(line),
    ...(notes.length > 0 ? ['', 'why:', ...notes] : []),
    '',
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`explain: ${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `explain: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);

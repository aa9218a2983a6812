// Writes what the console is typed and built against, derived from the
// repository (never copied by hand), into console/src/graphql/generated/:
//
// - schema.graphql: the gateway's API schema (the composed supergraph's API
//   schema with Query.explain), which gql.tada checks every operation of the
//   console against (`npm run check:console`) and types their results with;
// - departments.json: each subgraph's name (the owners the directory names,
//   e.g. `environment`, `catalog`) with its department's Chinese name, from
//   the subgraph registry;
// - alertTransitions.json: the alert lifecycle's steps (action, from, to,
//   whether a comment is needed), from the emergency subgraph's own model,
//   so the duty officer's page offers the steps the server allows.
//
// Run by `npm run check:console` and by scripts/buildWeb.ts before a build.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { Supergraph } from '@apollo/federation-internals';
import { printSchema } from 'graphql';

import { withExplain } from '../../policies/src/govern/explainSchema.js';
import { catalogSubgraphSchema } from '../../catalog/src/catalogSubgraph.js';
import { governanceSubgraphSchema } from '../../subgraphs/governance/src/governanceSubgraph.js';
import { ALERT_TRANSITIONS } from '../../subgraphs/emergency/src/alerting/alertLifecycle.js';
import { departmentSubgraphs } from '../../subgraphs/index.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../subgraphs/kit/src/supergraphFile.js';

const OUT = fileURLToPath(
  new URL('../src/graphql/generated/', import.meta.url),
);

/** The gateway's API schema as SDL, from the committed supergraph. */
export function apiSchemaSdl(
  supergraphSdl: string = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8'),
): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return `${printSchema(withExplain(api).schema)}\n`;
}

/** Subgraph name → its department's Chinese name. */
export function departmentNames(): Record<string, string> {
  return Object.fromEntries(
    [
      ...departmentSubgraphs,
      governanceSubgraphSchema,
      catalogSubgraphSchema,
    ].map((s) => [s.name, s.department]),
  );
}

/** Writes the generated files; returns their paths. */
export function generate(): string[] {
  mkdirSync(OUT, { recursive: true });
  const files: [string, string][] = [
    ['schema.graphql', apiSchemaSdl()],
    ['departments.json', `${JSON.stringify(departmentNames(), null, 2)}\n`],
    [
      'alertTransitions.json',
      `${JSON.stringify(ALERT_TRANSITIONS, null, 2)}\n`,
    ],
  ];
  return files.map(([name, text]) => {
    const path = `${OUT}${name}`;
    writeFileSync(path, text);
    return path;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  generate();
}

// The typed `graphql()` of the console: every operation is parsed and typed
// against the gateway's API schema (generated/schema.graphql, written by
// console/scripts/generate.ts from the composed supergraph), and
// `npm run check:console` (gql.tada check) fails on one that does not match.
import { initGraphQLTada } from 'gql.tada';

import type { introspection } from './generated/graphql-env.d.ts';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { ExplainJSON: unknown };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';

/** The values of one enum of the API schema, e.g. `EnumOf<'AlgorithmState'>`. */
export type EnumOf<Name extends keyof introspection['types']> =
  introspection['types'][Name] extends { enumValues: infer Values }
    ? Values
    : never;
export { readFragment } from 'gql.tada';

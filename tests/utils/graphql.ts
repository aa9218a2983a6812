import { createLogger } from '../../subgraphs/kit/src/index.js';
import {
  createSubgraph,
  type Database,
  type ServedGraphQL,
  type SubgraphDefinition,
} from '../../subgraphs/kit/src/index.js';

/** The parsed answer of a GraphQL HTTP request. */
export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  /** The raw body text, for "this value appears nowhere" assertions. */
  text: string;
  data?: TData | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

/** POSTs a GraphQL request and parses the response. */
export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let parsed: Partial<GraphQLResponse<TData>> = {};
  try {
    parsed = JSON.parse(text) as Partial<GraphQLResponse<TData>>;
  } catch {
    // Non-JSON bodies are kept in `text` for the assertion to show.
  }
  return { status: res.status, text, ...parsed };
}

/** Migrates and starts one department's subgraph on a free port. */
export async function startSubgraph(
  definition: SubgraphDefinition,
  db: Database,
): Promise<ServedGraphQL & AsyncDisposable> {
  const subgraph = createSubgraph(definition, {
    db,
    logger: createLogger(definition.name, 'silent'),
  });
  await subgraph.migrate();
  const served = await subgraph.listen({ port: 0 });
  return { ...served, [Symbol.asyncDispose]: () => served.close() };
}

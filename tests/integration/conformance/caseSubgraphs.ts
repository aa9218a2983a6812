// The subgraphs of a conformance case, served in-process from its SDL and
// its data file (resolvers as data): each one twice, once checking the
// gateway's call signatures (for govgraph's gateway) and once without (for
// plain @apollo/gateway, which sends unsigned calls), over one Apollo
// Server.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  GraphQLError,
  GraphQLObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLFieldResolver,
} from 'graphql';

import {
  CallVerifier,
  serveGraphQL,
  type ServedGraphQL,
} from '../../../subgraphs/kit/src/index.js';
import { testSigningKey } from '../../utils/graphql.js';

/**
 * What one subgraph answers, as JSON:
 *
 * - `Query`: root field → its value; `{ "$byArgument": "id", "values":
 *   { "<id>": value } }` answers by the value of one argument;
 * - `entities`: type → rows; a reference resolves to the row whose fields
 *   equal the reference's (`__typename` aside), merged over the reference
 *   (so `@requires` fields reach the resolver), or `null`;
 * - anywhere, `{ "$template": "text {field} {$argument}" }` is the text with
 *   the parent's fields and the field's arguments filled in, and
 *   `{ "$error": "message" }` raises that error.
 *
 * Values of abstract types carry their `__typename`.
 */
export interface SubgraphData {
  readonly Query?: Readonly<Record<string, unknown>>;
  readonly entities?: Readonly<Record<string, readonly Row[]>>;
}

type Row = Readonly<Record<string, unknown>>;

/** One subgraph of a case, listening twice. */
export interface CaseSubgraph {
  readonly name: string;
  /** Checks signatures: where govgraph's gateway calls. */
  readonly signedUrl: string;
  /** Checks nothing: where plain @apollo/gateway calls. */
  readonly plainUrl: string;
  close(): Promise<void>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A data value as the field answers it: templates filled in, errors raised. */
function materialize(
  value: unknown,
  parent: Row,
  args: Readonly<Record<string, unknown>>,
): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => materialize(v, parent, args));
  }
  if (!isRecord(value)) return value;
  const error = value['$error'];
  if (typeof error === 'string') {
    throw new GraphQLError(error, { extensions: { code: 'CASE_ERROR' } });
  }
  const template = value['$template'];
  if (typeof template === 'string') {
    return template.replace(/\{(\$?)(\w+)\}/g, (_, arg: string, name: string) =>
      String((arg === '$' ? args[name] : parent[name]) ?? 'null'),
    );
  }
  const byArgument = value['$byArgument'];
  if (typeof byArgument === 'string' && isRecord(value['values'])) {
    const key = String(args[byArgument]);
    return materialize(value['values'][key] ?? null, parent, args);
  }
  return value;
}

const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (
  source,
  args: Record<string, unknown>,
  _context,
  info,
) => {
  const parent = isRecord(source) ? source : {};
  return materialize(parent[info.fieldName], parent, args);
};

function entityTypes(typeDefs: DocumentNode): string[] {
  const types: string[] = [];
  for (const def of typeDefs.definitions) {
    if (
      (def.kind === Kind.OBJECT_TYPE_DEFINITION ||
        def.kind === Kind.INTERFACE_TYPE_DEFINITION ||
        def.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      def.directives?.some((d) => d.name.value === 'key')
    ) {
      types.push(def.name.value);
    }
  }
  return types;
}

/** The resolvers of a subgraph whose answers are `data`. */
function resolversOf(
  typeDefs: DocumentNode,
  data: SubgraphData,
): Record<string, Record<string, unknown>> {
  const resolvers: Record<string, Record<string, unknown>> = {};
  for (const type of entityTypes(typeDefs)) {
    const rows = data.entities?.[type] ?? [];
    resolvers[type] = {
      __resolveReference(reference: Row) {
        const row = rows.find((r) =>
          Object.entries(reference).every(
            ([k, v]) =>
              k === '__typename' ||
              !(k in r) ||
              JSON.stringify(r[k]) === JSON.stringify(v),
          ),
        );
        return row === undefined ? null : { ...reference, ...row };
      },
    };
  }
  const root = data.Query ?? {};
  resolvers['Query'] = Object.fromEntries(
    Object.keys(root).map((field) => [
      field,
      (_: unknown, args: Record<string, unknown>) =>
        materialize(root[field], {}, args),
    ]),
  );
  return resolvers;
}

/** Starts one case subgraph, signed and plain, on free ports. */
export async function startCaseSubgraph(
  name: string,
  typeDefs: string,
  data: SubgraphData,
): Promise<CaseSubgraph> {
  const document = parse(typeDefs);
  const schema = buildSubgraphSchema({
    typeDefs: document,
    resolvers: resolversOf(document, data) as never,
  });
  // Every other field reads the parent's value, templates and errors included.
  for (const type of Object.values(schema.getTypeMap())) {
    if (
      type.name.startsWith('__') ||
      !(isObjectType(type) || isInterfaceType(type)) ||
      type.name === 'Query'
    ) {
      continue;
    }
    if (!(type instanceof GraphQLObjectType)) continue;
    for (const field of Object.values(type.getFields())) {
      field.resolve ??= fieldResolver;
    }
  }
  const apollo = new ApolloServer({
    schema,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const health = async () => ({ subgraph: name });
  const context = async () => ({});
  const servers: ServedGraphQL[] = [];
  try {
    servers.push(
      await serveGraphQL({
        apollo,
        port: 0,
        health,
        context,
        verifier: new CallVerifier({ key: testSigningKey, audience: name }),
      }),
    );
    servers.push(await serveGraphQL({ apollo, port: 0, health, context }));
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    await apollo.stop();
    throw error;
  }
  const [signed, plain] = servers as [ServedGraphQL, ServedGraphQL];
  return {
    name,
    signedUrl: signed.url,
    plainUrl: plain.url,
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      await apollo.stop();
    },
  };
}

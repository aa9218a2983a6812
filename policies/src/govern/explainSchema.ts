import {
  extendSchema,
  GraphQLScalarType,
  isObjectType,
  Kind,
  parse,
  valueFromASTUntyped,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';

/**
 * What the gateway adds to the API schema: `Query.explain`, which it
 * resolves itself (it reaches no subgraph), and its types.
 */
export const EXPLAIN_SDL = /* GraphQL */ `
  extend type Query {
    """
    Why each field of an operation is allowed, masked or withheld for the
    caller and the purpose it declares: the answer to "why is this field
    null?". The operation is analysed and decided exactly as it would be
    if sent, but not run. Resolved by the gateway; always allowed.
    """
    explain(
      "The operation document, as it would be sent."
      operation: String!
      "Which operation of the document, when it holds several."
      operationName: String
      "Variables, as they would be sent (they decide @skip/@include)."
      variables: ExplainJSON
    ): Explanation!
  }

  "Any JSON value."
  scalar ExplainJSON

  "How the gateway would govern one operation."
  type Explanation {
    "SHA-256 of the operation text (the persisted-query hash)."
    operationHash: String!
    operationName: String
    "The purpose of use the request declared."
    purpose: String!
    "The policy version the decisions were taken under."
    policyVersion: String!
    "Whether the operation would be refused whole (strict mode) because a field is withheld."
    rejectedInStrictMode: Boolean!
    "Whether it reads data another department owns (and is logged)."
    crossDepartment: Boolean!
    "Every field the operation can touch, with its decision."
    fields: [ExplainedField!]!
    "The row scope the subgraphs would apply (null: every row)."
    rowScope: ExplainJSON
    "The operation as it would be planned, without the withheld fields."
    rewrittenOperation: String!
  }

  enum FieldEffect {
    ALLOW
    MASK
    DENY
  }

  "One schema coordinate and the decision that governs it."
  type ExplainedField {
    "Type.field, e.g. Person.idNumber."
    coordinate: String!
    "Departments that resolve the field."
    owners: [String!]!
    "Response paths (response keys; list positions left out)."
    paths: [[String!]!]!
    effect: FieldEffect!
    "For DENY: the error code the caller gets."
    code: String
    "The rule that decided, e.g. negative-list:NL-PS-1@1 or grant:G-3."
    rule: String!
    reason: String!
    "For MASK: how the value is masked."
    mask: String
    "Every rule consulted, in decision order."
    trail: [String!]!
  }
`;

const ExplainJSON = new GraphQLScalarType({
  name: 'ExplainJSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) =>
    ast.kind === Kind.NULL ? null : valueFromASTUntyped(ast, variables),
});

/** The arguments of `Query.explain`. */
export interface ExplainArgs {
  operation: string;
  operationName?: string | null;
  variables?: unknown;
}

/** What `Query.explain` finds in its context to answer with. */
export interface ExplainContext {
  explain(args: ExplainArgs): unknown;
}

/**
 * The API schema with {@link EXPLAIN_SDL} added and `Query.explain`
 * resolved from the context's `explain`. Also returns the coordinates the
 * gateway resolves itself, which are never decided or sent to a subgraph.
 */
export function withExplain(apiSchema: GraphQLSchema): {
  schema: GraphQLSchema;
  localCoordinates: ReadonlySet<string>;
} {
  const schema = extendSchema(apiSchema, parse(EXPLAIN_SDL));
  const queryType = schema.getQueryType();
  const explain = queryType?.getFields()['explain'];
  if (!queryType || !explain) throw new Error('explain was not added');
  const resolve: GraphQLFieldResolver<unknown, ExplainContext, ExplainArgs> = (
    _source,
    args,
    context,
  ) => context.explain(args);
  explain.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
  const scalar = schema.getType('ExplainJSON');
  if (scalar instanceof GraphQLScalarType) {
    scalar.serialize = ExplainJSON.serialize;
    scalar.parseValue = ExplainJSON.parseValue;
    scalar.parseLiteral = ExplainJSON.parseLiteral;
  }
  const local = new Set<string>([`${queryType.name}.explain`]);
  for (const name of ['Explanation', 'ExplainedField']) {
    const type = schema.getType(name);
    if (!isObjectType(type)) continue;
    for (const field of Object.keys(type.getFields())) {
      local.add(`${name}.${field}`);
    }
  }
  return { schema, localCoordinates: local };
}

// Generated operations as plain data (so that fast-check can shrink them
// and a counterexample prints as JSON), and their printing into GraphQL
// documents: named fragments are made from identical fragment bodies,
// selection sets on interfaces and unions get `__typename` (the oracle walks
// responses by their runtime types), and response keys that would collide
// get fresh aliases.
import {
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationTypeNode,
  parse,
  print,
  getNamedType,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type ArgumentNode,
  type ConstValueNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type TypeNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';

/** The Boolean variables `@skip`/`@include` may read. */
export const CONDITION_VARIABLES = ['c0', 'c1', 'c2'] as const;
/** The Int variable page sizes may read. */
export const PAGE_VARIABLE = 'n0';

/** A condition variable. */
export type ConditionVariable = (typeof CONDITION_VARIABLES)[number];

/** How a condition variable is declared. */
export type BooleanDeclaration =
  'Boolean' | 'Boolean!' | 'Boolean = true' | 'Boolean = false';

/** How the page-size variable is declared. */
export type IntDeclaration = 'Int' | 'Int = 2' | 'Int!';

/** `@include(if: …)` or `@skip(if: …)` on a variable or a literal. */
export interface ConditionSpec {
  readonly directive: 'include' | 'skip';
  readonly if: ConditionVariable | boolean;
}

/** An argument value as printed. */
export type ValueSpec =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'enum'; readonly value: string }
  | { readonly kind: 'variable'; readonly value: string }
  | {
      readonly kind: 'object';
      readonly value: Readonly<Record<string, boolean | number>>;
    };

/** One argument. */
export interface ArgumentSpec {
  readonly name: string;
  readonly value: ValueSpec;
}

/** A field, with its alias, arguments, conditions and sub-selections. */
export interface FieldSpec {
  readonly kind: 'field';
  readonly name: string;
  readonly alias: string | null;
  readonly args: readonly ArgumentSpec[];
  readonly conditions: readonly ConditionSpec[];
  /** `null` for a leaf. */
  readonly selections: readonly SelectionSpec[] | null;
}

/** An inline fragment, or a named one (printed as a spread). */
export interface FragmentSpec {
  readonly kind: 'fragment';
  readonly named: boolean;
  /** Type condition; `null` only for an inline fragment without one. */
  readonly on: string | null;
  readonly conditions: readonly ConditionSpec[];
  readonly selections: readonly SelectionSpec[];
}

/** A selection of a {@link OperationSpec}. */
export type SelectionSpec = FieldSpec | FragmentSpec;

/** How the operation declares each variable it uses. */
export interface VariableDeclarations {
  readonly c0: BooleanDeclaration;
  readonly c1: BooleanDeclaration;
  readonly c2: BooleanDeclaration;
  readonly n0: IntDeclaration;
}

/** A generated operation. */
export interface OperationSpec {
  readonly operation: 'query' | 'mutation';
  /** Whether the operation has a name (given when printed). */
  readonly named: boolean;
  readonly variables: VariableDeclarations;
  readonly selections: readonly SelectionSpec[];
}

/** A printed operation. */
export interface PrintedOperation {
  readonly text: string;
  readonly document: DocumentNode;
  /** The operation's name, or null for an anonymous one. */
  readonly operationName: string | null;
  /** Variables the document declares. */
  readonly declared: readonly string[];
}

const TYPENAME: FieldNode = {
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: '__typename' },
};

function name(value: string): { kind: Kind.NAME; value: string } {
  return { kind: Kind.NAME, value };
}

function valueNode(value: ValueSpec, used: Set<string>): ValueNode {
  switch (value.kind) {
    case 'string':
      return { kind: Kind.STRING, value: value.value };
    case 'int':
      return { kind: Kind.INT, value: String(value.value) };
    case 'float':
      return { kind: Kind.FLOAT, value: String(value.value) };
    case 'boolean':
      return { kind: Kind.BOOLEAN, value: value.value };
    case 'enum':
      return { kind: Kind.ENUM, value: value.value };
    case 'variable':
      used.add(value.value);
      return { kind: Kind.VARIABLE, name: name(value.value) };
    case 'object':
      return {
        kind: Kind.OBJECT,
        fields: Object.entries(value.value).map(([key, v]) => ({
          kind: Kind.OBJECT_FIELD,
          name: name(key),
          value:
            typeof v === 'boolean'
              ? { kind: Kind.BOOLEAN, value: v }
              : { kind: Kind.INT, value: String(v) },
        })),
      };
  }
}

function directives(
  conditions: readonly ConditionSpec[],
  used: Set<string>,
): DirectiveNode[] {
  return conditions.map((c) => {
    if (typeof c.if === 'string') used.add(c.if);
    return {
      kind: Kind.DIRECTIVE,
      name: name(c.directive),
      arguments: [
        {
          kind: Kind.ARGUMENT,
          name: name('if'),
          value:
            typeof c.if === 'string'
              ? { kind: Kind.VARIABLE, name: name(c.if) }
              : { kind: Kind.BOOLEAN, value: c.if },
        },
      ],
    };
  });
}

/** Response keys met in one merged selection set, and what they select. */
interface KeyRegistry {
  readonly keys: Map<string, { signature: string; children: KeyRegistry }>;
}

function newRegistry(): KeyRegistry {
  return { keys: new Map() };
}

/**
 * The type of `parent.name`, meta-fields included: `__schema` and `__type`
 * on the query type.
 */
function fieldTypeOf(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  fieldName: string,
): GraphQLOutputType | undefined {
  if (parent === schema.getQueryType()) {
    if (fieldName === SchemaMetaFieldDef.name) return SchemaMetaFieldDef.type;
    if (fieldName === TypeMetaFieldDef.name) return TypeMetaFieldDef.type;
  }
  return isObjectType(parent) || isInterfaceType(parent)
    ? parent.getFields()[fieldName]?.type
    : undefined;
}

/** Builds the document of one spec; see {@link printOperation}. */
class Printer {
  readonly used = new Set<string>();
  readonly fragments = new Map<string, FragmentDefinitionNode>();
  readonly #schema: GraphQLSchema;

  constructor(schema: GraphQLSchema) {
    this.#schema = schema;
  }

  selectionSet(
    parent: GraphQLCompositeType,
    specs: readonly SelectionSpec[],
    registry: KeyRegistry,
  ): SelectionNode[] {
    const selections: SelectionNode[] = [];
    if (isAbstractType(parent)) {
      registry.keys.set('__typename', {
        signature: '__typename',
        children: newRegistry(),
      });
      selections.push(TYPENAME);
    }
    for (const spec of specs) {
      const node =
        spec.kind === 'field'
          ? this.#field(parent, spec, registry)
          : this.#fragment(parent, spec, registry);
      if (node !== null) selections.push(node);
    }
    return selections;
  }

  #field(
    parent: GraphQLCompositeType,
    spec: FieldSpec,
    registry: KeyRegistry,
  ): FieldNode | null {
    const args: ArgumentNode[] = spec.args.map((a) => ({
      kind: Kind.ARGUMENT,
      name: name(a.name),
      value: valueNode(a.value, this.used),
    }));
    const signature = `${spec.name}(${args.map((a) => print(a)).join(',')})`;
    let key = spec.alias ?? spec.name;
    let entry = registry.keys.get(key);
    if (entry !== undefined && entry.signature !== signature) {
      // Two different selections under one response key would not merge:
      // the later one gets an alias of its own.
      let n = 1;
      while (registry.keys.has(`${spec.name}_${String(n)}`)) n += 1;
      key = `${spec.name}_${String(n)}`;
      entry = undefined;
    }
    if (entry === undefined) {
      entry = { signature, children: newRegistry() };
      registry.keys.set(key, entry);
    }
    let selectionSet: FieldNode['selectionSet'];
    if (spec.selections !== null) {
      const fieldType = fieldTypeOf(this.#schema, parent, spec.name);
      const child = fieldType === undefined ? null : getNamedType(fieldType);
      if (child === null || !isCompositeType(child)) return null;
      selectionSet = {
        kind: Kind.SELECTION_SET,
        selections: this.selectionSet(child, spec.selections, entry.children),
      };
    }
    return {
      kind: Kind.FIELD,
      ...(key === spec.name ? {} : { alias: name(key) }),
      name: name(spec.name),
      arguments: args,
      directives: directives(spec.conditions, this.used),
      ...(selectionSet === undefined ? {} : { selectionSet }),
    };
  }

  #fragment(
    parent: GraphQLCompositeType,
    spec: FragmentSpec,
    registry: KeyRegistry,
  ): SelectionNode | null {
    const on = spec.on === null ? parent : this.#schema.getType(spec.on);
    if (on === undefined || on === null || !isCompositeType(on)) return null;
    if (!spec.named) {
      return {
        kind: Kind.INLINE_FRAGMENT,
        ...(spec.on === null
          ? {}
          : {
              typeCondition: {
                kind: Kind.NAMED_TYPE,
                name: name(spec.on),
              },
            }),
        directives: directives(spec.conditions, this.used),
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: this.selectionSet(on, spec.selections, registry),
        },
      };
    }
    // A named fragment's body is printed once, with keys of its own; the
    // same body spread twice becomes one fragment spread twice.
    const selectionSet = {
      kind: Kind.SELECTION_SET,
      selections: this.selectionSet(on, spec.selections, newRegistry()),
    } as const;
    const body = `${on.name} ${print(selectionSet)}`;
    let fragment = this.fragments.get(body);
    if (fragment === undefined) {
      fragment = {
        kind: Kind.FRAGMENT_DEFINITION,
        name: name(`F${String(this.fragments.size + 1)}`),
        typeCondition: { kind: Kind.NAMED_TYPE, name: name(on.name) },
        selectionSet,
      };
      this.fragments.set(body, fragment);
    }
    return {
      kind: Kind.FRAGMENT_SPREAD,
      name: fragment.name,
      directives: directives(spec.conditions, this.used),
    };
  }
}

function typeNode(declaration: string): TypeNode {
  const base = declaration.split(' ')[0] ?? declaration;
  const named = {
    kind: Kind.NAMED_TYPE,
    name: name(base.replace('!', '')),
  } as const;
  return base.endsWith('!') ? { kind: Kind.NON_NULL_TYPE, type: named } : named;
}

function defaultNode(declaration: string): ConstValueNode | undefined {
  const match = /= (.+)$/.exec(declaration);
  if (match === null) return undefined;
  const literal = match[1] ?? '';
  return literal === 'true' || literal === 'false'
    ? { kind: Kind.BOOLEAN, value: literal === 'true' }
    : { kind: Kind.INT, value: literal };
}

/**
 * Prints `spec` as a document valid or not against `schema` (the caller
 * validates): `header` is a comment line put first (it makes the text
 * unique without changing the operation), `operationName` names a named
 * operation.
 */
export function printOperation(
  schema: GraphQLSchema,
  spec: OperationSpec,
  options: { header?: string; operationName?: string } = {},
): PrintedOperation {
  const root =
    spec.operation === 'query'
      ? schema.getQueryType()
      : schema.getMutationType();
  if (root === null || root === undefined) {
    throw new Error(`the schema has no ${spec.operation} type`);
  }
  const printer = new Printer(schema);
  const selections = printer.selectionSet(root, spec.selections, newRegistry());
  const declared = [...CONDITION_VARIABLES, PAGE_VARIABLE].filter((v) =>
    printer.used.has(v),
  );
  const variableDefinitions = declared.map((v): VariableDefinitionNode => {
    const declaration = spec.variables[v as keyof VariableDeclarations];
    const defaultValue = defaultNode(declaration);
    const definition: VariableDefinitionNode = {
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: name(v) },
      type: typeNode(declaration),
    };
    return defaultValue === undefined
      ? definition
      : { ...definition, defaultValue };
  });
  const operationName =
    spec.named && options.operationName !== undefined
      ? options.operationName
      : null;
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation:
      spec.operation === 'query'
        ? OperationTypeNode.QUERY
        : OperationTypeNode.MUTATION,
    ...(operationName === null ? {} : { name: name(operationName) }),
    variableDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const built: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...printer.fragments.values()],
  };
  const body = print(built);
  const text =
    options.header === undefined ? body : `# ${options.header}\n${body}`;
  return { text, document: parse(text), operationName, declared };
}

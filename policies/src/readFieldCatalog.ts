import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
} from 'graphql';

/** What the supergraph says about one schema coordinate. */
export interface FieldCatalogEntry {
  /** `Type.field`. */
  coordinate: string;
  typeName: string;
  fieldName: string;
  /**
   * Subgraphs that can resolve the field, by subgraph name. Exactly one for a
   * field a department owns; several for entity keys and for `@shareable`
   * value types (connections, PageInfo), whose data belongs to whoever
   * resolved the parent field.
   */
  subgraphs: readonly string[];
  /** `@tag` names declared on the field in its subgraph (classification). */
  tags: readonly string[];
}

/** Coordinate → entry, for every field of every object and interface type. */
export type FieldCatalog = ReadonlyMap<string, FieldCatalogEntry>;

/** The supergraph text is not a Federation 2 supergraph this reader knows. */
export class FieldCatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}

function argument(
  directive: ConstDirectiveNode,
  name: string,
): string | boolean | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  switch (arg.value.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return arg.value.value;
    case Kind.BOOLEAN:
      return arg.value.value;
    default:
      return undefined;
  }
}

function named(
  directives: readonly ConstDirectiveNode[] | undefined,
  name: string,
): ConstDirectiveNode[] {
  return (directives ?? []).filter((d) => d.name.value === name);
}

/**
 * Reads field ownership and classification from a composed supergraph
 * (join spec, https://specs.apollo.dev/join/v0.5): a field's subgraphs are
 * the graphs of its `@join__field` directives that do not merely mark it
 * `external`, or, without any, the graphs whose `@join__type` can resolve
 * the type. Classification tags are the field's `@tag(name:)`s, which
 * composition carries from the subgraphs into the supergraph. Pure: parses
 * the text it is given.
 */
export function readFieldCatalog(supergraphSdl: string): FieldCatalog {
  const document = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  for (const def of document.definitions) {
    if (
      def.kind === Kind.ENUM_TYPE_DEFINITION &&
      def.name.value === 'join__Graph'
    ) {
      for (const value of def.values ?? []) {
        const [graph] = named(value.directives, 'join__graph');
        const name = graph ? argument(graph, 'name') : undefined;
        if (typeof name === 'string') graphNames.set(value.name.value, name);
      }
    }
  }
  if (graphNames.size === 0) {
    throw new FieldCatalogError(
      'not a Federation 2 supergraph: it has no join__Graph enum',
    );
  }
  const graphName = (value: string | boolean | undefined): string | null =>
    typeof value === 'string' ? (graphNames.get(value) ?? null) : null;

  const catalog = new Map<string, FieldCatalogEntry>();
  for (const def of document.definitions) {
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION
    ) {
      continue;
    }
    const typeName = def.name.value;
    if (typeName.startsWith('join__') || typeName.startsWith('link__'))
      continue;
    const typeGraphs = named(def.directives, 'join__type')
      .filter((d) => argument(d, 'resolvable') !== false)
      .map((d) => graphName(argument(d, 'graph')))
      .filter((g): g is string => g !== null);
    for (const field of def.fields ?? []) {
      catalog.set(`${typeName}.${field.name.value}`, {
        coordinate: `${typeName}.${field.name.value}`,
        typeName,
        fieldName: field.name.value,
        subgraphs: fieldGraphs(field, typeGraphs, graphName),
        tags: named(field.directives, 'tag')
          .map((d) => argument(d, 'name'))
          .filter((t): t is string => typeof t === 'string')
          .sort(),
      });
    }
  }
  return catalog;
}

function fieldGraphs(
  field: FieldDefinitionNode,
  typeGraphs: readonly string[],
  graphName: (value: string | boolean | undefined) => string | null,
): string[] {
  const joins = named(field.directives, 'join__field');
  if (joins.length === 0) return [...typeGraphs].sort();
  const graphs = joins
    .filter((d) => argument(d, 'external') !== true)
    .map((d) => graphName(argument(d, 'graph')))
    .filter((g): g is string => g !== null);
  return [...new Set(graphs)].sort();
}

import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';

/** What the supergraph says about one schema coordinate. */
export interface FieldCatalogEntry {
  /** `Type.field`. */
  coordinate: string;
  typeName: string;
  fieldName: string;
  /**
   * Subgraphs that can resolve the field, by subgraph name. Exactly one for a
   * field a department owns; several for entity keys, for `@shareable`
   * value types (connections, PageInfo), whose data belongs to whoever
   * resolved the parent field, for a field a progressive `@override` is
   * moving, and for a field another subgraph `@provides`. Empty when the
   * supergraph names no owner ({@link FieldCatalogEntry.unowned} says why).
   * How each Federation 2 construct is read: docs/governance.md#field-ownership.
   */
  subgraphs: readonly string[];
  /** `@tag` names declared on the field in its subgraph (classification). */
  tags: readonly string[];
  /**
   * The field or its type is `@inaccessible`: it is not in the API schema,
   * so no operation can select it; were one to, it is withheld.
   */
  inaccessible: boolean;
  /**
   * Why the field has no owner, naming the construct and what the
   * supergraph writes; `null` when {@link FieldCatalogEntry.subgraphs} is
   * not empty.
   */
  unowned: UnownedField | null;
}

/** Why the supergraph gives a field no owner. */
export interface UnownedField {
  /**
   * The construct: `interface-object` (a bare `@join__field` no
   * `@interfaceObject` graph declares), `external` (every graph marks it
   * `@external` and none `@provides` it), `overridden` (every graph's copy
   * is overridden), `no-resolvable-graph` (no `@join__type` of its type
   * can resolve it).
   */
  readonly construct:
    'interface-object' | 'external' | 'overridden' | 'no-resolvable-graph';
  /** What the supergraph says, in words. */
  readonly detail: string;
}

/** Coordinate → entry, for every field of every object and interface type. */
export type FieldCatalog = ReadonlyMap<string, FieldCatalogEntry>;

/**
 * The prefix of the tags that name a field's owning subgraph where the
 * supergraph names none (`@tag(name: "owner:market")`, see
 * docs/governance.md#field-ownership).
 */
export const OWNER_TAG_PREFIX = 'owner:';

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

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

type CompositeDefinition =
  ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode;

/** The supergraph's object and interface types, and who implements what. */
interface TypeIndex {
  readonly types: ReadonlyMap<string, CompositeDefinition>;
  /** Interface → the object and interface types that implement it. */
  readonly implementations: ReadonlyMap<string, readonly string[]>;
}

function indexTypes(document: DocumentNode): TypeIndex {
  const types = new Map<string, CompositeDefinition>();
  const implementations = new Map<string, string[]>();
  for (const def of document.definitions) {
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION
    ) {
      continue;
    }
    types.set(def.name.value, def);
    for (const iface of def.interfaces ?? []) {
      const list = implementations.get(iface.name.value) ?? [];
      list.push(def.name.value);
      implementations.set(iface.name.value, list);
    }
  }
  return { types, implementations };
}

/** Every type a value of `typeName` can be: itself and, for an interface, its implementations. */
function possibleTypes(index: TypeIndex, typeName: string): string[] {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const impl of index.implementations.get(name) ?? []) visit(impl);
  };
  visit(typeName);
  return [...seen];
}

/**
 * The coordinates each graph resolves through `@provides`: for
 * `@join__field(graph: G, provides: "a { b }")` on a field of type T, G
 * resolves `T.a` (and `a` on every implementation when T is an interface)
 * and `b` on a's type, for that path.
 */
function providedCoordinates(
  index: TypeIndex,
  graphName: (value: string | boolean | undefined) => string | null,
): Map<string, Set<string>> {
  const provided = new Map<string, Set<string>>();
  const mark = (graph: string, coordinate: string): void => {
    const set = provided.get(graph) ?? new Set<string>();
    set.add(coordinate);
    provided.set(graph, set);
  };
  const walk = (
    graph: string,
    typeName: string,
    selectionSet: SelectionSetNode,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(
          graph,
          selection.typeCondition?.name.value ?? typeName,
          selection.selectionSet,
        );
        continue;
      }
      if (selection.kind !== Kind.FIELD) continue;
      const fieldName = selection.name.value;
      for (const possible of possibleTypes(index, typeName)) {
        const field = index.types
          .get(possible)
          ?.fields?.find((f) => f.name.value === fieldName);
        if (field === undefined) continue;
        mark(graph, `${possible}.${fieldName}`);
        if (selection.selectionSet) {
          walk(graph, namedType(field.type), selection.selectionSet);
        }
      }
    }
  };
  for (const def of index.types.values()) {
    for (const field of def.fields ?? []) {
      for (const join of named(field.directives, 'join__field')) {
        const provides = argument(join, 'provides');
        const graph = graphName(argument(join, 'graph'));
        if (typeof provides !== 'string' || graph === null) continue;
        let parsed: DocumentNode;
        try {
          parsed = parse(`{ ${provides} }`);
        } catch {
          throw new FieldCatalogError(
            `${def.name.value}.${field.name.value}: @join__field(provides: ${JSON.stringify(provides)}) is not a field set`,
          );
        }
        const [operation] = parsed.definitions;
        if (operation?.kind === Kind.OPERATION_DEFINITION) {
          walk(graph, namedType(field.type), operation.selectionSet);
        }
      }
    }
  }
  return provided;
}

/**
 * Reads field ownership and classification from a composed supergraph
 * (join spec, https://specs.apollo.dev/join/v0.5). A field's subgraphs are
 * the graphs that can resolve it:
 *
 * - without `@join__field`, every graph whose `@join__type` can resolve the
 *   type (entity keys, `@shareable` fields every graph declares alike);
 * - otherwise the graphs of its `@join__field`s, except those that only
 *   mark it `external` (a graph that `@provides` it on some path resolves
 *   it there and counts) and those whose copy is overridden but still used
 *   (`usedOverridden`); during a progressive `@override` (`overrideLabel`)
 *   both graphs resolve it and both count;
 * - a bare `@join__field` (no graph) is a field an `@interfaceObject`
 *   contributes to an implementation: its subgraphs are the graphs that
 *   declare the field on an interface the type implements with
 *   `@join__type(isInterfaceObject: true)`, and it carries their tags.
 *
 * Where this finds no graph, `@tag(name: "owner:<subgraph>")` tags name the
 * owner; otherwise the entry says why it has none. Classification tags are
 * the field's `@tag(name:)`s, which composition carries from the subgraphs
 * into the supergraph. Pure: parses the text it is given.
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
  const knownGraphs = new Set(graphNames.values());

  const index = indexTypes(document);
  const provided = providedCoordinates(index, graphName);
  const catalog = new Map<string, FieldCatalogEntry>();
  for (const def of index.types.values()) {
    const typeName = def.name.value;
    if (typeName.startsWith('join__') || typeName.startsWith('link__'))
      continue;
    const typeInaccessible = named(def.directives, 'inaccessible').length > 0;
    for (const field of def.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      const read = fieldGraphs(def, field, index, graphName, provided);
      const tags = new Set(tagsOf(field));
      for (const tag of read.inheritedTags) tags.add(tag);
      let subgraphs = read.graphs;
      if (subgraphs.length === 0) {
        subgraphs = [...tags]
          .filter((t) => t.startsWith(OWNER_TAG_PREFIX))
          .map((t) => t.slice(OWNER_TAG_PREFIX.length))
          .filter((g) => knownGraphs.has(g))
          .sort();
      }
      catalog.set(coordinate, {
        coordinate,
        typeName,
        fieldName: field.name.value,
        subgraphs,
        tags: [...tags].sort(),
        inaccessible:
          typeInaccessible ||
          named(field.directives, 'inaccessible').length > 0,
        unowned:
          subgraphs.length > 0
            ? null
            : (read.unowned ?? {
                construct: 'no-resolvable-graph',
                detail: `no graph resolves ${coordinate}`,
              }),
      });
    }
  }
  return catalog;
}

function tagsOf(field: FieldDefinitionNode): string[] {
  return named(field.directives, 'tag')
    .map((d) => argument(d, 'name'))
    .filter((t): t is string => typeof t === 'string');
}

interface ReadGraphs {
  graphs: string[];
  inheritedTags: string[];
  unowned: UnownedField | null;
}

function fieldGraphs(
  def: CompositeDefinition,
  field: FieldDefinitionNode,
  index: TypeIndex,
  graphName: (value: string | boolean | undefined) => string | null,
  provided: ReadonlyMap<string, ReadonlySet<string>>,
): ReadGraphs {
  const typeName = def.name.value;
  const coordinate = `${typeName}.${field.name.value}`;
  const typeGraphs = named(def.directives, 'join__type')
    .filter((d) => argument(d, 'resolvable') !== false)
    .map((d) => graphName(argument(d, 'graph')))
    .filter((g): g is string => g !== null);
  const joins = named(field.directives, 'join__field');
  if (joins.length === 0) {
    return {
      graphs: [...new Set(typeGraphs)].sort(),
      inheritedTags: [],
      unowned:
        typeGraphs.length === 0
          ? {
              construct: 'no-resolvable-graph',
              detail: `${coordinate} has no @join__field and no @join__type of ${typeName} can resolve it`,
            }
          : null,
    };
  }
  const graphs = new Set<string>();
  const inheritedTags: string[] = [];
  let bare = false;
  let external = false;
  let overridden = false;
  for (const join of joins) {
    const graph = graphName(argument(join, 'graph'));
    if (graph === null) {
      bare = true;
      continue;
    }
    if (argument(join, 'external') === true) {
      external = true;
      if (provided.get(graph)?.has(coordinate) === true) graphs.add(graph);
      continue;
    }
    if (argument(join, 'usedOverridden') === true) {
      overridden = true;
      continue;
    }
    graphs.add(graph);
  }
  if (bare) {
    const contributed = interfaceObjectGraphs(def, field, index, graphName);
    for (const graph of contributed.graphs) graphs.add(graph);
    inheritedTags.push(...contributed.tags);
  }
  let unowned: UnownedField | null = null;
  if (graphs.size === 0) {
    unowned = bare
      ? {
          construct: 'interface-object',
          detail: `${coordinate} has a bare @join__field (a field an @interfaceObject contributes), but no interface ${typeName} implements declares ${field.name.value} in a graph with @join__type(isInterfaceObject: true)`,
        }
      : external
        ? {
            construct: 'external',
            detail: `every @join__field of ${coordinate} marks it external and no graph @provides it`,
          }
        : overridden
          ? {
              construct: 'overridden',
              detail: `every @join__field of ${coordinate} is overridden (usedOverridden) and no graph took it over`,
            }
          : null;
  }
  return { graphs: [...graphs].sort(), inheritedTags, unowned };
}

/**
 * The graphs that contribute `field` to `def` as `@interfaceObject`s: for
 * every interface `def` implements that has the field, the graphs with
 * `@join__type(isInterfaceObject: true)` on it that resolve the
 * interface's field (its `@join__field` graphs, or every such graph when
 * the interface field has none), and the interface field's tags.
 */
function interfaceObjectGraphs(
  def: CompositeDefinition,
  field: FieldDefinitionNode,
  index: TypeIndex,
  graphName: (value: string | boolean | undefined) => string | null,
): { graphs: string[]; tags: string[] } {
  const graphs = new Set<string>();
  const tags: string[] = [];
  for (const iface of def.interfaces ?? []) {
    const interfaceDef = index.types.get(iface.name.value);
    if (interfaceDef === undefined) continue;
    const interfaceField = interfaceDef.fields?.find(
      (f) => f.name.value === field.name.value,
    );
    if (interfaceField === undefined) continue;
    const objectGraphs = new Set(
      named(interfaceDef.directives, 'join__type')
        .filter(
          (d) =>
            argument(d, 'isInterfaceObject') === true &&
            argument(d, 'resolvable') !== false,
        )
        .map((d) => graphName(argument(d, 'graph')))
        .filter((g): g is string => g !== null),
    );
    if (objectGraphs.size === 0) continue;
    const joins = named(interfaceField.directives, 'join__field');
    const declaring =
      joins.length === 0
        ? [...objectGraphs]
        : joins
            .filter((j) => argument(j, 'external') !== true)
            .map((j) => graphName(argument(j, 'graph')))
            .filter((g): g is string => g !== null && objectGraphs.has(g));
    if (declaring.length === 0) continue;
    for (const graph of declaring) graphs.add(graph);
    tags.push(...tagsOf(interfaceField));
  }
  return { graphs: [...graphs], tags };
}

import {
  Kind,
  print,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationTypeNode,
  type SelectionSetNode,
} from 'graphql';

import type { OperationOptions } from './OperationOptions.js';
import {
  Conditions,
  SCHEMA,
  SelectionBudget,
  TYPE,
  TYPENAME,
  conditionVariableNames,
  fragmentDefinitions,
  narrowScope,
  pathKey,
  resolveField,
  responseKey,
  rootScope,
  scopeKey,
  selectOperation,
  usedFragments,
  type FieldCoordinate,
  type Scope,
} from './operationTraversal.js';

/** A schema coordinate an operation can touch, and where it does. */
export interface TouchedCoordinate {
  /** `Type.field`, e.g. `Person.idNumber`. */
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  /**
   * Whether `typeName` is an interface. A field selected on an interface is
   * reported on the interface and on every object type it can resolve to;
   * the object types' coordinates are the ones that have an owner.
   */
  readonly abstract: boolean;
  /**
   * Every response path at which the field can appear: response keys
   * (aliases where given), list positions left out, e.g.
   * `['complaint', 'merchants', 'nodes', 'name']`. In the order first met.
   */
  readonly paths: readonly (readonly string[])[];
}

/**
 * Which introspection meta-fields the operation selects
 * (https://spec.graphql.org/October2021/#sec-Introspection). Reported apart
 * from the coordinates so that a gateway that refuses introspection can
 * still allow `__typename`, which clients and the query planner add freely.
 */
export interface IntrospectionUse {
  /** `__schema` is selected. */
  readonly schema: boolean;
  /** `__type` is selected. */
  readonly type: boolean;
  /** `__typename` is selected (anywhere). */
  readonly typename: boolean;
  /** `__typename` is the only introspection the operation uses. */
  readonly typenameOnly: boolean;
}

/** What `analyzeOperation` found. */
export interface OperationAnalysis {
  /** `query`, `mutation` or `subscription`. */
  readonly operationType: OperationTypeNode;
  /** The operation's name, or null for an anonymous operation. */
  readonly operationName: string | null;
  /** The root type the operation starts from, e.g. `Query`. */
  readonly rootType: string;
  /**
   * The coordinates of the top-level fields (introspection left out), each
   * once, in the order first met, e.g. `['Query.person']`.
   */
  readonly rootFields: readonly string[];
  /** Every coordinate the operation can touch, sorted by coordinate. */
  readonly coordinates: readonly TouchedCoordinate[];
  readonly introspection: IntrospectionUse;
  /**
   * Variables any `@skip`/`@include` of the operation or of a fragment it
   * spreads reads, found in the text whatever their values (see
   * `conditionVariables`). The analysis depends on their values, so a
   * cache of decisions keyed by {@link normalizedText} must key on their
   * coerced values too.
   */
  readonly conditionVariables: readonly string[];
  /**
   * The selected operation followed by the fragments it uses (sorted by
   * name), as graphql's `print` writes them: the text to hash for a cache
   * key or an audit record. Other operations and unused fragments of the
   * document are left out. (Hashing is the caller's job: policies/ does no
   * I/O and imports no Node built-ins.)
   */
  readonly normalizedText: string;
}

interface Occurrence {
  readonly field: FieldNode;
  readonly scope: Scope;
}

interface Branch {
  readonly selectionSet: SelectionSetNode;
  readonly scope: Scope;
}

interface Touched {
  readonly at: FieldCoordinate;
  readonly paths: string[][];
  readonly keys: Set<string>;
}

/**
 * Finds every schema coordinate (`Type.field`) an operation can touch and
 * the response paths where each occurs: the input of the gateway's
 * per-field decision (negative list, grants, CASL, algorithm filings).
 *
 * Fields are collected as execution collects them
 * (https://spec.graphql.org/October2021/#CollectFields()): the selected
 * operation, aliases as response keys, fields selected more than once
 * merged by response key, named and inline fragments, type conditions
 * narrowed to the object types that can actually be there, and `@skip` /
 * `@include` evaluated against the variables. Where a value is not known
 * (a variable without a Boolean value or default) the field counts as
 * touched: the analysis may over-report, never under-report. A field
 * selected on an interface counts on the interface and on each possible
 * object type. Introspection is reported apart ({@link IntrospectionUse})
 * and not descended into.
 *
 * `schema` is the API schema a client sees (not the supergraph); the
 * document is expected to be valid against it
 * (https://spec.graphql.org/October2021/#sec-Validation), but an invalid
 * document yields an {@link OperationAnalysisError}, never a crash or a
 * partial answer.
 *
 * @throws OperationAnalysisError
 */
export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  options: OperationOptions = {},
): OperationAnalysis {
  const operation = selectOperation(document, options.operationName ?? null);
  const fragments = fragmentDefinitions(document);
  const used = usedFragments(operation.selectionSet.selections, fragments);
  const root = rootScope(schema, operation);
  const conditions = new Conditions(operation, options.variables ?? null);
  const budget = new SelectionBudget(options.maxSelections);

  const touched = new Map<string, Touched>();
  const rootFields = new Set<string>();
  const meta = { schema: false, type: false, typename: false };

  const record = (at: FieldCoordinate, path: string[]): void => {
    let entry = touched.get(at.coordinate);
    if (entry === undefined) {
      entry = { at, paths: [], keys: new Set() };
      touched.set(at.coordinate, entry);
    }
    const key = pathKey(path);
    if (!entry.keys.has(key)) {
      entry.keys.add(key);
      entry.paths.push(path);
    }
  };

  /** Collects the fields of branches that merge at one response path. */
  const collect = (branches: readonly Branch[]): Map<string, Occurrence[]> => {
    const byKey = new Map<string, Occurrence[]>();
    const spread = new Set<string>();
    const walk = (selectionSet: SelectionSetNode, scope: Scope): void => {
      for (const selection of selectionSet.selections) {
        if (conditions.excludes(selection.directives)) continue;
        switch (selection.kind) {
          case Kind.FIELD: {
            const key = responseKey(selection);
            const list = byKey.get(key) ?? [];
            list.push({ field: selection, scope });
            byKey.set(key, list);
            break;
          }
          case Kind.INLINE_FRAGMENT: {
            const inner = narrowScope(schema, scope, selection.typeCondition);
            if (inner.possible.length > 0) walk(selection.selectionSet, inner);
            break;
          }
          case Kind.FRAGMENT_SPREAD: {
            // usedFragments has checked that every spread fragment exists.
            const fragment = fragments.get(selection.name.value);
            if (fragment === undefined) break;
            const inner = narrowScope(schema, scope, fragment.typeCondition);
            const seen = `${fragment.name.value}@${scopeKey(inner)}`;
            if (inner.possible.length > 0 && !spread.has(seen)) {
              spread.add(seen);
              walk(fragment.selectionSet, inner);
            }
            break;
          }
        }
      }
    };
    for (const branch of branches) walk(branch.selectionSet, branch.scope);
    return byKey;
  };

  const visit = (
    branches: readonly Branch[],
    path: readonly string[],
  ): void => {
    for (const [key, occurrences] of collect(branches)) {
      const here = [...path, key];
      const next: Branch[] = [];
      // The same selection set reached twice in one scope adds nothing.
      const queued = new Map<SelectionSetNode, Set<string>>();
      for (const { field, scope } of occurrences) {
        switch (field.name.value) {
          case TYPENAME:
            meta.typename = true;
            continue;
          case SCHEMA:
            meta.schema = true;
            continue;
          case TYPE:
            meta.type = true;
            continue;
        }
        budget.spend();
        const resolved = resolveField(schema, scope, field.name.value);
        for (const at of resolved.coordinates) record(at, here);
        if (path.length === 0) {
          rootFields.add(resolved.coordinates[0].coordinate);
        }
        if (field.selectionSet === undefined || resolved.child === null) {
          continue;
        }
        const scopes = queued.get(field.selectionSet) ?? new Set<string>();
        queued.set(field.selectionSet, scopes);
        if (!scopes.has(scopeKey(resolved.child))) {
          scopes.add(scopeKey(resolved.child));
          next.push({
            selectionSet: field.selectionSet,
            scope: resolved.child,
          });
        }
      }
      if (next.length > 0) visit(next, here);
    }
  };

  visit([{ selectionSet: operation.selectionSet, scope: root }], []);

  const coordinates = [...touched.values()]
    .sort((a, b) => compare(a.at.coordinate, b.at.coordinate))
    .map(({ at, paths }) => ({ ...at, paths }));

  return {
    operationType: operation.operation,
    operationName: operation.name?.value ?? null,
    rootType: root.type.name,
    rootFields: [...rootFields],
    coordinates,
    introspection: {
      ...meta,
      typenameOnly: meta.typename && !meta.schema && !meta.type,
    },
    conditionVariables: conditionVariableNames(operation, used),
    normalizedText: print({
      kind: Kind.DOCUMENT,
      definitions: [
        operation,
        ...[...used].sort((a, b) => compare(a.name.value, b.name.value)),
      ],
    }),
  };
}

/** Code-unit order, the same in every locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The oracle of one response: walks the response alongside the ORIGINAL
// operation with the variables actually sent (as execution collects fields:
// aliases, fragments, type conditions by `__typename`, `@skip`/`@include`)
// and checks what the guarantee says a response may contain, against the
// policy's decisions for the principal and the ground truth read from the
// database.
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

import {
  analyzeOperation,
  compileRowScope,
  type Decision,
  type RowFilter,
  type RowScope,
} from '../../policies/src/index.js';
import { COUNTED_TYPES, TYPE_TABLES, type ScopedRow } from './groundTruth.js';
import type {
  PropertyPrincipal,
  PropertyWorld,
  SecretIndex,
} from './propertyWorld.js';

/** Which part of the guarantee a violation breaks. */
export type ViolationKind =
  | 'withheld'
  | 'masked'
  | 'secret'
  | 'scope'
  | 'count'
  | 'executed'
  | 'introspection'
  | 'access-log'
  | 'explain'
  | 'shape';

/** One way a response broke the guarantee. */
export interface Violation {
  readonly kind: ViolationKind;
  /** Response path, when there is one. */
  readonly path?: readonly (string | number)[];
  readonly coordinate?: string;
  /** What the policy decided for the coordinate. */
  readonly decision?: string;
  readonly detail: string;
  /** The offending value (shortened). */
  readonly value?: string;
}

/** One operation as sent. */
export interface SentCall {
  readonly principal: PropertyPrincipal;
  readonly text: string;
  readonly document: DocumentNode;
  readonly operationName: string | null;
  /** Variables as sent (absent ones left out). */
  readonly variables: Readonly<Record<string, unknown>>;
  /** The HTTP body the operation went in (its own or a batch's). */
  readonly requestBody: string;
}

/** What one response shows, for the access-log check. */
export interface CallFindings {
  readonly violations: Violation[];
  /** Coordinates the response shows were run: present, or failing below. */
  readonly executed: ReadonlySet<string>;
  /**
   * Coordinates a fresh analysis of the original operation under these
   * variables selects and the policy does not deny (what a record may name).
   */
  readonly selectable: ReadonlySet<string>;
}

const WITHHOLDING_CODES = new Set([
  'FORBIDDEN_BY_NEGATIVE_LIST',
  'FORBIDDEN',
  'GRANT_REQUIRED',
  'ALGORITHM_INPUT_NOT_FILED',
  'FIELD_NOT_CLASSIFIED',
]);

const META_FIELDS = new Set(['__typename', '__schema', '__type']);

/** At most this many characters of a value in a report. */
function shorten(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function describe(decision: Decision | undefined): string {
  if (decision === undefined) return 'not decided (resolved by the gateway)';
  return decision.effect === 'MASK'
    ? `MASK ${decision.mask} by ${decision.rule}`
    : `${decision.effect} by ${decision.rule}`;
}

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A row filter of the scope, evaluated on a row's attributes. */
function holds(filter: RowFilter, row: ScopedRow): boolean {
  switch (filter.op) {
    case 'and':
      return filter.filters.every((f) => holds(f, row));
    case 'eq':
      return row.attributes[filter.field] === String(filter.value);
    case 'in':
      return filter.values
        .map(String)
        .includes(row.attributes[filter.field] ?? '\u0000');
    case 'prefix':
      return row.attributes[filter.field]?.startsWith(filter.value) === true;
  }
}

/** Whether a row of `typeName` lies inside `scope`. */
export function inScope(
  typeName: string,
  row: ScopedRow,
  scope: RowScope | null,
): { ok: boolean; why: string } {
  if (scope === null) return { ok: true, why: '' };
  const table = TYPE_TABLES[typeName];
  if (
    scope.region !== undefined &&
    table?.region !== undefined &&
    row.region?.startsWith(scope.region) !== true
  ) {
    return {
      ok: false,
      why: `its region ${String(row.region)} is outside the caller's ${scope.region}`,
    };
  }
  const filter = scope.types?.[typeName];
  if (filter !== undefined && !holds(filter, row)) {
    return {
      ok: false,
      why: `it fails the grant's row filter ${JSON.stringify(filter)} (${JSON.stringify(row.attributes)})`,
    };
  }
  return { ok: true, why: '' };
}

/** The operation the request selected. */
function selectedOperation(
  document: DocumentNode,
  operationName: string | null,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operationName === null
    ? operations[0]
    : operations.find((o) => o.name?.value === operationName);
}

/**
 * Collects fields as execution does
 * (https://spec.graphql.org/October2021/#CollectFields()), except that a
 * condition whose value is unknown (null, or not a Boolean) keeps its
 * selection: the walk may expect more keys than a response has, never
 * fewer. Missing keys are not violations; unexpected ones are.
 */
class FieldCollector {
  readonly #schema: GraphQLSchema;
  readonly #fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly #values: ReadonlyMap<string, unknown>;

  constructor(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>>,
  ) {
    this.#schema = schema;
    this.#fragments = new Map(
      document.definitions
        .filter(
          (d): d is FragmentDefinitionNode =>
            d.kind === Kind.FRAGMENT_DEFINITION,
        )
        .map((f) => [f.name.value, f]),
    );
    const values = new Map<string, unknown>();
    for (const definition of operation.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      const fallback = definition.defaultValue;
      values.set(
        name,
        Object.hasOwn(variables, name)
          ? variables[name]
          : fallback?.kind === Kind.BOOLEAN
            ? fallback.value
            : undefined,
      );
    }
    this.#values = values;
  }

  #excluded(directives: readonly DirectiveNode[] | undefined): boolean {
    for (const directive of directives ?? []) {
      const name = directive.name.value;
      if (name !== 'skip' && name !== 'include') continue;
      const argument = directive.arguments?.find((a) => a.name.value === 'if');
      let value: unknown;
      if (argument?.value.kind === Kind.BOOLEAN) value = argument.value.value;
      else if (argument?.value.kind === Kind.VARIABLE) {
        value = this.#values.get(argument.value.name.value);
      }
      if (typeof value !== 'boolean') continue;
      if (name === 'skip' && value) return true;
      if (name === 'include' && !value) return true;
    }
    return false;
  }

  #applies(typeCondition: string, runtime: GraphQLObjectType): boolean {
    const type = this.#schema.getType(typeCondition);
    if (type === runtime) return true;
    return (
      type !== undefined &&
      type !== null &&
      isAbstractType(type) &&
      this.#schema.isSubType(type, runtime)
    );
  }

  collect(
    runtime: GraphQLObjectType,
    selectionSets: readonly SelectionSetNode[],
  ): Map<string, FieldNode[]> {
    const fields = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    const walk = (selectionSet: SelectionSetNode): void => {
      for (const selection of selectionSet.selections) {
        if (this.#excluded(selection.directives)) continue;
        switch (selection.kind) {
          case Kind.FIELD: {
            const key = selection.alias?.value ?? selection.name.value;
            const list = fields.get(key) ?? [];
            list.push(selection);
            fields.set(key, list);
            break;
          }
          case Kind.INLINE_FRAGMENT:
            if (
              selection.typeCondition === undefined ||
              this.#applies(selection.typeCondition.name.value, runtime)
            ) {
              walk(selection.selectionSet);
            }
            break;
          case Kind.FRAGMENT_SPREAD: {
            const name = selection.name.value;
            const fragment = this.#fragments.get(name);
            if (visited.has(name) || fragment === undefined) break;
            visited.add(name);
            if (this.#applies(fragment.typeCondition.name.value, runtime)) {
              walk(fragment.selectionSet);
            }
            break;
          }
        }
      }
    };
    for (const set of selectionSets) walk(set);
    return fields;
  }
}

function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes
    .map((n) => n.selectionSet)
    .filter((s): s is SelectionSetNode => s !== undefined);
}

/** Checks one response; see the module comment. */
class ResponseCheck {
  readonly violations: Violation[] = [];
  readonly executed = new Set<string>();
  /** JSON paths of strings whose presence is accounted for. */
  readonly #excused = new Set<string>();
  readonly #world: PropertyWorld;
  readonly #call: SentCall;
  readonly #collector: FieldCollector | null;
  readonly #scope: RowScope | null;
  readonly #counts = new Map<string, number>();

  constructor(
    world: PropertyWorld,
    call: SentCall,
    operation: OperationDefinitionNode | undefined,
    scope: RowScope | null,
  ) {
    this.#world = world;
    this.#call = call;
    this.#scope = scope;
    this.#collector =
      operation === undefined
        ? null
        : new FieldCollector(
            world.schema,
            call.document,
            operation,
            call.variables,
          );
  }

  #add(violation: Violation): void {
    // One report per place and kind is enough.
    if (
      this.violations.some(
        (v) =>
          v.kind === violation.kind &&
          JSON.stringify(v.path) === JSON.stringify(violation.path),
      )
    ) {
      return;
    }
    this.violations.push(violation);
  }

  #decision(coordinate: string): Decision | undefined {
    return this.#call.principal.decisions.get(coordinate);
  }

  /** Rows of `typeName` in scope: what a count of them may reach. */
  #countBound(typeName: string): number | null {
    const rows = this.#world.rows.get(typeName);
    const table = TYPE_TABLES[typeName];
    if (
      rows === undefined ||
      table === undefined ||
      (table.region === undefined && table.attributes === undefined)
    ) {
      return null;
    }
    let bound = this.#counts.get(typeName);
    if (bound === undefined) {
      bound = 0;
      for (const row of rows.values()) {
        if (inScope(typeName, row, this.#scope).ok) bound += 1;
      }
      this.#counts.set(typeName, bound);
    }
    return bound;
  }

  data(data: Json, operation: OperationDefinitionNode): void {
    if (!isRecord(data) || this.#collector === null) return;
    const root =
      operation.operation === 'mutation'
        ? this.#world.schema.getMutationType()
        : this.#world.schema.getQueryType();
    if (root === null || root === undefined) return;
    this.#object(root, [operation.selectionSet], data, [], ['data'], null);
  }

  #object(
    runtime: GraphQLObjectType,
    selectionSets: readonly SelectionSetNode[],
    value: Record<string, Json>,
    path: (string | number)[],
    jsonPath: (string | number)[],
    countedType: string | null,
  ): void {
    const collector = this.#collector;
    if (collector === null) return;
    const fields = collector.collect(runtime, selectionSets);
    for (const key of Object.keys(value)) {
      if (!fields.has(key)) {
        this.#add({
          kind: 'shape',
          path: [...path, key],
          detail: `the response has a key the operation did not select on ${runtime.name}`,
          value: shorten(value[key]),
        });
      }
    }
    const table = TYPE_TABLES[runtime.name];
    if (table?.key !== undefined) {
      this.#row(runtime.name, fields, value, path);
    }
    const searchType = COUNTED_TYPES[`${runtime.name}.totalCount`] ?? null;
    for (const [key, nodes] of fields) {
      if (!Object.hasOwn(value, key)) continue;
      const fieldName = nodes[0]?.name.value ?? key;
      const here = [...path, key];
      const jsonHere = [...jsonPath, key];
      if (fieldName === '__typename') {
        this.#excused.add(JSON.stringify(jsonHere));
        continue;
      }
      if (fieldName === '__schema' || fieldName === '__type') {
        if (!this.#call.principal.mayIntrospect) {
          this.#add({
            kind: 'introspection',
            path: here,
            detail: `${fieldName} answered, but no role of ${this.#call.principal.label} may introspect`,
            value: shorten(value[key]),
          });
        }
        continue;
      }
      const field = runtime.getFields()[fieldName];
      if (field === undefined) continue;
      const coordinate = `${runtime.name}.${fieldName}`;
      const decision = this.#decision(coordinate);
      this.executed.add(coordinate);
      const v = value[key];
      if (decision?.effect === 'DENY') {
        this.#add({
          kind: 'withheld',
          path: here,
          coordinate,
          decision: describe(decision),
          detail: `a withheld field is in the response`,
          value: shorten(v),
        });
        this.#excuseAll(v, jsonHere);
        continue;
      }
      const named = getNamedType(field.type);
      if (isLeafType(named)) {
        this.#leaf(
          coordinate,
          decision,
          v,
          here,
          jsonHere,
          countedType ?? searchType,
        );
        continue;
      }
      this.#composite(
        field.type,
        subSelections(nodes),
        v,
        here,
        jsonHere,
        searchType ?? countedType,
      );
    }
    if (runtime.name === 'ExplainedField') this.#explained(fields, value, path);
  }

  #composite(
    type: GraphQLOutputType,
    selectionSets: readonly SelectionSetNode[],
    value: Json,
    path: (string | number)[],
    jsonPath: (string | number)[],
    countedType: string | null,
  ): void {
    if (value === null || value === undefined) return;
    if (isNonNullType(type)) {
      this.#composite(
        type.ofType,
        selectionSets,
        value,
        path,
        jsonPath,
        countedType,
      );
      return;
    }
    if (isListType(type)) {
      if (!Array.isArray(value)) return;
      value.forEach((item, i) =>
        this.#composite(
          type.ofType,
          selectionSets,
          item,
          [...path, i],
          [...jsonPath, i],
          countedType,
        ),
      );
      return;
    }
    if (!isRecord(value)) return;
    let runtime: GraphQLObjectType | null = isObjectType(type) ? type : null;
    if (runtime === null && isAbstractType(type)) {
      const typename = value['__typename'];
      const candidate =
        typeof typename === 'string'
          ? this.#world.schema.getType(typename)
          : undefined;
      if (
        candidate !== undefined &&
        candidate !== null &&
        isObjectType(candidate) &&
        this.#world.schema.isSubType(type, candidate)
      ) {
        runtime = candidate;
      } else {
        this.#add({
          kind: 'shape',
          path,
          detail: `a ${type.name} value without a valid __typename, so its fields cannot be decided`,
          value: shorten(value),
        });
        return;
      }
    }
    if (runtime === null) return;
    this.#object(runtime, selectionSets, value, path, jsonPath, countedType);
  }

  #leaf(
    coordinate: string,
    decision: Decision | undefined,
    value: Json,
    path: (string | number)[],
    jsonPath: (string | number)[],
    countedType: string | null,
  ): void {
    const strings: Array<[string, (string | number)[]]> = [];
    if (typeof value === 'string') strings.push([value, jsonPath]);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === 'string') strings.push([item, [...jsonPath, i]]);
      });
    }
    const truth = this.#world.values.get(coordinate);
    if (decision?.effect === 'MASK') {
      const image = this.#world.maskedValuesOf(coordinate, decision.mask);
      for (const [text, at] of strings) {
        const clear = truth?.has(text) === true && !image.has(text);
        const masked =
          decision.mask === 'HASH'
            ? /^[0-9a-f]{64}$/.test(text)
            : image.has(text);
        if (clear || !masked) {
          this.#add({
            kind: 'masked',
            path,
            coordinate,
            decision: describe(decision),
            detail: clear
              ? 'a masked field is in the response in clear'
              : `a masked field's value is not the ${decision.mask} mask of any true value`,
            value: shorten(text),
          });
        }
        this.#excused.add(JSON.stringify(at));
      }
    } else if (decision !== undefined) {
      for (const [text, at] of strings) {
        if (truth === undefined || truth.has(text)) {
          this.#excused.add(JSON.stringify(at));
        }
      }
    }
    // Counts of region-scoped rows.
    if (typeof value === 'number') {
      const counted = this.#countedTypeOf(coordinate, countedType);
      const bound = counted === null ? null : this.#countBound(counted);
      if (counted !== null && bound !== null && value > bound) {
        this.#add({
          kind: 'count',
          path,
          coordinate,
          detail: `counts ${String(value)} ${counted} rows, but only ${String(bound)} are in the caller's scope ${JSON.stringify(this.#scope)}`,
          value: String(value),
        });
      }
    }
  }

  /** The type whose rows a count coordinate counts, if any. */
  #countedTypeOf(
    coordinate: string,
    countedType: string | null,
  ): string | null {
    const explicit = COUNTED_TYPES[coordinate];
    if (explicit !== undefined) return explicit;
    const [typeName, fieldName] = coordinate.split('.');
    if (fieldName === 'count' && typeName === 'SearchFacetBucket') {
      return countedType;
    }
    if (fieldName !== 'totalCount' || typeName === undefined) return null;
    const type = this.#world.schema.getType(typeName);
    if (!isObjectType(type)) return null;
    const nodes = type.getFields()['nodes'];
    return nodes === undefined ? null : getNamedType(nodes.type).name;
  }

  /** Every row of a scoped type in the response lies in the caller's scope. */
  #row(
    typeName: string,
    fields: ReadonlyMap<string, readonly FieldNode[]>,
    value: Record<string, Json>,
    path: (string | number)[],
  ): void {
    const table = TYPE_TABLES[typeName];
    const keyField = table?.key?.field;
    if (keyField === undefined) return;
    if (table?.region === undefined && table?.attributes === undefined) return;
    const keyEntry = [...fields].find(
      ([key, nodes]) =>
        nodes[0]?.name.value === keyField && Object.hasOwn(value, key),
    );
    const key = keyEntry === undefined ? undefined : value[keyEntry[0]];
    if (typeof key !== 'string') return;
    const row = this.#world.rows.get(typeName)?.get(key);
    if (row === undefined) {
      this.#add({
        kind: 'scope',
        path,
        detail: `a ${typeName} with ${keyField} ${key} that the database does not hold`,
        value: key,
      });
      return;
    }
    const verdict = inScope(typeName, row, this.#scope);
    if (!verdict.ok) {
      this.#add({
        kind: 'scope',
        path,
        detail: `the ${typeName} ${key} is outside the caller's scope: ${verdict.why}`,
        value: key,
      });
    }
  }

  /** Explain tells the caller what the policy decides. */
  #explained(
    fields: ReadonlyMap<string, readonly FieldNode[]>,
    value: Record<string, Json>,
    path: (string | number)[],
  ): void {
    const byName = new Map<string, Json>();
    for (const [key, nodes] of fields) {
      if (Object.hasOwn(value, key))
        byName.set(nodes[0]?.name.value ?? key, value[key]);
    }
    const coordinate = byName.get('coordinate');
    const effect = byName.get('effect');
    if (typeof coordinate !== 'string' || typeof effect !== 'string') return;
    const decision = this.#decision(coordinate);
    if (decision !== undefined && decision.effect !== effect) {
      this.#add({
        kind: 'explain',
        path,
        coordinate,
        decision: describe(decision),
        detail: `explain says ${effect}, the policy decides ${decision.effect}`,
      });
    }
  }

  #excuseAll(value: Json, jsonPath: (string | number)[]): void {
    if (typeof value === 'string') this.#excused.add(JSON.stringify(jsonPath));
    else if (Array.isArray(value)) {
      value.forEach((v, i) => this.#excuseAll(v, [...jsonPath, i]));
    } else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value))
        this.#excuseAll(v, [...jsonPath, k]);
    }
  }

  /** Errors at or below a withheld field must be the gateway's own refusal. */
  errors(
    errors: Json,
    data: Json,
    operation: OperationDefinitionNode | undefined,
  ): void {
    if (!Array.isArray(errors) || operation === undefined) return;
    for (const error of errors) {
      if (!isRecord(error) || !Array.isArray(error['path'])) continue;
      const errorPath = error['path'] as Array<string | number>;
      const extensions = isRecord(error['extensions'])
        ? error['extensions']
        : {};
      const refusal =
        typeof extensions['coordinate'] === 'string' &&
        typeof extensions['rule'] === 'string' &&
        WITHHOLDING_CODES.has(String(extensions['code']));
      const steps = this.#resolve(operation, data, errorPath);
      steps.forEach(({ coordinate, depth }, i) => {
        if (!refusal) this.executed.add(coordinate);
        const decision = this.#decision(coordinate);
        if (decision?.effect !== 'DENY') return;
        const atThisField =
          i === steps.length - 1 && depth === errorPath.length;
        if (refusal && atThisField) return;
        this.#add({
          kind: 'executed',
          path: errorPath,
          coordinate,
          decision: describe(decision),
          detail: `an error from running a withheld field (or below it): ${shorten(error['message'])} ${shorten(extensions)}`,
        });
      });
    }
  }

  /** The coordinates along a response path (abstract steps by `__typename`). */
  #resolve(
    operation: OperationDefinitionNode,
    data: Json,
    errorPath: ReadonlyArray<string | number>,
  ): Array<{ coordinate: string; depth: number }> {
    const collector = this.#collector;
    const schema = this.#world.schema;
    const root =
      operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getQueryType();
    if (collector === null || root === null || root === undefined) return [];
    const steps: Array<{ coordinate: string; depth: number }> = [];
    let type: GraphQLOutputType = root;
    let sets: SelectionSetNode[] = [operation.selectionSet];
    let value: Json = data;
    for (let depth = 0; depth < errorPath.length; depth += 1) {
      const segment = errorPath[depth];
      while (isNonNullType(type) || isListType(type)) {
        type = type.ofType;
      }
      if (typeof segment === 'number') {
        value = Array.isArray(value) ? value[segment] : undefined;
        continue;
      }
      if (segment === undefined) break;
      let runtimes: GraphQLObjectType[];
      if (isObjectType(type)) runtimes = [type];
      else if (isAbstractType(type)) {
        const typename = isRecord(value) ? value['__typename'] : undefined;
        const known =
          typeof typename === 'string' ? schema.getType(typename) : undefined;
        runtimes = isObjectType(known)
          ? [known]
          : [...schema.getPossibleTypes(type)];
      } else break;
      let next: { runtime: GraphQLObjectType; nodes: FieldNode[] } | undefined;
      for (const runtime of runtimes) {
        const nodes = collector.collect(runtime, sets).get(segment);
        if (nodes !== undefined) {
          next = { runtime, nodes };
          break;
        }
      }
      if (next === undefined) break;
      const fieldName = next.nodes[0]?.name.value ?? segment;
      if (META_FIELDS.has(fieldName)) break;
      const field = next.runtime.getFields()[fieldName];
      if (field === undefined) break;
      steps.push({
        coordinate: `${next.runtime.name}.${fieldName}`,
        depth: depth + 1,
      });
      type = field.type;
      sets = subSelections(next.nodes);
      value = isRecord(value) ? value[segment] : undefined;
    }
    return steps;
  }

  /** Searches every string of the body not accounted for for withheld values. */
  secrets(element: Json, index: SecretIndex): void {
    if (index.size === 0) return;
    const lengths = [...index.byLength.keys()].sort((a, b) => a - b);
    const visit = (value: Json, jsonPath: (string | number)[]): void => {
      if (typeof value === 'string') {
        if (!this.#excused.has(JSON.stringify(jsonPath))) {
          this.#scan(value, jsonPath, index, lengths);
        }
        return;
      }
      if (Array.isArray(value)) {
        value.forEach((v, i) => visit(v, [...jsonPath, i]));
        return;
      }
      if (isRecord(value)) {
        for (const [k, v] of Object.entries(value)) {
          this.#scan(k, [...jsonPath, `(key ${k})`], index, lengths);
          visit(v, [...jsonPath, k]);
        }
      }
    };
    visit(element, []);
  }

  /** Searches one raw text (a body that is not JSON). */
  rawSecrets(text: string, index: SecretIndex): void {
    const lengths = [...index.byLength.keys()].sort((a, b) => a - b);
    this.#scan(text, ['(raw body)'], index, lengths);
  }

  #scan(
    text: string,
    jsonPath: (string | number)[],
    index: SecretIndex,
    lengths: readonly number[],
  ): void {
    for (const length of lengths) {
      if (length > text.length) break;
      const bucket = index.byLength.get(length);
      if (bucket === undefined) continue;
      for (let i = 0; i + length <= text.length; i += 1) {
        const secret = bucket.get(text.slice(i, i + length));
        if (secret === undefined) continue;
        // What the caller sent itself is not a leak when echoed.
        if (this.#call.requestBody.includes(secret.value)) continue;
        this.#add({
          kind: 'secret',
          path: jsonPath,
          coordinate: secret.coordinate,
          decision: describe(this.#decision(secret.coordinate)),
          detail: `a withheld value of ${secret.coordinate} appears in the body`,
          value: shorten(text.slice(Math.max(0, i - 40), i + length + 40)),
        });
        return;
      }
    }
  }
}

/**
 * The coordinates a fresh analysis of the original operation selects under
 * the variables sent, with their decisions (withheld ones left out), and
 * the row scope the policy gives them.
 */
export function analyseCall(
  world: PropertyWorld,
  call: SentCall,
): { selectable: Set<string>; scope: RowScope | null } {
  const selectable = new Set<string>();
  const decisions: Decision[] = [];
  try {
    const analysis = analyzeOperation(world.schema, call.document, {
      operationName: call.operationName,
      variables: call.variables,
    });
    for (const touched of analysis.coordinates) {
      if (touched.abstract || world.localCoordinates.has(touched.coordinate)) {
        continue;
      }
      const decision = call.principal.decisions.get(touched.coordinate);
      if (decision === undefined || decision.effect === 'DENY') continue;
      selectable.add(touched.coordinate);
      decisions.push(decision);
    }
  } catch {
    // The gateway refuses what cannot be analysed: nothing is selectable.
  }
  return {
    selectable,
    scope: compileRowScope(call.principal.principal, decisions),
  };
}

/**
 * Checks the response to one operation (`element`: its own JSON answer,
 * or its place in a batch's answer; `raw`: the body text as received).
 */
export function checkResponse(
  world: PropertyWorld,
  call: SentCall,
  element: Json,
  raw: string,
): CallFindings {
  const operation = selectedOperation(call.document, call.operationName);
  const { selectable, scope } = analyseCall(world, call);
  const check = new ResponseCheck(world, call, operation, scope);
  const secrets = world.secretsOf(call.principal);
  if (element === undefined) {
    check.rawSecrets(raw, secrets);
  } else if (isRecord(element)) {
    if (operation !== undefined) check.data(element['data'], operation);
    check.errors(element['errors'], element['data'], operation);
    check.secrets(element, secrets);
  } else {
    check.secrets(element, secrets);
  }
  return { violations: check.violations, executed: check.executed, selectable };
}

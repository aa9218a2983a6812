import {
  Kind,
  print,
  visit,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';

import { analyzeOperation } from './analyzeOperation.js';
import type { OperationOptions } from './OperationOptions.js';
import {
  Conditions,
  SelectionBudget,
  TYPENAME,
  fragmentDefinitions,
  isMetaField,
  narrowScope,
  pathKey,
  resolveField,
  responseKey,
  rootScope,
  scopeKey,
  selectOperation,
  usedFragments,
  withoutConditions,
  type Scope,
} from './operationTraversal.js';

/**
 * Decides whether the field at a schema coordinate (`Type.field`) and
 * response path is removed. Asked at most once per coordinate and path.
 */
export type RemovePredicate = (
  coordinate: string,
  path: readonly string[],
) => boolean;

/**
 * Why a field is no longer selected:
 * - `predicate`: the predicate removed it;
 * - `emptied`: every field of its selection set was removed, and a field of
 *   an object type cannot be selected with nothing under it
 *   (https://spec.graphql.org/October2021/#sec-Leaf-Field-Selections);
 * - `sharedSelection`: it was selected on an interface together with a
 *   coordinate of another possible type that was removed (one field node
 *   serves every possible type, so it goes for all of them).
 */
export type RemovalCause = 'predicate' | 'emptied' | 'sharedSelection';

/** A coordinate that is no longer selected at a response path. */
export interface RemovedField {
  readonly coordinate: string;
  readonly path: readonly string[];
  readonly cause: RemovalCause;
}

/** What `removeFields` returns. */
export interface RemoveFieldsResult {
  /**
   * The selected operation without the removed selections, followed by the
   * fragments it still uses: other operations of the input and fragments
   * no longer used are left out, and so are variable definitions no longer
   * used (https://spec.graphql.org/October2021/#sec-All-Variables-Used).
   * It validates against the schema whenever the input did. When
   * {@link empty}, the operation is reduced to `{ __typename }`.
   */
  readonly document: DocumentNode;
  /**
   * Each coordinate and path removed, in the order met: those the predicate
   * removed, then those removed with them (`emptied`, `sharedSelection`)
   * unless the result still selects them at that path some other way.
   * Fields under a removed field are not listed.
   */
  readonly removed: readonly RemovedField[];
  /**
   * Nothing of the operation's top-level selection set is left to execute
   * (everything was removed or excluded by the variables).
   */
  readonly empty: boolean;
}

/**
 * `__typename @skip(if: true)`: stands for selections the variables
 * exclude, so that a selection set left with nothing else to execute stays
 * one (its value an empty object, as the excluded selections would give).
 */
const NEVER_SELECTED: FieldNode = {
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: TYPENAME },
  directives: [
    {
      kind: Kind.DIRECTIVE,
      name: { kind: Kind.NAME, value: 'skip' },
      arguments: [
        {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: 'if' },
          value: { kind: Kind.BOOLEAN, value: true },
        },
      ],
    },
  ],
};

/** One visit of a fragment spread: where and to what its fragment rewrote. */
interface Occurrence {
  readonly fragment: FragmentDefinitionNode;
  /** The fragment's rewritten selections, nested spreads as placeholders. */
  readonly selections: readonly SelectionNode[];
  /** Set when the fragment is decided: whether to inline it here. */
  inline?: boolean;
  /** The rewritten selections with the placeholders resolved. */
  final?: readonly SelectionNode[];
}

/** A visited spread in a rewritten selection, until its fragment is decided. */
interface Placeholder {
  readonly spread: FragmentSpreadNode;
  readonly occurrence: Occurrence;
}

/**
 * Removes from an operation the fields a predicate selects, so that withheld
 * fields never reach the query planner, and says what went.
 *
 * The traversal is the one of {@link analyzeOperation}: the predicate is
 * asked about the same coordinates at the same response paths the analysis
 * reports (a field on an interface: the interface's coordinate and every
 * possible object type's; the field is removed when any of them is).
 * Introspection meta-fields are never removed.
 *
 * The result does not depend on the values of the variables of
 * `@skip`/`@include` any more: selections they exclude are dropped without
 * asking the predicate (a selection set left with nothing to execute keeps
 * `__typename @skip(if: true)`), and conditions known to pass are dropped
 * from the selections kept. Only a condition whose value is not a Boolean
 * stays (execution then refuses the request). So the result never selects
 * a field the predicate was not asked about, whatever values it runs with.
 *
 * A named fragment can be spread at several paths. Where the removals in it
 * are the same at every spread, the fragment itself is edited; where they
 * differ, the fragment is inlined (as an inline fragment with its type
 * condition and the spread's directives) at the spreads whose result
 * differs, and kept as it is elsewhere. A selection set that the removal
 * leaves empty takes its field with it, up to the operation itself.
 *
 * @throws OperationAnalysisError on the same documents as analyzeOperation.
 */
export function removeFields(
  document: DocumentNode,
  remove: RemovePredicate,
  schema: GraphQLSchema,
  options: OperationOptions = {},
): RemoveFieldsResult {
  const operation = selectOperation(document, options.operationName ?? null);
  const fragments = fragmentDefinitions(document);
  const order = usedFragments(operation.selectionSet.selections, fragments);
  const remover = new FieldRemover(
    schema,
    fragments,
    remove,
    new Conditions(operation, options.variables ?? null),
    new SelectionBudget(options.maxSelections),
  );

  const top = remover.rewrite(
    operation.selectionSet.selections,
    rootScope(schema, operation),
    [],
  );
  // Every fragment is decided after the fragments it spreads.
  const edited = new Map<string, FragmentDefinitionNode>();
  for (const fragment of order) remover.decide(fragment, edited);
  const kept = remover.resolve(top);
  const empty = kept.every((selection) => selection === NEVER_SELECTED);
  const typename: FieldNode = {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: TYPENAME },
  };

  // The input's fragments in its order, each as decided.
  const decided = new Map(
    [...fragments].map(([name, fragment]) => [
      name,
      edited.get(name) ?? fragment,
    ]),
  );
  const result = assemble(operation, empty ? [typename] : kept, decided);

  const remaining = new Set<string>();
  for (const touched of analyzeOperation(schema, result, {
    variables: options.variables,
    maxSelections: options.maxSelections,
  }).coordinates) {
    for (const path of touched.paths) {
      remaining.add(removalKey(touched.coordinate, path));
    }
  }
  return {
    document: result,
    removed: remover.report(remaining),
    empty,
  };
}

/** Builds the output document around the rewritten top-level selections. */
function assemble(
  operation: OperationDefinitionNode,
  selections: readonly SelectionNode[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): DocumentNode {
  const body: OperationDefinitionNode = {
    ...operation,
    selectionSet: { ...operation.selectionSet, selections },
  };
  const reachable = new Set(
    usedFragments(selections, fragments).map((f) => f.name.value),
  );
  const kept = [...fragments.values()].filter((f) =>
    reachable.has(f.name.value),
  );

  const variables = new Set<string>();
  const visitor: ASTVisitor = {
    VariableDefinition: () => false,
    Variable: (node) => {
      variables.add(node.name.value);
    },
  };
  visit(body, visitor);
  for (const fragment of kept) visit(fragment, visitor);

  const definitions = operation.variableDefinitions?.filter((d) =>
    variables.has(d.variable.name.value),
  );
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      definitions === undefined
        ? body
        : { ...body, variableDefinitions: definitions },
      ...kept,
    ],
  };
}

function removalKey(coordinate: string, path: readonly string[]): string {
  return `${coordinate} ${pathKey(path)}`;
}

function selectionsText(selections: readonly SelectionNode[]): string {
  return print({ kind: Kind.SELECTION_SET, selections });
}

/** The rewrite's state: one instance per removeFields call. */
class FieldRemover {
  readonly #placeholders = new Map<FragmentSpreadNode, Placeholder>();
  readonly #occurrences = new Map<string, Occurrence[]>();
  /** Fragment rewrites by fragment, scope and path; null when emptied. */
  readonly #rewritten = new Map<string, Occurrence | null>();
  readonly #answers = new Map<string, boolean>();
  readonly #removed: RemovedField[] = [];
  readonly #collateral: RemovedField[] = [];

  constructor(
    readonly schema: GraphQLSchema,
    readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    readonly remove: RemovePredicate,
    readonly conditions: Conditions,
    readonly budget: SelectionBudget,
  ) {}

  /**
   * Rewrites selections evaluated in a scope at a response path. Visited
   * fragment spreads come back as placeholders; an empty result means that
   * nothing is left.
   */
  rewrite(
    selections: readonly SelectionNode[],
    scope: Scope,
    path: readonly string[],
  ): SelectionNode[] {
    const out: SelectionNode[] = [];
    let excluded = false;
    for (const original of selections) {
      // What the variables exclude is dropped unasked, and conditions they
      // are known to pass are dropped too: the result selects the same
      // fields whatever values it is later run with.
      const outcome = this.conditions.evaluate(original.directives);
      if (outcome === 'excluded') {
        excluded = true;
        continue;
      }
      const selection =
        outcome === 'included' ? withoutConditions(original) : original;
      let kept: SelectionNode | null;
      switch (selection.kind) {
        case Kind.FIELD:
          kept = this.#field(selection, scope, path);
          break;
        case Kind.INLINE_FRAGMENT:
          kept = this.#inlineFragment(selection, scope, path);
          break;
        case Kind.FRAGMENT_SPREAD:
          kept = this.#spread(selection, scope, path);
          break;
      }
      if (kept !== null) out.push(kept);
    }
    // Selections all excluded execute to an empty object; a selection that
    // never executes keeps that (and the document valid).
    if (out.length === 0 && excluded) out.push(NEVER_SELECTED);
    return out;
  }

  #field(
    field: FieldNode,
    scope: Scope,
    path: readonly string[],
  ): FieldNode | null {
    if (isMetaField(field.name.value)) return field;
    this.budget.spend();
    const resolved = resolveField(this.schema, scope, field.name.value);
    const here = [...path, responseKey(field)];
    const verdicts = resolved.coordinates.map(({ coordinate }) => ({
      coordinate,
      removed: this.#ask(coordinate, here),
    }));
    if (verdicts.some((v) => v.removed)) {
      for (const { coordinate, removed } of verdicts) {
        if (!removed) {
          this.#collateral.push({
            coordinate,
            path: here,
            cause: 'sharedSelection',
          });
        }
      }
      return null;
    }
    if (field.selectionSet === undefined || resolved.child === null) {
      return field;
    }
    const inner = this.rewrite(
      field.selectionSet.selections,
      resolved.child,
      here,
    );
    if (inner.length === 0) {
      for (const { coordinate } of resolved.coordinates) {
        this.#collateral.push({ coordinate, path: here, cause: 'emptied' });
      }
      return null;
    }
    return {
      ...field,
      selectionSet: { ...field.selectionSet, selections: inner },
    };
  }

  #inlineFragment(
    fragment: InlineFragmentNode,
    scope: Scope,
    path: readonly string[],
  ): InlineFragmentNode | null {
    const inner = narrowScope(this.schema, scope, fragment.typeCondition);
    // A fragment that cannot apply here touches nothing: left as it is.
    if (inner.possible.length === 0) return fragment;
    const selections = this.rewrite(
      fragment.selectionSet.selections,
      inner,
      path,
    );
    if (selections.length === 0) return null;
    return {
      ...fragment,
      selectionSet: { ...fragment.selectionSet, selections },
    };
  }

  #spread(
    spread: FragmentSpreadNode,
    scope: Scope,
    path: readonly string[],
  ): FragmentSpreadNode | null {
    // usedFragments has checked that every spread fragment exists.
    const fragment = this.fragments.get(spread.name.value);
    if (fragment === undefined) return spread;
    const inner = narrowScope(this.schema, scope, fragment.typeCondition);
    if (inner.possible.length === 0) return spread;
    const key = `${fragment.name.value}|${scopeKey(inner)}|${pathKey(path)}`;
    let occurrence = this.#rewritten.get(key);
    if (occurrence === undefined) {
      const selections = this.rewrite(
        fragment.selectionSet.selections,
        inner,
        path,
      );
      occurrence = selections.length === 0 ? null : { fragment, selections };
      this.#rewritten.set(key, occurrence);
      if (occurrence !== null) {
        const list = this.#occurrences.get(fragment.name.value) ?? [];
        list.push(occurrence);
        this.#occurrences.set(fragment.name.value, list);
      }
    }
    if (occurrence === null) return null;
    const placeholder: FragmentSpreadNode = { ...spread };
    this.#placeholders.set(placeholder, { spread, occurrence });
    return placeholder;
  }

  #ask(coordinate: string, path: readonly string[]): boolean {
    const key = removalKey(coordinate, path);
    let answer = this.#answers.get(key);
    if (answer === undefined) {
      answer = this.remove(coordinate, path);
      this.#answers.set(key, answer);
      if (answer) this.#removed.push({ coordinate, path, cause: 'predicate' });
    }
    return answer;
  }

  /**
   * Decides, once every fragment it spreads is decided, whether a fragment
   * is kept, edited (the same result at every visited spread) or inlined
   * where its result differs from it.
   */
  decide(
    fragment: FragmentDefinitionNode,
    edited: Map<string, FragmentDefinitionNode>,
  ): void {
    const occurrences = this.#occurrences.get(fragment.name.value) ?? [];
    const original = print(fragment.selectionSet);
    const texts = occurrences.map((occurrence) => {
      occurrence.final = this.resolve(occurrence.selections);
      return selectionsText(occurrence.final);
    });
    const [first] = occurrences;
    const same = texts.every((text) => text === texts[0]);
    if (first?.final !== undefined && same && texts[0] !== original) {
      edited.set(fragment.name.value, {
        ...fragment,
        selectionSet: { ...fragment.selectionSet, selections: first.final },
      });
    }
    occurrences.forEach((occurrence, i) => {
      occurrence.inline = !same && texts[i] !== original;
    });
  }

  /** Replaces the placeholders in rewritten selections by their decision. */
  resolve(selections: readonly SelectionNode[]): SelectionNode[] {
    return selections.map((selection): SelectionNode => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.selectionSet === undefined
            ? selection
            : {
                ...selection,
                selectionSet: {
                  ...selection.selectionSet,
                  selections: this.resolve(selection.selectionSet.selections),
                },
              };
        case Kind.INLINE_FRAGMENT:
          return {
            ...selection,
            selectionSet: {
              ...selection.selectionSet,
              selections: this.resolve(selection.selectionSet.selections),
            },
          };
        case Kind.FRAGMENT_SPREAD: {
          const placeholder = this.#placeholders.get(selection);
          if (placeholder === undefined) return selection;
          const { spread, occurrence } = placeholder;
          if (occurrence.inline !== true || occurrence.final === undefined) {
            return spread;
          }
          const inlined: InlineFragmentNode = {
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: occurrence.fragment.typeCondition,
            ...(spread.directives ? { directives: spread.directives } : {}),
            selectionSet: {
              kind: Kind.SELECTION_SET,
              selections: occurrence.final,
            },
          };
          return inlined;
        }
      }
    });
  }

  /**
   * The removals: the predicate's, then the collateral ones the result no
   * longer selects (`remaining` holds what it still selects).
   */
  report(remaining: ReadonlySet<string>): RemovedField[] {
    const reported = new Set(
      this.#removed.map((r) => removalKey(r.coordinate, r.path)),
    );
    const collateral = this.#collateral.filter((r) => {
      const key = removalKey(r.coordinate, r.path);
      if (reported.has(key) || remaining.has(key)) return false;
      reported.add(key);
      return true;
    });
    return [...this.#removed, ...collateral];
  }
}

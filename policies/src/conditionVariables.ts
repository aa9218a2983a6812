import type { DocumentNode } from 'graphql';

import {
  coerceConditionValue,
  conditionVariableNames,
  fragmentDefinitions,
  selectOperation,
  usedFragments,
  type ConditionValue,
} from './operationTraversal.js';

/**
 * The variables that `@skip(if:)` / `@include(if:)` read in one operation,
 * found in its text (the operation and every fragment it spreads, whatever
 * the conditions around them), so that the set never depends on the values
 * a request happens to send.
 */
export interface ConditionVariables {
  /** Their names, sorted. */
  readonly names: readonly string[];
  /**
   * Their coerced values in a request (see {@link ConditionValue}: defaults
   * applied, an absent value told apart from `null`), in the order of
   * {@link names}.
   */
  valuesOf(
    variables: Readonly<Record<string, unknown>> | null,
  ): ConditionValue[];
  /**
   * {@link valuesOf} as a string: two requests with the same key select the
   * same fields of this operation, so anything decided from its selections
   * (a governed plan) may be shared between them and nothing else.
   */
  keyOf(variables: Readonly<Record<string, unknown>> | null): string;
}

/**
 * The condition variables of the operation a request selects
 * (https://spec.graphql.org/October2021/#GetOperation()).
 *
 * @throws OperationAnalysisError when no operation, or no operation of
 *   that name, can be selected, or a spread fragment is missing or cyclic
 */
export function conditionVariables(
  document: DocumentNode,
  operationName: string | null,
): ConditionVariables {
  const operation = selectOperation(document, operationName);
  const fragments = usedFragments(
    operation.selectionSet.selections,
    fragmentDefinitions(document),
  );
  const names = conditionVariableNames(operation, fragments);
  const definitions = names.map((name) =>
    operation.variableDefinitions?.find((d) => d.variable.name.value === name),
  );
  const valuesOf = (
    variables: Readonly<Record<string, unknown>> | null,
  ): ConditionValue[] =>
    names.map((name, i) =>
      coerceConditionValue(name, definitions[i], variables),
    );
  return {
    names,
    valuesOf,
    keyOf: (variables) => JSON.stringify(valuesOf(variables)),
  };
}

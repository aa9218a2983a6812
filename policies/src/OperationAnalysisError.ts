/**
 * Why an operation could not be analysed or rewritten. The gateway validates
 * every document before it asks policies/ about it, so these codes mean
 * either a caller that skipped validation or a document crafted to exhaust
 * the analysis; either way the request must be refused, never allowed.
 */
export type OperationAnalysisErrorCode =
  /** The document holds no operation. */
  | 'NO_OPERATION'
  /** No operation name was given and the document holds several. */
  | 'AMBIGUOUS_OPERATION'
  /** No operation in the document has the given name. */
  | 'UNKNOWN_OPERATION'
  /** The schema has no root type for the operation's type (e.g. no mutations). */
  | 'UNSUPPORTED_OPERATION_TYPE'
  /** A field that its parent type does not define. */
  | 'UNKNOWN_FIELD'
  /** A type condition naming no composite type of the schema. */
  | 'UNKNOWN_TYPE'
  /** A spread of a fragment the document does not define. */
  | 'UNKNOWN_FRAGMENT'
  /** Fragments that spread each other in a cycle. */
  | 'FRAGMENT_CYCLE'
  /** More field selections than the analysis is allowed to visit. */
  | 'TOO_MANY_SELECTIONS';

/**
 * Thrown by `analyzeOperation` and `removeFields` when a document cannot be
 * analysed. A plain `Error` with a machine-readable {@link code}; the
 * gateway translates it into its client-facing error vocabulary.
 */
export class OperationAnalysisError extends Error {
  /** What went wrong, for callers that branch on it. */
  readonly code: OperationAnalysisErrorCode;

  constructor(code: OperationAnalysisErrorCode, message: string) {
    super(message);
    this.name = this.constructor.name;
    this.code = code;
  }

  /** See https://spec.graphql.org/October2021/#GetOperation() */
  static noOperation(): OperationAnalysisError {
    return new OperationAnalysisError(
      'NO_OPERATION',
      'The document contains no operation.',
    );
  }

  /** See https://spec.graphql.org/October2021/#GetOperation() */
  static ambiguousOperation(count: number): OperationAnalysisError {
    return new OperationAnalysisError(
      'AMBIGUOUS_OPERATION',
      `The document contains ${count} operations; an operation name is required.`,
    );
  }

  /** See https://spec.graphql.org/October2021/#GetOperation() */
  static unknownOperation(name: string): OperationAnalysisError {
    return new OperationAnalysisError(
      'UNKNOWN_OPERATION',
      `The document contains no operation named "${name}".`,
    );
  }

  /** See https://spec.graphql.org/October2021/#sec-Root-Operation-Types */
  static unsupportedOperationType(operation: string): OperationAnalysisError {
    return new OperationAnalysisError(
      'UNSUPPORTED_OPERATION_TYPE',
      `The schema does not support ${operation} operations.`,
    );
  }

  /** See https://spec.graphql.org/October2021/#sec-Field-Selections */
  static unknownField(
    typeName: string,
    fieldName: string,
  ): OperationAnalysisError {
    return new OperationAnalysisError(
      'UNKNOWN_FIELD',
      `Cannot query field "${fieldName}" on type "${typeName}".`,
    );
  }

  /** See https://spec.graphql.org/October2021/#sec-Fragment-Spread-Type-Existence */
  static unknownType(typeName: string): OperationAnalysisError {
    return new OperationAnalysisError(
      'UNKNOWN_TYPE',
      `Unknown composite type "${typeName}" in a type condition.`,
    );
  }

  /** See https://spec.graphql.org/October2021/#sec-Fragment-spread-target-defined */
  static unknownFragment(name: string): OperationAnalysisError {
    return new OperationAnalysisError(
      'UNKNOWN_FRAGMENT',
      `Unknown fragment "${name}".`,
    );
  }

  /** See https://spec.graphql.org/October2021/#sec-Fragment-spreads-must-not-form-cycles */
  static fragmentCycle(names: readonly string[]): OperationAnalysisError {
    return new OperationAnalysisError(
      'FRAGMENT_CYCLE',
      `Fragments spread each other in a cycle: ${names.join(' → ')}.`,
    );
  }

  /** The guard against documents whose expansion explodes. */
  static tooManySelections(limit: number): OperationAnalysisError {
    return new OperationAnalysisError(
      'TOO_MANY_SELECTIONS',
      `The operation expands to more than ${limit} field selections.`,
    );
  }
}

import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

import { ErrorCode } from './ErrorCode.js';

/**
 * Base of every error govgraph throws on purpose: it sets `extensions.code`
 * and `name`, so clients can branch on the code and never on the message.
 */
export class GraphQLErrorWithCode extends GraphQLError {
  constructor(message: string, code: ErrorCode, options?: GraphQLErrorOptions) {
    super(message, {
      ...options,
      extensions: { ...options?.extensions, code },
    });
    this.name = this.constructor.name;
  }
}

/** A client sent an argument that cannot be valid (malformed id, bad page size, …). */
export class BadUserInputError extends GraphQLErrorWithCode {
  constructor(
    message: string,
    extensions?: Record<string, unknown>,
    options?: GraphQLErrorOptions,
  ) {
    super(message, ErrorCode.BAD_USER_INPUT, {
      ...options,
      extensions: { ...options?.extensions, ...extensions },
    });
  }

  /** The argument `argumentName` does not have the expected form. */
  static invalidArgument(
    argumentName: string,
    value: unknown,
    expected: string,
  ): BadUserInputError {
    return new BadUserInputError(
      `Argument "${argumentName}" has an invalid value ${JSON.stringify(value)}: expected ${expected}.`,
      { argumentName },
    );
  }
}

/** A well-formed id that names nothing. */
export class NotFoundError extends GraphQLErrorWithCode {
  constructor(message: string, extensions?: Record<string, unknown>) {
    super(message, ErrorCode.NOT_FOUND, { extensions: { ...extensions } });
  }

  static of(typeName: string, id: string): NotFoundError {
    return new NotFoundError(`No ${typeName} with id "${id}".`, {
      typeName,
      id,
    });
  }
}

/**
 * A write based on a state that has changed since it was read (a stale
 * revision), or an action the current state does not allow (approving a
 * draft that was never submitted). Nothing was written.
 */
export class ConflictError extends GraphQLErrorWithCode {
  constructor(message: string, extensions?: Record<string, unknown>) {
    super(message, ErrorCode.CONFLICT, { extensions: { ...extensions } });
  }
}

/**
 * The caller may not do this; `rule` names what decided and `reason` says
 * why (a `cannot` rule's reason, or the default of deny-by-default).
 */
export class ForbiddenError extends GraphQLErrorWithCode {
  constructor(
    message: string,
    rule: string,
    extensions?: Record<string, unknown>,
  ) {
    super(message, ErrorCode.FORBIDDEN, {
      extensions: { ...extensions, rule, reason: message },
    });
  }
}

import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

import { isDatabaseUnavailable } from '../db/isDatabaseUnavailable.js';
import { ErrorCode } from './ErrorCode.js';
import { GraphQLErrorWithCode } from './GraphQLErrorWithCode.js';

/**
 * Apollo Server `formatError` for every govgraph server. Errors thrown on
 * purpose (a {@link GraphQLErrorWithCode}) and GraphQL's own validation errors
 * pass through; anything else — a database error, a bug — becomes
 * `INTERNAL_SERVER_ERROR` with `unexpected: true` and no message or stack, so
 * internals never reach a client. This function never throws.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  try {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLErrorWithCode) {
      return withoutStack(formatted);
    }
    const code = formatted.extensions?.['code'];
    const isOwnError =
      original instanceof GraphQLError ||
      (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR);
    if (isOwnError) {
      return withoutStack(formatted);
    }
    if (isDatabaseUnavailable(original)) {
      // The database restarting, stalled or out of reach is not a bug: the
      // caller is told what it is and that a retry may succeed.
      return {
        message:
          'The database is unavailable (restarting or out of reach); retry shortly.',
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          code: ErrorCode.UPSTREAM_UNAVAILABLE,
          dependency: 'database',
        },
      };
    }
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, unexpected: true },
    };
  } catch {
    return {
      message: 'Internal server error',
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, unexpected: true },
    };
  }
}

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) {
    return formatted;
  }
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

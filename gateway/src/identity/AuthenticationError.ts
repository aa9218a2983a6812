import {
  ErrorCode,
  GraphQLErrorWithCode,
} from '../../../subgraphs/kit/src/index.js';

/**
 * A request whose bearer token is missing, malformed, unsigned, signed
 * with another key or algorithm, expired or lacking govgraph's claims:
 * HTTP 401, `UNAUTHENTICATED`. The message says which, never the token.
 */
export class AuthenticationError extends GraphQLErrorWithCode {
  constructor(message: string) {
    super(message, ErrorCode.UNAUTHENTICATED, {
      extensions: { http: { status: 401 } },
    });
  }

  static missing(): AuthenticationError {
    return new AuthenticationError(
      'Authentication required: send "Authorization: Bearer <token>".',
    );
  }

  static rejected(reason: string): AuthenticationError {
    return new AuthenticationError(`The bearer token was rejected: ${reason}.`);
  }
}

import { ErrorCode } from '../../../subgraphs/kit/src/errors/ErrorCode.js';
import { GraphQLErrorWithCode } from '../../../subgraphs/kit/src/errors/GraphQLErrorWithCode.js';

/**
 * A request whose bearer token is missing, malformed, unsigned, signed
 * with another key or algorithm, expired, revoked, too long-lived or
 * lacking govgraph's claims: HTTP 401, `UNAUTHENTICATED`. The message says
 * which, never the token; refusals by one of govgraph's own token rules
 * name it in `extensions.rule` (see {@link TOKEN_RULES}).
 */
export class AuthenticationError extends GraphQLErrorWithCode {
  constructor(message: string, rule?: string) {
    super(message, ErrorCode.UNAUTHENTICATED, {
      extensions: {
        ...(rule === undefined ? {} : { rule }),
        http: { status: 401 },
      },
    });
  }

  static missing(): AuthenticationError {
    return new AuthenticationError(
      'Authentication required: send "Authorization: Bearer <token>".',
    );
  }

  static rejected(reason: string, rule?: string): AuthenticationError {
    return new AuthenticationError(
      `The bearer token was rejected: ${reason}.`,
      rule,
    );
  }
}

/**
 * The rules of govgraph's own that refuse a token jose verified, as
 * `extensions.rule` names them.
 */
export const TOKEN_RULES = Object.freeze({
  /** Its `jti`, or its subject up to its `iat`, is revoked. */
  revoked: 'token-revoked',
  /** `exp − iat` exceeds the maximum lifetime, or `iat` lies in the future. */
  maxLifetime: 'token-max-lifetime',
  /** Role `algorithm` without the `filing` claim. */
  algorithmFiling: 'algorithm-filing-required',
});

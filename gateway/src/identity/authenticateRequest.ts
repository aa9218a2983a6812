import type { IncomingHttpHeaders } from 'node:http';

import { ErrorCode } from '../../../subgraphs/kit/src/errors/ErrorCode.js';
import { GraphQLErrorWithCode } from '../../../subgraphs/kit/src/errors/GraphQLErrorWithCode.js';
import type { RequestPrincipal } from '../../../policies/src/index.js';
import type { TokenVerifier } from './createTokenVerifier.js';

/** The header in which every request declares its purpose of use. */
export const PURPOSE_HEADER = 'x-govgraph-purpose';

/**
 * The caller of one request, as the gateway puts it into the Apollo
 * context and signs it into every subgraph call (`ctx.call.principal`):
 * the policy engine's {@link RequestPrincipal}, the wire contract declared
 * once in `policies/src/model/Principal.ts`.
 */
export type Principal = RequestPrincipal;

/**
 * A request without the purpose header: HTTP 400, `BAD_USER_INPUT`,
 * naming the header.
 */
export class MissingPurposeError extends GraphQLErrorWithCode {
  constructor() {
    super(
      `Declare the purpose of use in the "${PURPOSE_HEADER}" header.`,
      ErrorCode.BAD_USER_INPUT,
      { extensions: { header: PURPOSE_HEADER, http: { status: 400 } } },
    );
  }
}

/**
 * A purpose the caller's token does not allow it to declare: HTTP 403,
 * `FORBIDDEN`, rule `purpose-not-declarable`.
 */
export class PurposeNotDeclarableError extends GraphQLErrorWithCode {
  constructor(purpose: string) {
    super(
      `The purpose "${purpose}" is not one this caller may declare.`,
      ErrorCode.FORBIDDEN,
      {
        extensions: {
          rule: 'purpose-not-declarable',
          http: { status: 403 },
        },
      },
    );
  }
}

/**
 * Authenticates one request from its headers: verifies the bearer token
 * with `verify` (401 `UNAUTHENTICATED` otherwise) and checks the declared
 * purpose against the token's purposes (400 without the header, 403 for a
 * purpose not declarable). Returns the request's {@link Principal}.
 */
export async function authenticateRequest(
  verify: TokenVerifier,
  headers: IncomingHttpHeaders,
): Promise<Principal> {
  const claims = await verify(firstHeader(headers.authorization));
  const purpose = firstHeader(headers[PURPOSE_HEADER])?.trim();
  if (!purpose) throw new MissingPurposeError();
  if (!claims.purposes.includes(purpose)) {
    throw new PurposeNotDeclarableError(purpose);
  }
  return {
    subject: claims.sub,
    department: claims.dept,
    roles: claims.roles,
    level: claims.level,
    regionCode: claims.region,
    purposes: claims.purposes,
    purpose,
    ...(claims.filing ? { filingId: claims.filing } : {}),
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

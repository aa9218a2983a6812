import { z } from 'zod';

import type { RequestPrincipal } from '../../../../policies/src/index.js';
import { ErrorCode } from '../errors/ErrorCode.js';
import { GraphQLErrorWithCode } from '../errors/GraphQLErrorWithCode.js';
import type { SignedCallContext } from './SignedCallContext.js';

/** A region code: the city, a district, a street or a grid. */
const REGION_CODE = /^50(\d{4}|\d{7}|\d{10})$/;

/**
 * The {@link RequestPrincipal} as it travels in a call signature's `ctx`,
 * parsed once where the call arrives (CallVerifier).
 */
export const RequestPrincipalSchema: z.ZodType<RequestPrincipal> = z
  .object({
    subject: z.string().min(1).max(256),
    department: z.string().min(1).max(64),
    roles: z.array(z.string().min(1).max(64)).max(64),
    level: z.enum(['CITY', 'DISTRICT', 'STREET']),
    regionCode: z.string().regex(REGION_CODE, 'a region code'),
    purposes: z.array(z.string().min(1).max(128)).max(64),
    purpose: z.string().min(1).max(128),
    filingId: z.string().min(1).max(128).optional(),
  })
  .transform(({ filingId, ...rest }): RequestPrincipal =>
    filingId === undefined ? rest : { ...rest, filingId },
  );

/**
 * The principal the gateway signed into this call, or the call's refusal
 * when it acts on behalf of nobody.
 *
 * @param refusal the message of the refusal, naming what needs a principal
 * @throws GraphQLErrorWithCode `UNAUTHENTICATED` without one
 */
export function requirePrincipal(
  ctx: { readonly call: SignedCallContext },
  refusal: string,
): RequestPrincipal {
  const { principal } = ctx.call;
  if (principal === null) {
    throw new GraphQLErrorWithCode(refusal, ErrorCode.UNAUTHENTICATED);
  }
  return principal;
}

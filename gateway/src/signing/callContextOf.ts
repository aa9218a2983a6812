import type { RequestPrincipal } from '../../../policies/src/index.js';
import type { SignedCallContext } from '../../../subgraphs/kit/src/signing/SignedCallContext.js';

/**
 * The call context the gateway signs into every subgraph call of a request:
 * the request context's `principal` and `scope`, `null` where it has none
 * (identity and row scope fill them in later).
 */
export function callContextOf(
  requestContext: Readonly<Record<string, unknown>> | undefined,
): SignedCallContext {
  return {
    // The gateway's own context: identity put the principal there.
    principal:
      (requestContext?.['principal'] as RequestPrincipal | undefined) ?? null,
    scope: requestContext?.['scope'] ?? null,
  };
}

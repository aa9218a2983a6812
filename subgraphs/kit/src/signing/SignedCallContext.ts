import type {
  RequestPrincipal,
  RowScope,
} from '../../../../policies/src/index.js';

/**
 * What the gateway tells a subgraph about the call it makes: who asked and
 * which rows they may see. It travels inside the call signature, so a
 * subgraph can trust it exactly as far as it trusts the gateway's key.
 */
export interface SignedCallContext {
  /**
   * The authenticated principal on whose behalf the gateway calls (parsed
   * where the call arrives); `null` for a call on behalf of nobody.
   */
  principal: RequestPrincipal | null;
  /**
   * The row scope the subgraph compiles into its SQL, validated where the
   * call arrives (a malformed one refuses the call); `null` means no
   * restriction.
   */
  scope: RowScope | null;
  /**
   * Where the call arrives: the W3C `traceparent` the gateway signed with
   * the call (claim `tp`), the parent of the subgraph's spans; absent when
   * the gateway does not trace. Not part of the encoded call context.
   */
  traceparent?: string;
}

/** The call context of a call made on behalf of nobody in particular. */
export const EMPTY_CALL_CONTEXT: Readonly<SignedCallContext> = Object.freeze({
  principal: null,
  scope: null,
});

/** HTTP header that carries the gateway's signature of a subgraph call. */
export const SIGNATURE_HEADER = 'x-govgraph-signature';

/** `iss` of every call signature. */
export const SIGNATURE_ISSUER = 'govgraph-gateway';

/**
 * `typ` of every call signature's protected header, so that no other JWT
 * signed with the same key (an identity token, say) passes as a call
 * signature (RFC 8725, section 3.11).
 */
export const SIGNATURE_TYPE = 'govgraph-call+jwt';

/** Seconds a call signature stays valid after it is issued. */
export const SIGNATURE_TTL_SECONDS = 30;

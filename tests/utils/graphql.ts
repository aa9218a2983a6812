import type { RequestPrincipal } from '../../policies/src/index.js';
import { randomBytes } from 'node:crypto';

import {
  mintToken,
  PURPOSE_HEADER,
  type TokenVerifierConfig,
} from '../../gateway/src/identity/index.js';
import { findDemoUser } from '../../hub/demoUsers.js';
import { createLogger } from '../../subgraphs/kit/src/index.js';
import {
  createHmacKey,
  createSubgraph,
  EMPTY_CALL_CONTEXT,
  signCall,
  SIGNATURE_HEADER,
  type Database,
  type ServedGraphQL,
  type SignedCallContext,
  type SigningKey,
  type SubgraphDefinition,
  type VerificationKey,
} from '../../subgraphs/kit/src/index.js';

/**
 * The HS256 secret of this test process (random per process): what the
 * test hub and {@link startSubgraph} sign and check subgraph calls with.
 */
export const TEST_SIGNING_SECRET = randomBytes(32).toString('base64url');

/** The key made from {@link TEST_SIGNING_SECRET}; it signs and verifies. */
export const testSigningKey = createHmacKey(TEST_SIGNING_SECRET);

/**
 * The HS256 secret callers' bearer tokens are signed with in this test
 * process (random per process): the test hub's gateway verifies with it.
 */
export const TEST_TOKEN_SECRET = randomBytes(32).toString('base64url');

/** The gateway identity configuration matching {@link TEST_TOKEN_SECRET}. */
export const testIdentity: TokenVerifierConfig = {
  keys: { kind: 'secret', secret: new TextEncoder().encode(TEST_TOKEN_SECRET) },
};

/**
 * Headers of a gateway request by a demo user (hub/demoUsers.ts): a bearer
 * token signed with `secret` (default {@link TEST_TOKEN_SECRET}) and the
 * purpose of use (default: the user's own example purpose).
 */
export async function demoHeaders(
  userId = 'env-analyst',
  options: { purpose?: string; secret?: string; ttlSeconds?: number } = {},
): Promise<Record<string, string>> {
  const user = findDemoUser(userId);
  if (!user) throw new Error(`no demo user "${userId}"`);
  const token = await mintToken(
    user.claims,
    new TextEncoder().encode(options.secret ?? TEST_TOKEN_SECRET),
    options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds },
  );
  return {
    authorization: `Bearer ${token}`,
    [PURPOSE_HEADER]: options.purpose ?? user.purpose,
  };
}

/** The parsed answer of a GraphQL HTTP request. */
export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  /** The raw body text, for "this value appears nowhere" assertions. */
  text: string;
  data?: TData | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

/** POSTs a GraphQL request and parses the response. */
export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  return postBody<TData>(url, JSON.stringify({ query, variables }), headers);
}

/** Who signs a direct call to a subgraph, as the gateway would. */
export interface CallSigner {
  /** Name of the subgraph called (the signature's audience). */
  audience: string;
  /** @defaultValue {@link testSigningKey} */
  key?: SigningKey;
  /** @defaultValue `{ principal: null, scope: null }` */
  context?: SignedCallContext;
}

/**
 * POSTs a GraphQL request to a subgraph signed as the gateway signs its
 * calls, and parses the response.
 */
export async function signedPostGraphQL<TData = Record<string, unknown>>(
  url: string,
  signer: CallSigner,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const body = JSON.stringify({ query, variables });
  const signature = await signCall(signer.key ?? testSigningKey, {
    audience: signer.audience,
    body,
    context: signer.context ?? EMPTY_CALL_CONTEXT,
  });
  return postBody<TData>(url, body, {
    ...headers,
    [SIGNATURE_HEADER]: signature,
  });
}

/** POSTs `body` as JSON, exactly these bytes, and parses the response. */
export async function postBody<TData = Record<string, unknown>>(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  let parsed: Partial<GraphQLResponse<TData>> = {};
  try {
    parsed = JSON.parse(text) as Partial<GraphQLResponse<TData>>;
  } catch {
    // Non-JSON bodies are kept in `text` for the assertion to show.
  }
  return { status: res.status, text, ...parsed };
}

/** A GraphQL request sent as a signed call to one test subgraph. */
export type PostGraphQL = <TData = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
) => Promise<GraphQLResponse<TData>>;

/** A test subgraph, listening, with a client that signs as the gateway. */
export interface TestSubgraph extends ServedGraphQL, AsyncDisposable {
  /** POSTs to the subgraph signed with {@link testSigningKey} (or `signing`). */
  post: PostGraphQL;
  /**
   * A client like {@link TestSubgraph.post} whose calls carry `scope` as
   * the signed row scope (`ctx.call.scope`) instead of `options.scope`.
   */
  withScope(scope: unknown): PostGraphQL;
}

/** Options of {@link startSubgraph}. */
export interface StartSubgraphOptions {
  /** The key the subgraph checks call signatures with. */
  callKey?: VerificationKey;
  /** The key `post` signs with. */
  signing?: SigningKey;
  /** The principal `post` signs into every call. @defaultValue null */
  principal?: RequestPrincipal;
  /** The row scope `post` signs into every call. @defaultValue null */
  scope?: unknown;
}

/**
 * Migrates and starts one department's subgraph on a free port. It checks
 * call signatures with `options.callKey` (default {@link testSigningKey});
 * `post` signs with `options.signing` (default {@link testSigningKey}) and
 * the call context `{ principal, scope }` of `options` (default both null).
 */
export async function startSubgraph(
  definition: SubgraphDefinition,
  db: Database,
  options: StartSubgraphOptions = {},
): Promise<TestSubgraph> {
  const subgraph = createSubgraph(definition, {
    db,
    logger: createLogger(definition.name, 'silent'),
    callKey: options.callKey ?? testSigningKey,
  });
  await subgraph.migrate();
  const served = await subgraph.listen({ port: 0 });
  const signerWith = (scope: unknown): CallSigner => ({
    audience: definition.name,
    key: options.signing ?? testSigningKey,
    context: { principal: options.principal ?? null, scope: scope ?? null },
  });
  const postWith =
    (signer: CallSigner): PostGraphQL =>
    (query, variables, headers) =>
      signedPostGraphQL(served.url, signer, query, variables, headers);
  return {
    ...served,
    post: postWith(signerWith(options.scope)),
    withScope: (scope) => postWith(signerWith(scope)),
    [Symbol.asyncDispose]: () => served.close(),
  };
}

/**
 * `GET /health` of a gateway with a demo operator's token, which the
 * gateway answers with its details (policy, access log, subgraphs); without
 * it, `/health` tells liveness only.
 */
export async function fetchHealthAsOperator(url: string): Promise<Response> {
  const { authorization } = await demoHeaders('hub-operator');
  return fetch(new URL('/health', url), {
    headers: { authorization: authorization ?? '' },
  });
}

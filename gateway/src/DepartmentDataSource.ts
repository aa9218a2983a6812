import {
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Pool } from 'undici';

import {
  encodeCallContext,
  ErrorCode,
  GraphQLErrorWithCode,
  SIGNATURE_HEADER,
  signEncodedCall,
  type SignedCallContext,
  type SigningKey,
} from '../../subgraphs/kit/src/index.js';
import { keepSubgraphExtensions } from './pipeline/subgraphExtensions.js';
import { callContextOf } from './signing/index.js';

/** Told of every subgraph call (for metrics). */
export type SubgraphCallObserver = (
  subgraph: string,
  seconds: number,
  failed: boolean,
) => void;

/** How long a subgraph call may take by default (10 s). */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;

/** Idle keep-alive connections to a subgraph are closed after this long. */
const KEEP_ALIVE_MS = 30_000;

/** A call context encoded for signing, with what it was encoded from. */
interface EncodedContext {
  readonly principal: unknown;
  readonly scope: unknown;
  readonly json: string;
}

/**
 * The gateway's connection to one department's subgraph. A subgraph that is
 * down, times out or answers with an HTTP error yields one clean
 * `UPSTREAM_UNAVAILABLE` error naming the subgraph; its URL, status body and
 * stack never reach the client. The rest of the plan still runs, so the
 * response carries partial data.
 *
 * Every call is signed (header `x-govgraph-signature`) for this subgraph
 * over the exact body bytes sent and the request's call context (see
 * {@link callContextOf}); subgraphs answer nothing else.
 *
 * The hot path of every subgraph call: `process` is overridden whole. The
 * call context comes from the request context at hand (no
 * AsyncLocalStorage), encoded once per request context and reused by each
 * of its calls; the signature is made synchronously with node:crypto; the
 * call goes out on a pool of keep-alive connections through undici's
 * `request` API (Node streams, no fetch or web streams).
 */
export class DepartmentDataSource extends RemoteGraphQLDataSource {
  readonly name: string;
  readonly #signing: SigningKey;
  readonly #timeoutMs: number;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #observe: SubgraphCallObserver | undefined;
  /** The encoded call context of each request context seen, while it lives. */
  readonly #encoded = new WeakMap<object, EncodedContext>();

  /**
   * @param options.signing the gateway's call-signing key
   * @param options.timeoutMs how long a call may take before it is
   *   abandoned (no answer, a stalled connection or a stopped process alike)
   */
  constructor(options: {
    name: string;
    url: string;
    signing: SigningKey;
    timeoutMs?: number;
    observe?: SubgraphCallObserver;
  }) {
    super({ url: options.url });
    this.name = options.name;
    this.#signing = options.signing;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS;
    this.#observe = options.observe;
    const url = new URL(options.url);
    this.#path = `${url.pathname}${url.search}`;
    this.#pool = new Pool(url.origin, {
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
    });
  }

  override async process(
    options: GraphQLDataSourceProcessOptions,
  ): Promise<GatewayGraphQLResponse> {
    const { http: _http, query, ...rest } = options.request;
    if (!query) throw new Error('Missing query');
    // The body RemoteGraphQLDataSource would send: the request without its
    // `http`, query first.
    const body = JSON.stringify({ query, ...rest });
    const signature = signEncodedCall(this.#signing, {
      audience: this.name,
      body,
      context: this.#contextJson(options.context),
    });
    let response: GatewayGraphQLResponse;
    const started = this.#observe === undefined ? 0 : performance.now();
    try {
      response = await this.#send(body, signature, options);
    } catch (error) {
      this.#observe?.(this.name, (performance.now() - started) / 1000, true);
      this.didEncounterError(error as Error);
      throw error;
    }
    this.#observe?.(this.name, (performance.now() - started) / 1000, false);
    if (response.extensions !== undefined) {
      keepSubgraphExtensions(options.context, response.extensions);
    }
    return response;
  }

  /**
   * The call context of `context` as JSON, encoded at its first call and
   * reused while its principal and scope stay the same objects.
   */
  #contextJson(context: Record<string, unknown> | undefined): string {
    if (context === undefined) return encodeCallContext(callContextOf(context));
    const principal = context['principal'];
    const scope = context['scope'];
    const known = this.#encoded.get(context);
    if (
      known !== undefined &&
      known.principal === principal &&
      known.scope === scope
    ) {
      return known.json;
    }
    const call: SignedCallContext = callContextOf(context);
    const json = encodeCallContext(call);
    this.#encoded.set(context, { principal, scope, json });
    return json;
  }

  async #send(
    body: string,
    signature: string,
    options: GraphQLDataSourceProcessOptions,
  ): Promise<GatewayGraphQLResponse> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#timeoutMs);
    try {
      const res = await this.#pool.request({
        path: this.#path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signature,
        },
        body,
        signal: abort.signal,
      });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        throw new Error(`subgraph answered HTTP ${String(res.statusCode)}`);
      }
      const parsed: unknown = await res.body.json();
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        Array.isArray(parsed)
      ) {
        throw new Error('subgraph answered something else than a JSON object');
      }
      this.#restrictCachePolicy(options, res.headers['cache-control']);
      return parsed as GatewayGraphQLResponse;
    } finally {
      clearTimeout(timer);
    }
  }

  /** RemoteGraphQLDataSource's handling of a subgraph's Cache-Control. */
  #restrictCachePolicy(
    options: GraphQLDataSourceProcessOptions,
    header: string | string[] | undefined,
  ): void {
    // GraphQLDataSourceRequestKind.INCOMING_OPERATION (not exported).
    if (
      !this.honorSubgraphCacheControlHeader ||
      (options.kind as string) !== 'incoming operation'
    ) {
      return;
    }
    const policy: unknown = (
      options as { incomingRequestContext?: { overallCachePolicy?: unknown } }
    ).incomingRequestContext?.overallCachePolicy;
    if (
      typeof policy !== 'object' ||
      policy === null ||
      !('restrict' in policy) ||
      typeof policy.restrict !== 'function'
    ) {
      return;
    }
    const text = Array.isArray(header) ? header.join(',') : (header ?? '');
    const hint: { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' } = {
      maxAge: 0,
    };
    for (const directive of text.split(',')) {
      const [name, value] = directive.trim().toLowerCase().split('=');
      if (name === 'max-age' && value !== undefined && /^[0-9]+$/.test(value))
        hint.maxAge = Number(value);
      if (name === 'private') hint.scope = 'PRIVATE';
      if (name === 'public') hint.scope = 'PUBLIC';
    }
    (policy.restrict as (hint: unknown) => void)(hint);
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLErrorWithCode) throw error;
    throw new GraphQLErrorWithCode(
      `Subgraph "${this.name}" is unavailable; data it owns is missing from this response.`,
      ErrorCode.UPSTREAM_UNAVAILABLE,
      { extensions: { subgraph: this.name } },
    );
  }

  /** Closes the connections to the subgraph. */
  async close(): Promise<void> {
    await this.#pool.close();
  }
}

export type { GraphQLDataSourceProcessOptions };

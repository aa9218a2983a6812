import {
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { SpanKind } from '@opentelemetry/api';
import { Pool } from 'undici';

import {
  encodeCallContext,
  signEncodedCall,
} from '../../subgraphs/kit/src/signing/signCall.js';
import { ErrorCode } from '../../subgraphs/kit/src/errors/ErrorCode.js';
import { GraphQLErrorWithCode } from '../../subgraphs/kit/src/errors/GraphQLErrorWithCode.js';
import {
  SIGNATURE_HEADER,
  type SignedCallContext,
} from '../../subgraphs/kit/src/signing/SignedCallContext.js';
import type { SigningKey } from '../../subgraphs/kit/src/signing/keys.js';
import {
  activeTracer,
  failSpan,
  traceparentOf,
} from '../../subgraphs/kit/src/tracing/tracing.js';
import { keepSubgraphExtensions } from './pipeline/subgraphExtensions.js';
import { callContextOf } from './signing/index.js';

import { DEFAULT_SUBGRAPH_TIMEOUT_MS } from './defaults.js';

export { DEFAULT_SUBGRAPH_TIMEOUT_MS };

/** Told of every subgraph call (for metrics). */
export type SubgraphCallObserver = (
  subgraph: string,
  seconds: number,
  failed: boolean,
) => void;

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
 *
 * While tracing is on, each call is a client span (`subgraph call`, the
 * subgraph's name) whose W3C traceparent is signed into the call (claim
 * `tp`), so the subgraph's spans join the trace and no caller can choose
 * where they go.
 */
export class DepartmentDataSource extends RemoteGraphQLDataSource {
  readonly name: string;
  readonly #signing: SigningKey;
  readonly #timeoutMs: number;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #host: string;
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
    this.#host = url.hostname;
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
    const tracer = activeTracer();
    if (tracer === null) return this.#call(body, options, undefined);
    // The call's span; its traceparent travels inside the signature.
    return tracer.startActiveSpan(
      'subgraph call',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'govgraph.subgraph': this.name,
          'http.request.method': 'POST',
          'server.address': this.#host,
        },
      },
      async (span) => {
        try {
          return await this.#call(body, options, traceparentOf(span));
        } catch (error) {
          failSpan(span, error);
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  /** Signs and sends one call (with the `traceparent` to sign, if any). */
  async #call(
    body: string,
    options: GraphQLDataSourceProcessOptions,
    traceparent: string | undefined,
  ): Promise<GatewayGraphQLResponse> {
    const signature = signEncodedCall(this.#signing, {
      audience: this.name,
      body,
      context: this.#contextJson(options.context),
      traceparent,
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

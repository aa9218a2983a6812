import { AsyncLocalStorage } from 'node:async_hooks';

import {
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';

import {
  ErrorCode,
  GraphQLErrorWithCode,
  type SignedCallContext,
  type SigningKey,
} from '../../subgraphs/kit/src/index.js';
import {
  callContextOf,
  createSigningFetcher,
  type Fetcher,
} from './signing/index.js';

/** How long a subgraph call may take by default (10 s). */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;

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
 */
export class DepartmentDataSource extends RemoteGraphQLDataSource {
  readonly name: string;
  /** The call context of the call in flight, for the signing fetcher. */
  readonly #calls = new AsyncLocalStorage<SignedCallContext>();

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
  }) {
    super({ url: options.url });
    this.name = options.name;
    const timeoutMs = options.timeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS;
    // Node's own fetch (undici, keep-alive): Apollo's default client
    // builds an Error and formats its stack on every call.
    const bounded: Fetcher = (url, init) =>
      (fetch as unknown as Fetcher)(url, {
        ...init,
        signal: AbortSignal.timeout(timeoutMs) as never,
      });
    this.fetcher = createSigningFetcher({
      audience: options.name,
      key: options.signing,
      fetcher: bounded,
      callContext: () => this.#calls.getStore(),
    });
  }

  override process(
    options: GraphQLDataSourceProcessOptions,
  ): ReturnType<RemoteGraphQLDataSource['process']> {
    return this.#calls.run(callContextOf(options.context), () =>
      super.process(options),
    );
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLErrorWithCode) throw error;
    throw new GraphQLErrorWithCode(
      `Subgraph "${this.name}" is unavailable; data it owns is missing from this response.`,
      ErrorCode.UPSTREAM_UNAVAILABLE,
      { extensions: { subgraph: this.name } },
    );
  }
}

export type { GraphQLDataSourceProcessOptions };
